import type { Deal } from './deal-views.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** How long a deal has been in its stage, «3 дн.» / "3 days" (hours on its first day), for the card. */
export function stageAge(deal: Pick<Deal, 'stageHistory' | 'createdAt'>, now: Date, locale: string): string {
  const since = deal.stageHistory[deal.stageHistory.length - 1]?.enteredAt ?? deal.createdAt;
  const elapsed = Math.max(0, now.getTime() - new Date(since).getTime());
  const [value, unit] = elapsed < DAY ? [Math.floor(elapsed / HOUR), 'hour'] : [Math.floor(elapsed / DAY), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}
