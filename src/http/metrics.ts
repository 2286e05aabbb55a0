// Prometheus metrics for one sitter, computed from the status snapshot at scrape time.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PeerRole, StatusSource } from './status-snapshot.js';

const ROLES: readonly PeerRole[] = ['primary', 'sync', 'async', 'deposed', 'unassigned'];

export function createMetricsRegistry(source: StatusSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dugong_process_' });
  new Gauge({
    name: 'dugong_role',
    help: 'Role of this peer in the current generation (1 for the role it holds, 0 otherwise).',
    labelNames: ['role'],
    registers: [registry],
    collect() {
      const role = source.snapshot().role;
      for (const candidate of ROLES) this.set({ role: candidate }, candidate === role ? 1 : 0);
    },
  });
  new Gauge({
    name: 'dugong_generation',
    help: 'Generation of the cluster state this sitter last read (-1 when none).',
    registers: [registry],
    collect() {
      this.set(source.snapshot().generation ?? -1);
    },
  });
  new Gauge({
    name: 'dugong_replication_lag_bytes',
    help: 'Bytes of WAL this standby has not yet replayed (absent on a primary).',
    registers: [registry],
    collect() {
      this.reset();
      const lag = source.snapshot().pg.lagBytes;
      if (lag !== null) this.set(lag);
    },
  });
  new Gauge({
    name: 'dugong_postgres_healthy',
    help: '1 when the last PostgreSQL health check succeeded.',
    registers: [registry],
    collect() {
      this.set(source.snapshot().pg.healthy ? 1 : 0);
    },
  });
  new Gauge({
    name: 'dugong_storage_answering',
    help: '1 while the dataset storage answers its checks, 0 once it has not answered for storageStallBudgetMs.',
    registers: [registry],
    collect() {
      this.set(source.snapshot().storage.answering ? 1 : 0);
    },
  });
  new Counter({
    name: 'dugong_failovers_total',
    help: 'Generation changes this sitter has seen that replaced the primary, since it started.',
    registers: [registry],
    collect() {
      // The sitter owns the count; the counter mirrors it at scrape time.
      this.reset();
      this.inc(source.snapshot().failovers);
    },
  });
  return registry;
}
