// Executes the state machine's coordination actions and turns coordinator events into observations.
import type { Logger } from 'pino';
import type { ActiveList, Coordinator, SessionEvent, StateRead } from '../coord/coordinator.js';
import type { Action, ActiveEntry, ClusterStateData, Observation } from '../fsm/index.js';
import { errorMessage, isDugongError } from '../errors.js';
import type { ElectionPayload, Peer } from '../schema/index.js';

export type CoordAction = Extract<Action, { kind: 'register' | 'unregister' | 'readCoordination' | 'writeClusterState' }>;
type Report = (observation: Observation) => void;

/** The state machine validates the state itself: hand it the data as read, never a pre-judged copy. */
export function clusterDataOf(read: StateRead): ClusterStateData {
  switch (read.kind) {
    case 'absent':
      return { kind: 'absent' };
    case 'valid':
      return { kind: 'present', version: read.version, data: read.state };
    case 'invalid':
      return { kind: 'present', version: read.version, data: parseLoosely(read.raw) };
    default:
      return assertNever(read);
  }
}

function parseLoosely(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function activeEntriesOf(list: ActiveList): ActiveEntry[] {
  return list.entries.map((entry) => ({ peer: entry.peer, seq: entry.seq }));
}

export function sessionObservation(event: SessionEvent): Observation {
  switch (event.kind) {
    case 'connected':
      return { kind: 'sessionConnected' };
    case 'disconnected':
      return { kind: 'sessionDisconnected' };
    case 'expired':
      return { kind: 'sessionExpired' };
    default:
      return assertNever(event);
  }
}

export class CoordEffects {
  constructor(
    private readonly coordinator: Coordinator,
    private readonly self: Peer,
    private readonly log: Logger,
  ) {}

  /** Coordinator events become observations; returns the unsubscribe function. */
  subscribe(report: Report, onActive: (list: ActiveList) => void, onState: (read: StateRead) => void): () => void {
    const off = [
      this.coordinator.on('session', (event) => report(sessionObservation(event))),
      this.coordinator.on('active', (list) => {
        onActive(list);
        report({ kind: 'activeListChanged', active: activeEntriesOf(list) });
      }),
      this.coordinator.on('state', (read) => {
        onState(read);
        report({ kind: 'clusterStateChanged', cluster: clusterDataOf(read) });
      }),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }

  run(action: CoordAction, report: Report): void {
    void this.execute(action).then(report);
  }

  private async execute(action: CoordAction): Promise<Observation> {
    const { opId } = action;
    try {
      switch (action.kind) {
        case 'register': {
          const registration = await this.coordinator.register(this.self.id, this.payload());
          return { kind: 'registerOk', opId, seq: registration.seq };
        }
        case 'unregister':
          await this.coordinator.unregister();
          return { kind: 'unregisterOk', opId };
        case 'readCoordination': {
          const [read, list] = await Promise.all([this.coordinator.readState(), this.coordinator.activePeers()]);
          return { kind: 'coordSnapshot', opId, cluster: clusterDataOf(read), active: activeEntriesOf(list) };
        }
        case 'writeClusterState':
          return await this.write(action);
        default:
          return assertNever(action);
      }
    } catch (error) {
      this.log.warn({ err: error, action: action.kind, opId }, 'coordination call failed');
      return { kind: 'coordOpFailed', opId, error: errorMessage(error) };
    }
  }

  private async write(action: Extract<CoordAction, { kind: 'writeClusterState' }>): Promise<Observation> {
    const { opId } = action;
    try {
      const result =
        action.mode === 'create' || action.expectedVersion === null
          ? await this.coordinator.createState(action.state)
          : await this.coordinator.writeState(action.state, action.expectedVersion);
      return { kind: 'stateWriteOk', opId, version: result.version };
    } catch (error) {
      if (isDugongError(error, 'DUGONG_ERR_COORD_CONFLICT') || isDugongError(error, 'DUGONG_ERR_COORD_EXISTS')) {
        return { kind: 'stateWriteConflict', opId };
      }
      return { kind: 'stateWriteError', opId, error: errorMessage(error) };
    }
  }

  private payload(): ElectionPayload {
    const { zoneId, ip, pgUrl, backupUrl } = this.self;
    return { zoneId, ip, pgUrl, backupUrl };
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled coordination case ${JSON.stringify(value)}`);
}
