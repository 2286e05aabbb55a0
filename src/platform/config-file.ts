// Reads a daemon's JSON config file and validates it with its zod schema; every problem is reported with its path.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { DugongError } from '../errors.js';
import { formatIssues } from '../schema/index.js';

export async function loadConfigFile<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, { path });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `${path} is invalid:\n  ${problems.join('\n  ')}`, { path, problems });
  }
  return result.data;
}
