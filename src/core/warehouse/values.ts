// DuckDB values as JSON-friendly JS: safe integers as numbers (else strings), decimals as numbers,
// dates and timestamps as ISO strings, intervals and other exotic types as their text.
import { DuckDBTypeId, JsonDuckDBValueConverter, doubleFromDecimalValue, type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type Json } from '@duckdb/node-api';

function integer(value: DuckDBValue): Json {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return String(value);
}

/** DuckDB prints `2020-01-02 03:04:05.5` / `...+00`; ISO wants a `T` and a `+00:00` offset. Infinity stays as written. */
function isoTimestamp(value: DuckDBValue): Json {
  const s = String(value);
  if (!/^\d{4,}-\d\d-\d\d /.test(s)) return s;
  return s.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
}

export const jsonValueConverter: DuckDBValueConverter<Json> = (value, type: DuckDBType, self) => {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return integer(value);
    case DuckDBTypeId.DECIMAL:
      return doubleFromDecimalValue(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return isoTimestamp(value);
    case DuckDBTypeId.INTERVAL:
      return String(value);
    default:
      return JsonDuckDBValueConverter(value, type, self);
  }
};
