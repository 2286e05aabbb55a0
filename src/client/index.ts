// Public surface of the topology client library.
export { createClient, TopologyClient, type ClientOptions, type TopologyClientEvents } from './client.js';
export { multiHostUrl, type MultiHostUrlOptions } from './multi-host-url.js';
export { parsePgUrl, type PgUrlParts } from './pg-url.js';
export { sameTopology, topologyOf } from './topology.js';
