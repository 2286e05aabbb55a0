// Public surface of the coordination adapter: the Coordinator contract, its errors, and the ZooKeeper backend.
export * from './coordinator.js';
export * from './coord-errors.js';
export { createZooKeeperCoordinator, type ZooKeeperCoordinatorOptions } from './zookeeper/zookeeper-coordinator.js';
export { digestIdOf, type ZkAccess, type ZkCredential } from './zookeeper/acl.js';
export { loadZkCredential, parseZkCredential, zkPasswordWeaknesses, MIN_ZK_PASSWORD_LENGTH } from './zookeeper/auth-file.js';
