// Awaits a promise that must reject with a DugongError and returns that error for assertions on its code and details.
import { isDugongError, type DugongError } from '../../src/errors.js';

export async function caught(work: Promise<unknown>): Promise<DugongError> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isDugongError(error)) throw new Error(`expected a DugongError, got ${String(error)}`);
  return error;
}
