// The package entry: the topology client for applications (createClient) and the libpq multi-host URL helper.
export { createClient, multiHostUrl, TopologyClient } from './client/index.js';
export type { ClientOptions, MultiHostUrlOptions, TopologyClientEvents } from './client/index.js';
export { DugongError, isDugongError, type ErrorCode } from './errors.js';
