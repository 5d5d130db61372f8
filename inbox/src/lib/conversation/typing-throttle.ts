/**
 * Turns key presses into the few "typing" signals the server relays: `true` at the first key and
 * again at most every `intervalMs` while keys keep coming (the receivers forget a signal after a
 * while), `false` once the keys stop for `idleMs`, or at once when the reply is sent.
 */
export class TypingThrottle {
  private lastSent: number | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (typing: boolean) => void,
    private readonly intervalMs = 3000,
    private readonly idleMs = 4000,
  ) {}

  /** A key was pressed in the composer. */
  keystroke(): void {
    const now = Date.now();
    if (this.lastSent === undefined || now - this.lastSent >= this.intervalMs) {
      this.lastSent = now;
      this.send(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), this.idleMs);
  }

  /** The operator stopped: sent, cleared the text, or left the conversation. Says so once. */
  stop(): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    if (this.lastSent === undefined) return;
    this.lastSent = undefined;
    this.send(false);
  }
}
