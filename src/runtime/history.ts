// A bounded, in-memory record of the sitter's decisions, served by GET /history.

export interface DecisionRecord {
  /** ISO-8601 time of the decision. */
  readonly time: string;
  /** One plain sentence, the same one that went to the log. */
  readonly sentence: string;
  readonly generation: number | null;
  /** The transitions-table row that the decision applied, when it changed a role. */
  readonly transitionId?: string;
}

export class DecisionHistory {
  private readonly records: DecisionRecord[] = [];

  constructor(private readonly capacity: number = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('history capacity must be a positive integer');
  }

  add(record: DecisionRecord): void {
    this.records.push(record);
    // Oldest first out: operators want the recent story, and memory must stay flat on a long-lived sitter.
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
  }

  /** Newest last, at most `limit` records. */
  recent(limit: number = this.capacity): readonly DecisionRecord[] {
    return this.records.slice(Math.max(0, this.records.length - limit));
  }

  get size(): number {
    return this.records.length;
  }
}
