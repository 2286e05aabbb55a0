// The run's timeline: faults, heals, role changes, rebuilds and notes, each stamped with wall time, plus a background role watcher.
import { BackgroundLoop } from '../helpers/workload.js';
import { observe } from './health.js';
import type { ChaosPeer } from './peers.js';

export type EventKind = 'setup' | 'fault' | 'heal' | 'roles' | 'rebuild' | 'wait' | 'gap' | 'note' | 'error';

export interface TimelineEvent {
  readonly atMs: number;
  readonly kind: EventKind;
  readonly text: string;
  readonly fault?: number;
}

export class Timeline {
  readonly events: TimelineEvent[] = [];
  readonly startedAtMs = Date.now();

  add(kind: EventKind, text: string, fault?: number): void {
    this.events.push({ atMs: Date.now(), kind, text, ...(fault === undefined ? {} : { fault }) });
    if (process.env['CHAOS_VERBOSE'] !== undefined) console.log(`${this.stamp(Date.now())} ${kind.padEnd(7)} ${text}`);
  }

  stamp(atMs: number): string {
    return `+${((atMs - this.startedAtMs) / 1000).toFixed(1).padStart(7)}s`;
  }

  /** One line per event, in time order (gaps are added after the run, so sort). */
  render(): string {
    const sorted = [...this.events].sort((a, b) => a.atMs - b.atMs);
    return `${sorted.map((e) => `${this.stamp(e.atMs)}  ${e.kind.padEnd(7)}  ${e.text}`).join('\n')}\n`;
  }
}

/** Polls every sitter's /state twice a second and adds a 'roles' event whenever roles or the generation change. */
export class RoleWatcher extends BackgroundLoop {
  private last = '';

  constructor(private readonly peers: readonly ChaosPeer[], private readonly timeline: Timeline) {
    super();
  }

  protected async run(): Promise<void> {
    while (this.running) {
      const view = await observe(this.peers).catch(() => undefined);
      if (view !== undefined) {
        const roles = this.peers.map((p) => `${p.name}=${view.roles[p.name] ?? 'down'}`).join(' ');
        const line = `gen ${view.state?.generation ?? '-'}: ${roles}`;
        if (line !== this.last) this.timeline.add('roles', line);
        this.last = line;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
