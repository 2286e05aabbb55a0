// Owns the node-zookeeper-client Client: connects, reports session changes, and replaces the client after expiry.
import zookeeper, { type Client } from 'node-zookeeper-client';
import type { Logger } from '../../log.js';
import type { Clock } from '../../platform/clock.js';
import { coordError } from '../coord-errors.js';
import { authenticate, type ZkAccess } from './acl.js';
import { destroySocket } from './client-internals.js';
import { ConnectionWatchdog, watchdogTiming } from './watchdog.js';

export interface SessionOptions {
  readonly connectString: string;
  /** Requested; the server clamps it to [minSessionTimeout, maxSessionTimeout]. */
  readonly sessionTimeoutMs: number;
  /** Upper bound of the random pause after every server of the connect string was tried. */
  readonly spinDelayMs: number;
  readonly closeTimeoutMs: number;
  /** With a credential, every client (a new one per session) authenticates before it connects. */
  readonly access: ZkAccess;
}

/** `epoch` counts clients (= sessions): a value from an older epoch belongs to a dead session. */
export type SessionSignal =
  | { readonly kind: 'connected'; readonly epoch: number; readonly sessionId: string; readonly sessionTimeoutMs: number; readonly newSession: boolean }
  | { readonly kind: 'disconnected'; readonly epoch: number; readonly sessionId: string }
  | { readonly kind: 'expired'; readonly epoch: number; readonly sessionId: string };

export interface LiveClient {
  readonly client: Client;
  readonly epoch: number;
}

interface Waiter {
  readonly resolve: (live: LiveClient) => void;
  readonly reject: (error: unknown) => void;
}

const OUR_EVENTS = ['connected', 'disconnected', 'expired', 'connectedReadOnly', 'authenticationFailed'] as const;

/** Removes our listeners only: the library's own 'state' listener turns states into these events. */
function detach(client: Client): void {
  for (const event of OUR_EVENTS) client.removeAllListeners(event);
}

export function sessionIdOf(client: Client): string {
  return client.getSessionId().toString('hex');
}

export class ZkSession {
  private client: Client | undefined;
  private watchdog: ConnectionWatchdog | undefined;
  private epoch = 0;
  private connected = false;
  private everConnected = false;
  private closed = false;
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly options: SessionOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onSignal: (signal: SessionSignal) => void,
  ) {}

  /** Starts connecting (the library retries forever); `whenConnected` tells when it is usable. */
  open(): void {
    if (this.closed) throw coordError({ kind: 'closed', operation: 'start' }, 'coordinator is closed');
    if (this.client === undefined) this.replaceClient();
  }

  isClosed(): boolean {
    return this.closed;
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** The client of the current session, if connected. */
  live(): LiveClient | undefined {
    if (!this.connected || this.client === undefined) return undefined;
    return { client: this.client, epoch: this.epoch };
  }

  /** Whether `client` is the client of the current session (watch callbacks of dead clients are ignored). */
  isCurrent(client: Client): boolean {
    return this.client === client && !this.closed;
  }

  currentEpoch(): number {
    return this.epoch;
  }

  /** Resolves with the connected client; rejects `closed` on close. Abort drops the waiter (no leak while down). */
  whenConnected(abort: AbortSignal): Promise<LiveClient> {
    const live = this.live();
    if (live !== undefined) return Promise.resolve(live);
    if (this.closed) return Promise.reject(coordError({ kind: 'closed', operation: 'connect' }, 'coordinator is closed'));
    return new Promise<LiveClient>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiters.add(waiter);
      abort.addEventListener('abort', () => this.waiters.delete(waiter), { once: true });
    });
  }

  private replaceClient(): void {
    this.epoch += 1;
    const epoch = this.epoch;
    const client = zookeeper.createClient(this.options.connectString, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: this.options.spinDelayMs,
      // Retries on CONNECTION_LOSS would re-send writes behind our back; callers decide after re-reading.
      retries: 0,
    });
    this.client = client;
    this.connected = false;
    this.everConnected = false;
    this.watchdog?.stop();
    const watchdog = new ConnectionWatchdog(client, this.clock, this.log, () => watchdogTiming(client.getSessionTimeout()));
    this.watchdog = watchdog;
    client.on('connected', () => watchdog.onConnected());
    client.on('disconnected', () => watchdog.onDisconnected());
    client.on('connected', () => this.onConnected(client, epoch));
    client.on('disconnected', () => this.onDisconnected(client, epoch));
    client.on('expired', () => this.onExpired(client, epoch));
    client.on('connectedReadOnly', () => this.log.warn({ epoch }, 'zookeeper connection is read-only; treated as disconnected'));
    client.on('authenticationFailed', () => this.log.error({ epoch }, 'zookeeper authentication failed'));
    watchdog.onDisconnected();
    // Before connect: the library then sends it right after every handshake of this client, reconnections included.
    authenticate(client, this.options.access);
    client.connect();
  }

  private onConnected(client: Client, epoch: number): void {
    if (epoch !== this.epoch || this.closed) return;
    const newSession = !this.everConnected;
    this.connected = true;
    this.everConnected = true;
    const live: LiveClient = { client, epoch };
    for (const waiter of [...this.waiters]) waiter.resolve(live);
    this.waiters.clear();
    const sessionTimeoutMs = client.getSessionTimeout();
    this.onSignal({ kind: 'connected', epoch, sessionId: sessionIdOf(client), sessionTimeoutMs, newSession });
  }

  private onDisconnected(client: Client, epoch: number): void {
    if (epoch !== this.epoch || this.closed || !this.connected) return;
    this.connected = false;
    this.onSignal({ kind: 'disconnected', epoch, sessionId: sessionIdOf(client) });
  }

  /** The old client is dead for good (later calls would queue forever): drop it and build a new session. */
  private onExpired(client: Client, epoch: number): void {
    if (epoch !== this.epoch || this.closed) return;
    this.connected = false;
    this.watchdog?.stop();
    detach(client);
    // Deferred: we are inside the library's socket data handler.
    void Promise.resolve().then(() => destroySocket(client));
    this.onSignal({ kind: 'expired', epoch, sessionId: sessionIdOf(client) });
    if (!this.closed) this.replaceClient();
  }

  /** Graceful close: the server deletes our ephemeral nodes at once. Bounded by closeTimeoutMs; never rejects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = coordError({ kind: 'closed', operation: 'close' }, 'coordinator closed');
    for (const waiter of this.waiters) waiter.reject(closedError);
    this.waiters.clear();
    this.watchdog?.stop();
    const client = this.client;
    if (client === undefined) return;
    const wasConnected = this.connected;
    this.connected = false;
    detach(client);
    const socketClosed = wasConnected ? this.waitForDisconnect(client) : Promise.resolve();
    client.close();
    await socketClosed;
    // State is CLOSING now, so dropping the socket cannot trigger a reconnect.
    destroySocket(client);
    detach(client);
  }

  private waitForDisconnect(client: Client): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(this.options.closeTimeoutMs, () => {
        this.log.warn({ closeTimeoutMs: this.options.closeTimeoutMs }, 'zookeeper did not confirm the session close in time');
        resolve();
      });
      client.once('disconnected', () => {
        timer.cancel();
        resolve();
      });
    });
  }
}
