// Who can talk to whom: peer ↔ coordinator links, peer ↔ peer links and a full coordination outage.

export class Network {
  readonly coordLink: boolean[];
  private readonly peerLinks: boolean[][];
  outage = false;

  constructor(peerCount: number) {
    this.coordLink = Array.from({ length: peerCount }, () => true);
    this.peerLinks = Array.from({ length: peerCount }, () => Array.from({ length: peerCount }, () => true));
  }

  peerLink(a: number, b: number): boolean {
    return this.peerLinks[a]?.[b] ?? false;
  }

  setPeerLink(a: number, b: number, up: boolean): void {
    const rowA = this.peerLinks[a];
    const rowB = this.peerLinks[b];
    if (rowA === undefined || rowB === undefined) return;
    rowA[b] = up;
    rowB[a] = up;
  }

  healAll(): void {
    this.outage = false;
    this.coordLink.fill(true);
    for (const row of this.peerLinks) row.fill(true);
  }
}
