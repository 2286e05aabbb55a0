// Opens the coordinator for one command and always closes it, so the process exits and leaves no session behind.
import type { Coordinator } from '../coord/index.js';
import type { AdmContext } from './types.js';

export async function withCoordinator<T>(ctx: AdmContext, work: (coordinator: Coordinator) => Promise<T>): Promise<T> {
  const coordinator = ctx.deps.createCoordinator(ctx.target);
  try {
    await coordinator.start();
    return await work(coordinator);
  } finally {
    await coordinator.close();
  }
}
