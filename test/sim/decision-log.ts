// The runner's DecisionHistory in the simulator: every decision also goes to the world's log (traces, replays, scenarios).
import { TRANSITION_IDS, type TransitionId } from '../../src/fsm/index.js';
import type { PeerId } from '../../src/schema/index.js';
import { DecisionHistory, type DecisionRecord } from '../../src/runtime/history.js';

export type DecisionSink = (peer: PeerId, sentence: string, transition: TransitionId | null) => void;

const KNOWN_TRANSITIONS: ReadonlySet<string> = new Set(TRANSITION_IDS);

function isTransitionId(id: string): id is TransitionId {
  return KNOWN_TRANSITIONS.has(id);
}

/** Keeps only a short history itself (nothing in the simulator serves GET /history); the sink keeps what the run needs. */
export class SimDecisionLog extends DecisionHistory {
  constructor(
    private readonly peer: PeerId,
    private readonly sink: DecisionSink,
  ) {
    super(16);
  }

  override add(record: DecisionRecord): void {
    super.add(record);
    const id = record.transitionId;
    if (id !== undefined && !isTransitionId(id)) throw new RangeError(`the runner logged an unknown transition ${id}`);
    this.sink(this.peer, record.sentence, id ?? null);
  }
}
