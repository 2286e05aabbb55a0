// The real adapters behind dugong-adm: ZooKeeper, direct PostgreSQL probes, the system clock, sitter config files.
import { createZooKeeperCoordinator, loadZkCredential } from '../coord/index.js';
import { silentLogger } from '../log.js';
import { systemClock } from '../platform/clock.js';
import { loadConfigFile } from '../platform/config-file.js';
import { SitterConfigSchema } from '../schema/sitter-config.js';
import { probePeerPg } from './pg-probe.js';
import type { AdmDeps } from './types.js';

export function realAdmDeps(): AdmDeps {
  return {
    clock: systemClock,
    createCoordinator: (target) =>
      createZooKeeperCoordinator({
        connectString: target.connectString,
        shardPath: target.shardPath,
        sessionTimeoutMs: target.sessionTimeoutMs,
        callTimeoutMs: target.callTimeoutMs,
        // An operator waiting on an unreachable ZooKeeper wants to know within seconds, not a session timeout.
        connectTimeoutMs: target.callTimeoutMs,
        access: target.access,
        log: silentLogger(),
      }),
    probe: (peer, timeoutMs) => probePeerPg(peer, systemClock, timeoutMs),
    loadSitterConfig: (path) => loadConfigFile(path, SitterConfigSchema),
    loadZkCredential,
    http: async ({ method, url, timeoutMs }) => {
      const response = await fetch(url, { method, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the caller reports the status and the text.
      }
      return { status: response.status, body };
    },
  };
}
