interface Timer {
  key: string;
  at: number;
  seq: number;
  fire: () => void;
}

/** Simulated timers by key: setting a key again moves its timer; due ones come out in time order. */
export class TimerQueue {
  private readonly timers = new Map<string, Timer>();
  private seq = 0;

  set(key: string, at: number, fire: () => void): void {
    const existing = this.timers.get(key);
    if (existing && existing.at === at) return;
    this.seq += 1;
    this.timers.set(key, { key, at, seq: this.seq, fire });
  }

  delete(key: string): void {
    this.timers.delete(key);
  }

  keys(): string[] {
    return [...this.timers.keys()];
  }

  /** The earliest timer due at or before `until` (first set first on a tie), removed from the queue. */
  takeDue(until: number): Timer | undefined {
    let due: Timer | undefined;
    for (const timer of this.timers.values())
      if (timer.at <= until && (!due || timer.at < due.at || (timer.at === due.at && timer.seq < due.seq))) due = timer;
    if (due) this.timers.delete(due.key);
    return due;
  }

  get size(): number {
    return this.timers.size;
  }
}
