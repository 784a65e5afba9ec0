// Personal-data detection by column name and by value, and masking, on hand-made rows and on the example
// warehouse's real customers table read through the read-only connection.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectPersonalColumns, maskPersonalData, maskRows, personalKindByName, personalKindByValue } from '../../../src/core/sql/pii';
import { openDuckDbConnection } from '../../../src/core/warehouse/duckdbConnection';
import { buildExampleWarehouse, type ExampleWarehouse } from './exampleWarehouse';

let wh: ExampleWarehouse;
before(async () => { wh = await buildExampleWarehouse(); });
after(() => wh?.ex.cleanup());

describe('personalKindByName', () => {
  test('names, emails, phones, addresses, IPs, national ids, birth dates and cards', () => {
    const cases: [string, string | undefined][] = [
      ['email', 'email'], ['customer_email', 'email'], ['EmailAddress', 'email'], ['e_mail', 'email'],
      ['first_name', 'name'], ['last_name', 'name'], ['full_name', 'name'], ['surname', 'name'], ['customerName', 'name'], ['username', 'name'],
      ['phone', 'phone'], ['mobile_number', 'phone'], ['tel', 'phone'],
      ['address', 'address'], ['street', 'address'], ['shipping_address_line1', 'address'], ['zip', 'address'], ['postcode', 'address'], ['postal_code', 'address'],
      ['ip', 'ip'], ['ip_address', 'ip'], ['client_ipv4', 'ip'],
      ['ssn', 'national_id'], ['passport_number', 'national_id'], ['tax_id', 'national_id'],
      ['birth_date', 'birth_date'], ['dob', 'birth_date'], ['date_of_birth', 'birth_date'],
      ['credit_card_number', 'payment'], ['iban', 'payment'],
      ['product_name', undefined], ['channel_name', undefined], ['category', undefined], ['city', undefined], ['country_code', undefined],
      ['order_id', undefined], ['is_marketing_opt_in', undefined], ['net_revenue', undefined], ['name', undefined],
    ];
    for (const [column, kind] of cases) assert.equal(personalKindByName(column), kind, column);
  });

  test('counts and flags named after personal data hold none; a plain `name` is personal in a people table', () => {
    assert.equal(personalKindByName('email_count', 'BIGINT'), undefined);
    assert.equal(personalKindByName('has_phone', 'BOOLEAN'), undefined);
    assert.equal(personalKindByName('email', 'VARCHAR'), 'email');
    assert.equal(personalKindByName('birth_date', 'DATE'), 'birth_date');
    assert.equal(personalKindByName('name', 'VARCHAR', ['raw.raw_customers']), 'name');
    assert.equal(personalKindByName('name', 'VARCHAR', ['raw.raw_channels']), undefined);
  });
});

describe('personalKindByValue', () => {
  test('emails, phone numbers, IPs and SSNs; not dates, amounts or ids', () => {
    const cases: [unknown, string | undefined][] = [
      ['ada@example.com', 'email'], ['+44 20 7946 0958', 'phone'], ['(555) 123-4567', 'phone'], ['555-123-4567', 'phone'],
      ['192.168.1.20', 'ip'], ['2001:db8::1', 'ip'], ['123-45-6789', 'national_id'],
      ['2024-01-02', undefined], ['2024-01-02 10:00:00', undefined], ['12:30:00', undefined], ['1234567890', undefined], ['3.14159', undefined],
      ['999.1.1.1', undefined], ['Paid Search', undefined], [42, undefined], [null, undefined],
    ];
    for (const [v, kind] of cases) assert.equal(personalKindByValue(v), kind, String(v));
  });
});

describe('detectPersonalColumns and maskRows', () => {
  const columns = [{ name: 'id', type: 'INTEGER' }, { name: 'contact', type: 'VARCHAR' }, { name: 'note', type: 'VARCHAR' }, { name: 'src', type: 'VARCHAR' }, { name: 'email', type: 'VARCHAR' }];
  const rows = [
    [1, 'ada@example.com', '+1 555 123 4567', '10.0.0.1', 'ada@shop.io'],
    [2, 'bo@mail.org', 'call after 5', '10.0.0.2', null],
    [3, null, '+1 555 987 6543', '10.0.0.3', 'cy@shop.io'],
  ];

  test('finds columns by name and by value share', () => {
    const found = detectPersonalColumns(columns, rows);
    assert.deepEqual(found.map(p => [p.name, p.kind, p.by]), [
      ['contact', 'email', 'value'], ['note', 'phone', 'value'], ['src', 'ip', 'value'], ['email', 'email', 'name'],
    ]);
    const strict = detectPersonalColumns(columns, rows, { valueShare: 0.9 });
    assert.ok(!strict.some(p => p.name === 'note'), 'two of three values is below a 0.9 share');
  });

  test('masks: *** for values, the domain kept for emails, null kept; the input is not changed', () => {
    const result = { columns, rows, truncated: false, elapsedMs: 1, sql: 'select …' };
    const masked = maskRows(result, detectPersonalColumns(columns, rows));
    assert.deepEqual(masked.rows, [
      [1, '***@example.com', '***', '***', '***@shop.io'],
      [2, '***@mail.org', '***', '***', null],
      [3, null, '***', '***', '***@shop.io'],
    ]);
    assert.equal(masked.sql, 'select …');
    assert.equal(rows[0][1], 'ada@example.com');
  });
});

describe('masking real rows of the example warehouse', () => {
  test('dim_customers: names and emails are masked, ids, cities and revenue are kept', async () => {
    const conn = await openDuckDbConnection(wh.dbPath);
    try {
      const r = await conn.query('select customer_id, first_name, last_name, full_name, email, city, lifetime_net_revenue from marts.dim_customers order by customer_id', { maxRows: 50, timeoutMs: 10_000 });
      const { result, personal } = maskPersonalData(r, { tables: ['marts.dim_customers'] });
      assert.deepEqual(personal.map(p => p.name), ['first_name', 'last_name', 'full_name', 'email']);
      const text = JSON.stringify(result.rows);
      for (const row of r.rows) {
        for (const i of [1, 2, 4]) if (typeof row[i] === 'string') assert.ok(!text.includes(JSON.stringify(row[i])), `${row[i]} leaked`);
      }
      assert.deepEqual(result.rows.map(x => x[0]), r.rows.map(x => x[0]));
      assert.deepEqual(result.rows.map(x => x[5]), r.rows.map(x => x[5]));
      assert.ok(result.rows.every(x => x[1] === '***' && /^\*\*\*@/.test(String(x[4]))));
    } finally {
      await conn.close();
    }
  });

  test('an email column renamed by the query is still found by its values', async () => {
    const conn = await openDuckDbConnection(wh.dbPath);
    try {
      const r = await conn.query('select customer_id, email as contact from marts.dim_customers limit 20', { maxRows: 20, timeoutMs: 10_000 });
      const { personal } = maskPersonalData(r);
      assert.deepEqual(personal.map(p => [p.name, p.kind, p.by]), [['contact', 'email', 'value']]);
    } finally {
      await conn.close();
    }
  });
});
