// Renders libpq connection strings (primary_conninfo) with correct quoting of every value.

export type ConninfoParams = Readonly<Record<string, string | number>>;

const KEYWORD = /^[a-z_]+$/;
// libpq ends an unquoted value at whitespace and treats quotes and backslashes specially; anything else is literal.
const PLAIN_VALUE = /^[^\s'\\]+$/;

/** A libpq conninfo value: bare when that is unambiguous, otherwise single-quoted with \' and \\ escapes. */
export function quoteConninfoValue(value: string): string {
  if (PLAIN_VALUE.test(value)) return value;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** "host=10.0.0.1 port=5432 ..." in the order given; keys are checked because libpq ignores nothing silently. */
export function renderConninfo(params: ConninfoParams): string {
  return Object.entries(params)
    .map(([key, value]) => {
      if (!KEYWORD.test(key)) throw new RangeError(`not a conninfo keyword: ${JSON.stringify(key)}`);
      return `${key}=${quoteConninfoValue(String(value))}`;
    })
    .join(' ');
}
