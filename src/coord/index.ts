// Public surface of the coordination adapter: the Coordinator contract, its errors, and the ZooKeeper backend.
export * from './coordinator.js';
export * from './coord-errors.js';
export { createZooKeeperCoordinator, type ZooKeeperCoordinatorOptions } from './zookeeper/zookeeper-coordinator.js';
