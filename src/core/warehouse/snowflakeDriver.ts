// Loads snowflake-sdk once, lazily (it pulls in the AWS/Azure SDKs: ~0.5 s), with its logging under our control:
// left alone the driver writes snowflake.log into the working directory. Its log goes through a custom logger
// that masks every secret we know of and forwards to an optional sink (default: dropped).
import type * as SnowflakeSdk from 'snowflake-sdk';

export type Sdk = typeof SnowflakeSdk;
export type DriverLogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE' | 'OFF';
export type DriverLogSink = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace', message: string) => void;

let sdk: Sdk | undefined;
let level: DriverLogLevel = 'WARN';
let sink: DriverLogSink | undefined;
/** Secret → number of open connections using it. */
const secrets = new Map<string, number>();

/** The driver, configured. Platform detection (cloud metadata probes at load) and the AWS SDK's Node-version
 *  warning are turned off unless the user's environment says otherwise. */
export function loadSnowflakeSdk(): Sdk {
  if (sdk) return sdk;
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only Snowflake users pay for loading it
  sdk = require('snowflake-sdk') as Sdk;
  applyLogging(sdk);
  return sdk;
}

/** Where the driver's own log goes: `sink` receives secret-masked lines at `logLevel` and above; no sink: nowhere. */
export function setSnowflakeDriverLog(opts: { level: DriverLogLevel; sink?: DriverLogSink }): void {
  level = opts.level;
  sink = opts.sink;
  if (sdk) applyLogging(sdk);
}

function applyLogging(s: Sdk): void {
  const forward = (l: Parameters<DriverLogSink>[0]) => (message: string) => { sink?.(l, maskSecrets(String(message))); };
  // A custom logger replaces the driver's file logger entirely, so no snowflake.log is ever created.
  s.configure({
    logLevel: sink ? level : 'OFF',
    customLogger: { error: forward('error'), warn: forward('warn'), info: forward('info'), debug: forward('debug'), trace: forward('trace') },
  });
}

/** Secrets in use by open connections: masked in driver log lines and in our error messages. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.set(value, (secrets.get(value) ?? 0) + 1);
}

export function unregisterSecret(value: string | undefined): void {
  const n = value ? secrets.get(value) : undefined;
  if (n === undefined) return;
  if (n > 1) secrets.set(value!, n - 1);
  else secrets.delete(value!);
}

export function maskSecrets(text: string): string {
  let out = text;
  for (const s of secrets.keys()) out = out.split(s).join('***');
  return out;
}
