/**
 * When a running broadcast should finish, as people say it: «через 3 минуты» / "in 3 minutes";
 * undefined when the server does not know (paused, nothing left, no rate measured yet).
 */
export function formatEta(eta: string | null | undefined, now: Date, locale: string): string | undefined {
  if (!eta) return undefined;
  const seconds = Math.max(0, Math.round((new Date(eta).getTime() - now.getTime()) / 1000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (seconds < 60) return format.format(seconds, 'second');
  if (seconds < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return format.format(Math.round(seconds / 360) / 10, 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}
