// Reads of the process environment, kept in one place.

export function envString(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
