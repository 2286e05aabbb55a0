// Keeps our election registration: the wanted registration survives session expiry; all changes run one at a time.
import type { Logger } from '../../log.js';
import { ElectionPayloadSchema, PeerIdSchema, formatIssues, type ElectionPayload, type PeerId } from '../../schema/index.js';
import { DugongError } from '../../errors.js';
import { coordError } from '../coord-errors.js';
import type { Registration } from '../coordinator.js';
import type { CallRunner } from './call-runner.js';
import { createElectionNode, removeElectionNode, removeOwnNodes } from './election.js';
import { parseElectionNodeName } from './election-names.js';
import { sessionIdOf } from './session.js';
import type { ZkOps } from './zk-ops.js';

interface Wanted {
  readonly id: PeerId;
  readonly payload: ElectionPayload;
  readonly payloadJson: string;
}

interface Held {
  readonly epoch: number;
  readonly payloadJson: string;
  readonly registration: Registration;
}

export class Registrar {
  private wanted: Wanted | undefined;
  private held: Held | undefined;
  /** unregister() has not completed yet: our nodes may still exist in the current session. */
  private removalPending = false;
  // Register, unregister and re-registration must not interleave: two concurrent sweeps could delete each other's node.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runner: CallRunner,
    private readonly electionPath: string,
    private readonly log: Logger,
    private readonly currentEpoch: () => number,
  ) {}

  current(): Registration | undefined {
    return this.held !== undefined && this.held.epoch === this.currentEpoch() ? this.held.registration : undefined;
  }

  register(id: PeerId, payload: ElectionPayload): Promise<Registration> {
    const validId = PeerIdSchema.safeParse(id);
    const validPayload = ElectionPayloadSchema.safeParse(payload);
    if (!validId.success || !validPayload.success) {
      const problems = [...formatIssues(validId.error?.issues ?? []), ...formatIssues(validPayload.error?.issues ?? [])];
      return Promise.reject(new DugongError('DUGONG_ERR_STATE_INVALID', 'register: invalid peer id or payload', { problems }));
    }
    this.wanted = { id, payload: validPayload.data, payloadJson: JSON.stringify(validPayload.data) };
    return this.serial(() => this.runner.run('register', (ops) => this.ensureRegistered(ops)));
  }

  unregister(): Promise<void> {
    this.wanted = undefined;
    this.removalPending = true;
    return this.serial(() => this.runner.run('unregister', (ops) => this.removeAll(ops)));
  }

  /** True when the coordination service does not match the wish: a registration to (re)create or nodes to remove. */
  needsReconcile(): boolean {
    return this.wanted !== undefined ? this.current() === undefined : this.removalPending;
  }

  /** Brings the service in line with the wish (after a new session, or after a call that failed while disconnected). */
  reconcile(): Promise<void> {
    return this.serial(() =>
      this.runner.run('reconcileRegistration', async (ops) => {
        if (this.wanted !== undefined) {
          const registration = await this.ensureRegistered(ops);
          this.log.info({ nodeName: registration.nodeName }, 'registration in place');
        } else if (this.removalPending) {
          await this.removeAll(ops);
        }
      }),
    );
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async ensureRegistered(ops: ZkOps): Promise<Registration> {
    const wanted = this.wanted;
    if (wanted === undefined) throw coordError({ kind: 'failed', operation: 'register' }, 'unregistered meanwhile');
    const held = this.held;
    if (held !== undefined && held.epoch === ops.epoch && held.registration.id === wanted.id && held.payloadJson === wanted.payloadJson) {
      return held.registration;
    }
    const nodeName = await createElectionNode(ops, this.electionPath, wanted.id, wanted.payload);
    const parsed = parseElectionNodeName(nodeName);
    const seq = parsed.ok ? parsed.candidate.seq : -1;
    const registration: Registration = { id: wanted.id, nodeName, seq, sessionId: sessionIdOf(ops.client) };
    this.held = { epoch: ops.epoch, payloadJson: wanted.payloadJson, registration };
    await this.sweep(ops, nodeName);
    return registration;
  }

  /** Stray nodes of ours are harmless for the list (highest seq wins) but must not outlive unregister. */
  private async sweep(ops: ZkOps, keep: string): Promise<void> {
    try {
      const removed = await removeOwnNodes(ops, this.electionPath, keep);
      if (removed.length > 0) this.log.info({ removed }, 'removed older election nodes of this session');
    } catch (error) {
      this.log.warn({ err: error }, 'could not sweep older election nodes of this session');
    }
  }

  private async removeAll(ops: ZkOps): Promise<void> {
    const held = this.held;
    this.held = undefined;
    // Known node first: giving up the registration must be fast (the sync takes over on this deletion).
    if (held !== undefined && held.epoch === ops.epoch) await removeElectionNode(ops, this.electionPath, held.registration.nodeName);
    await removeOwnNodes(ops, this.electionPath);
    if (this.wanted === undefined) this.removalPending = false;
  }
}
