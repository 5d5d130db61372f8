/** A date and time in the user's language, «26 нояб. 2026 г., 15:30» / "Nov 26, 2026, 3:30 PM". */
export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
