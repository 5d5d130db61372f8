const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** How far ahead of UTC the zone's clocks are at an instant, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time ("2024-05-17 14:03:11") names in a time zone, or undefined when
 * the text is not such a time. Corrected once for a zone whose offset differs at the result (a
 * time right after a daylight-saving change).
 */
export function zonedTime(text: string, timeZone: string): Date | undefined {
  const match = LOCAL_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const guess = wall - offsetMs(wall, timeZone);
  const at = new Date(wall - offsetMs(guess, timeZone));
  return Number.isNaN(at.getTime()) ? undefined : at;
}
