// Reads ISO-8601 timestamps (promote expiry) as epoch milliseconds without the Date global, which src/fsm may not use.

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_DAY = 86_400_000;

function floorDiv(a: number, b: number): number {
  return (a - (((a % b) + b) % b)) / b;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function offsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Epoch milliseconds of an ISO timestamp with seconds and an offset; null when it is not one. */
export function isoToEpochMs(iso: string): number | null {
  const match = ISO_PATTERN.exec(iso);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const days = daysFromCivil(Number(year), Number(month), Number(day));
  const millis = Number(`${fraction}000`.slice(0, 3));
  const timeMs = ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + millis;
  return days * MS_PER_DAY + timeMs - offsetMs(zone);
}
