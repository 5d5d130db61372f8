const started = Date.now();

/** A line on stderr with the seconds since the suite began: where a slow or stuck run spent its time. */
export function progress(message: string): void {
  process.stderr.write(`[faults +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}
