// snowflake-sdk row values → JSON-friendly values (numbers, strings, booleans, null; dates as ISO strings).
// Numbers are fetched as strings so large NUMBERs keep every digit: they stay strings when a double would round them.
import type { Column } from 'snowflake-sdk';

/** Snowflake's name for a result column's type: NUMBER(38,0), FLOAT, TEXT, DATE, TIMESTAMP_NTZ, VARIANT, ... */
export function columnTypeName(c: Column): string {
  const t = c.getType().toLowerCase();
  if (t === 'fixed') {
    const p = c.getPrecision();
    return p === null || p === undefined ? 'NUMBER' : `NUMBER(${p},${c.getScale() ?? 0})`;
  }
  if (t === 'real') return 'FLOAT';
  return t.toUpperCase();
}

/** A converter per column, chosen once per result. */
export function valueConverter(c: Column): (v: unknown) => unknown {
  const t = c.getType().toLowerCase();
  if (t === 'fixed') return numberValue;
  if (t === 'real') return v => (v === null || v === undefined ? null : Number.isFinite(Number(v)) ? Number(v) : String(v));
  if (t === 'date') return v => (v instanceof Date ? v.toISOString().slice(0, 10) : plain(v));
  if (t === 'timestamp_ntz') return v => (v instanceof Date ? v.toISOString().replace(/Z$/, '') : plain(v));
  if (t === 'timestamp_ltz' || t === 'timestamp_tz') return v => (v instanceof Date ? v.toISOString() : plain(v));
  if (t === 'binary') return v => (Buffer.isBuffer(v) ? v.toString('hex') : plain(v));
  return plain;
}

/** Integers stay numbers while they are safe; decimals while a double holds every digit (15); else the exact string. */
function numberValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  const n = Number(s);
  if (!Number.isFinite(n)) return s;
  if (/^-?\d+$/.test(s)) return Number.isSafeInteger(n) ? n : s;
  const digits = s.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').length;
  return digits <= 15 ? n : s;
}

function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'object') {
    // SfTime and friends serialise through toJSON; VARIANT/OBJECT/ARRAY values are already plain JSON.
    const json = (v as { toJSON?: () => unknown }).toJSON;
    return typeof json === 'function' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype ? json.call(v) : v;
  }
  return v;
}
