// Finds result columns that look like personal data (by column name and by the values in sample rows) and masks
// them before rows are sent to a language model. Masking: `***`, except that emails keep their domain
// (`***@example.com`: useful for "which email providers" questions, not enough to identify a person); nulls stay
// null (missing-data questions still work); no lengths or initials are kept (they help re-identify names).
// City and country are kept: they are coarse and most analytics group by them.

export type PersonalKind = 'email' | 'name' | 'phone' | 'address' | 'ip' | 'national_id' | 'birth_date' | 'payment';

export interface PersonalColumn {
  index: number;
  name: string;
  kind: PersonalKind;
  /** What gave it away: the column's name or the values in the sample. */
  by: 'name' | 'value';
}

export interface DetectOptions {
  /** Tables the rows come from: a plain `name` column counts as personal only when one of them holds people. */
  tables?: string[];
  /** Share of non-null sample strings that must match a value pattern (default 0.6). */
  valueShare?: number;
}

/** Splits `firstName`, `first_name`, `First Name` into lowercase words. */
function words(column: string): string[] {
  return column.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

const PERSON_NAME_WORDS = new Set(['first', 'last', 'full', 'middle', 'given', 'family', 'maiden', 'nick', 'customer', 'user', 'contact', 'person',
  'employee', 'owner', 'billing', 'shipping', 'recipient', 'sender', 'patient', 'member', 'client', 'holder', 'cardholder', 'display', 'legal', 'buyer', 'guest']);
const PEOPLE_TABLE = /customer|user|person|people|employee|contact|member|client|patient|account|author|staff|buyer|guest|subscriber|lead/i;
const NON_TEXT_TYPE = /^(bool|fixed|tinyint|smallint|int|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|integer|float|double|real|decimal|numeric|number)/i;
const DATE_TYPE = /^(date|time)/i;

/** The personal kind a column's name suggests, or undefined. */
export function personalKindByName(column: string, type?: string, tables: string[] = []): PersonalKind | undefined {
  const w = words(column);
  const has = (...xs: string[]) => xs.some(x => w.includes(x));
  const joined = w.join('_');
  if (has('birth', 'birthdate', 'birthday', 'dob') || /date_of_birth|birth_date/.test(joined)) return 'birth_date';
  // Counts, flags and amounts named after personal data (email_count, has_phone, is_mobile) hold none.
  if (type && (NON_TEXT_TYPE.test(type.trim()) || DATE_TYPE.test(type.trim()))) return undefined;
  if (has('email', 'emailaddress', 'mail') || /(^|_)e_mail($|_)/.test(joined)) return 'email';
  if (has('ip', 'ipv4', 'ipv6', 'ipaddress') || /remote_addr/.test(joined)) return 'ip';
  if (has('ssn', 'passport', 'nin') || /social_security|national_id|tax_id|driver_?s?_licen[cs]e/.test(joined)) return 'national_id';
  if (has('iban', 'cvv', 'cvc') || /credit_card|card_number|cc_number|bank_account|account_number/.test(joined)) return 'payment';
  if (has('phone', 'telephone', 'tel', 'mobile', 'cell', 'cellphone', 'fax', 'msisdn')) return 'phone';
  if (has('address', 'street', 'addr', 'zip', 'zipcode', 'postcode', 'postal', 'postalcode')) return 'address';
  if (has('surname', 'firstname', 'lastname', 'fullname', 'username', 'login')) return 'name';
  if (has('name') && w.some(x => PERSON_NAME_WORDS.has(x))) return 'name';
  if (joined === 'name' && tables.some(t => PEOPLE_TABLE.test(t))) return 'name';
  return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;
const DATE_LIKE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/;

function isPhone(s: string): boolean {
  if (!/^\+?[\d\s().-]+$/.test(s) || DATE_LIKE.test(s) || /^-?\d+(\.\d+)?$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15 && (s.startsWith('+') || /\d[\s().-]+\d/.test(s));
}

function isIp(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every(n => Number(n) <= 255);
  if (!/^[0-9a-f:]+$/i.test(s)) return false;
  const groups = s.split(':');
  return (s.includes('::') && groups.length >= 3) || (groups.length === 8 && groups.every(g => /^[0-9a-f]{1,4}$/i.test(g)));
}

/** The personal kind a single value looks like, or undefined. */
export function personalKindByValue(v: unknown): PersonalKind | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (EMAIL.test(s)) return 'email';
  if (SSN.test(s)) return 'national_id';
  if (isIp(s)) return 'ip';
  if (isPhone(s)) return 'phone';
  return undefined;
}

/** Columns that look personal by name, or whose sample values mostly look like emails, phone numbers, IPs or SSNs. */
export function detectPersonalColumns(columns: { name: string; type?: string }[], sampleRows: unknown[][], opts: DetectOptions = {}): PersonalColumn[] {
  const share = opts.valueShare ?? 0.6;
  const out: PersonalColumn[] = [];
  columns.forEach((col, index) => {
    const byName = personalKindByName(col.name, col.type, opts.tables);
    if (byName) { out.push({ index, name: col.name, kind: byName, by: 'name' }); return; }
    const values = sampleRows.map(r => r[index]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (!values.length) return;
    const counts = new Map<PersonalKind, number>();
    for (const v of values) {
      const k = personalKindByValue(v);
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best && best[1] / values.length >= share) out.push({ index, name: col.name, kind: best[0], by: 'value' });
  });
  return out;
}

/** `***`, `***@domain` for emails; null stays null. */
export function maskValue(v: unknown, kind: PersonalKind): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'email' && typeof v === 'string') {
    const at = v.lastIndexOf('@');
    if (at > 0 && at < v.length - 1) return `***@${v.slice(at + 1).trim()}`;
  }
  return '***';
}

/** A copy of `result` whose personal columns are masked; columns, row count and everything else unchanged. */
export function maskRows<T extends { rows: unknown[][] }>(result: T, personal: PersonalColumn[]): T {
  if (!personal.length) return result;
  const byIndex = new Map(personal.map(p => [p.index, p.kind]));
  const rows = result.rows.map(r => r.map((v, i) => (byIndex.has(i) ? maskValue(v, byIndex.get(i)!) : v)));
  return { ...result, rows };
}

/** Detects on the result's own rows and masks them: what to send to a model unless the user allowed personal data. */
export function maskPersonalData<T extends { columns: { name: string; type?: string }[]; rows: unknown[][] }>(result: T, opts: DetectOptions = {}): { result: T; personal: PersonalColumn[] } {
  const personal = detectPersonalColumns(result.columns, result.rows, opts);
  return { result: maskRows(result, personal), personal };
}
