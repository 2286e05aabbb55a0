// Detects connections the client library would wait on forever and drops them, so the library reconnects (to another server).
import type { Client } from 'node-zookeeper-client';
import type { Logger } from '../../log.js';
import type { Clock, TimerHandle } from '../../platform/clock.js';
import { destroySocket } from './client-internals.js';

export interface WatchdogTiming {
  /** While not connected: a TCP connection without a handshake answer after this long is dropped. */
  readonly handshakeTimeoutMs: number;
  /** While connected: pause between liveness probes, and how long a probe may take. */
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
}

/** Java-client-like bounds derived from the (negotiated) session timeout. */
export function watchdogTiming(sessionTimeoutMs: number): WatchdogTiming {
  const third = Math.floor(sessionTimeoutMs / 3);
  return { handshakeTimeoutMs: Math.min(3_000, Math.max(250, third)), probeIntervalMs: third, probeTimeoutMs: third };
}

/**
 * node-zookeeper-client has no handshake or read timeout (the Java client has both). Measured on 3.8.0: a
 * connection accepted while the server is still starting can hit a server-side NPE and stay open with our
 * ConnectRequest unread, so the client waits forever while its session expires; and a frozen server
 * (SIGSTOP, partition without RST) keeps the socket "connected" because the library only ever writes pings.
 */
export class ConnectionWatchdog {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly timing: () => WatchdogTiming,
  ) {}

  /** Not connected (initially, and after every disconnect): keep forcing fresh attempts until connected. */
  onDisconnected(): void {
    this.schedule(this.timing().handshakeTimeoutMs, () => {
      this.log.debug('no zookeeper handshake in time; dropping the connection attempt');
      destroySocket(this.client);
      this.onDisconnected();
    });
  }

  onConnected(): void {
    this.schedule(this.timing().probeIntervalMs, () => this.probe());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(delayMs: number, action: () => void): void {
    this.timer?.cancel();
    if (this.stopped) return;
    this.timer = this.clock.setTimer(delayMs, () => {
      this.timer = undefined;
      if (!this.stopped) action();
    });
  }

  private probe(): void {
    const { probeTimeoutMs } = this.timing();
    let answered = false;
    this.schedule(probeTimeoutMs, () => {
      if (answered) return;
      this.log.warn({ probeTimeoutMs }, 'zookeeper server stopped answering; reconnecting (same session if in time)');
      destroySocket(this.client);
    });
    this.client.exists('/', () => {
      answered = true;
      // Any answer (even an error) proves the connection is alive or already known to be gone.
      if (!this.stopped) this.onConnected();
    });
  }
}
