// The virtual clock and its event queue: a binary heap ordered by time, then by scheduling order (FIFO ties).

interface Scheduled {
  readonly atMs: number;
  readonly seq: number;
  readonly run: () => void;
}

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  nowMs: number;
  processed = 0;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  at(atMs: number, run: () => void): void {
    this.push({ atMs: atMs < this.nowMs ? this.nowMs : atMs, seq: this.seq++, run });
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.nowMs + delayMs, run);
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs the next event; false when the queue is empty. */
  step(): boolean {
    const next = this.pop();
    if (next === undefined) return false;
    this.nowMs = next.atMs;
    this.processed += 1;
    next.run();
    return true;
  }

  private before(a: Scheduled, b: Scheduled): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const up = heap[parent] as Scheduled;
      if (!this.before(item, up)) break;
      heap[index] = up;
      index = parent;
    }
    heap[index] = item;
  }

  private pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && this.before(heap[right] as Scheduled, heap[left] as Scheduled) ? right : left;
      const candidate = heap[child] as Scheduled;
      if (!this.before(candidate, last)) break;
      heap[index] = candidate;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
