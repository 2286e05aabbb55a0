// Re-exports of the shared schemas.
export * from './lsn.js';
export * from './peer.js';
export * from './cluster-state.js';
