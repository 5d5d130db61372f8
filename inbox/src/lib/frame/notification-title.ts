import { t } from '../i18n.svelte';
import type { NotificationView } from './notification-feed.svelte';

/** The line a notification is shown under, in the bell and in the browser's notification. */
export function notificationTitle(item: Pick<NotificationView, 'kind' | 'actor'>): string {
  if (item.kind === 'flow') return t('flows.notification', { flow: item.actor?.name ?? '' });
  if (item.kind === 'appointment') return t('bell.appointment');
  if (item.kind === 'assignment' && !item.actor) return t('bell.autoAssigned');
  const actor = item.actor?.name ?? t('bell.someone');
  return item.kind === 'assignment' ? t('bell.assigned', { actor }) : t('bell.mention', { actor });
}
