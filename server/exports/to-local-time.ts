/**
 * A moment as the exporting user's wall clock: the text 'YYYY-MM-DD HH:mm' for CSV, and a Date
 * whose UTC fields are that wall clock for XLSX (spreadsheet dates carry no time zone; exceljs
 * writes a Date's UTC fields, so the cell shows the user's local time).
 */
export function toLocalTime(moment: Date, timeZone: string): { text: string; wallClock: Date } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(moment)
      .map((part) => [part.type, part.value]),
  );
  const [year, month, day, hour, minute] = ['year', 'month', 'day', 'hour', 'minute'].map((type) =>
    Number(parts[type]),
  );
  return {
    text: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`,
    wallClock: new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!)),
  };
}
