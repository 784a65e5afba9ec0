// A small argument parser: `dea <command> [positionals] [--flag value] [--switch]`.

export interface ParsedArgs {
  command: string;
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/** Flags that take no value. */
const SWITCHES = new Set(['json', 'offline', 'help', 'no-history', 'hashed', 'allow-download', 'verbose', 'quiet', 'yes']);

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) { positionals.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (inline !== undefined) flags[name] = inline;
    else if (SWITCHES.has(name) || i + 1 >= rest.length || rest[i + 1].startsWith('--')) flags[name] = true;
    else flags[name] = rest[++i];
  }
  return { command, positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function flagNumber(args: ParsedArgs, name: string, fallback: number): number {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} expects a non-negative number, got "${v}"`);
  return n;
}

export class UsageError extends Error {}
