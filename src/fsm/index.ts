// The public face of the state machine for the runner, the status API and tools (createDecide stays in testing.ts).
export type { Action, ActionKind, Decision } from './actions.js';
export { DEFAULT_FSM_CONFIG, FsmConfigSchema, type FsmConfig } from './config.js';
export { decide, type DecideFn } from './decide.js';
export { checkInvariants } from './invariants.js';
export type { Observation, ObservationKind } from './observations.js';
export { chainOf, dedupeActive, effectiveRole, roleIn, upstreamOf } from './roles.js';
export { initialSitterState } from './state.js';
export { TRANSITIONS, TRANSITION_IDS, transitionRow, type TransitionId, type TransitionRow } from './transitions.js';
export { renderStateDiagram } from './diagram.js';
export { promoteRequestVerdict, type PromoteCode, type PromoteVerdict } from './rules/promote-request.js';
export { storageVerdict, type StorageVerdict } from './rules/storage.js';
export { successorCouldTakeOver, type SuccessorCode, type SuccessorVerdict } from './rules/successor.js';
export { isoToEpochMs } from './time.js';
export type * from './types.js';
