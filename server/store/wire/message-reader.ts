/**
 * Splits a TCP byte stream into MongoDB wire messages (each starts with its int32 length).
 * A length outside [16, maxMessageBytes] is a protocol violation: the caller closes the socket.
 */
export class FrameTooLargeError extends Error {}
export class MalformedFrameError extends Error {}

export const MAX_MESSAGE_BYTES = 48_000_000;
export const HEADER_BYTES = 16;

export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  /** Feeds bytes; returns the complete frames now available (possibly none). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_BYTES) throw new MalformedFrameError(`message length ${length} is below the header size`);
      if (length > this.maxMessageBytes) {
        throw new FrameTooLargeError(`message length ${length} exceeds ${this.maxMessageBytes} bytes`);
      }
      if (this.buffered < length) break;
      frames.push(this.take(length));
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32LE(0);
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.readInt32LE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length === length) {
      this.chunks.shift();
      this.buffered -= length;
      return first;
    }
    if (first.length > length) {
      this.chunks[0] = first.subarray(length);
      this.buffered -= length;
      return first.subarray(0, length);
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > length ? [all.subarray(length)] : [];
    this.buffered -= length;
    return all.subarray(0, length);
  }
}
