import { mailboxPools } from '../../bot/email/mailbox-pools.js';
import type { ApiServices } from '../api/api-services.js';
import { BroadcastDispatcher } from '../broadcasts/broadcast-dispatcher.js';
import { createEmailSync } from '../channels/email-sync.js';
import { createTelegramPolling } from '../channels/telegram-polling.js';
import { fetchInboundMedia, MEDIA_FETCH_QUEUE } from '../messaging/media-fetch-queue.js';
import { OutboundDispatcher } from '../messaging/outbound-dispatcher.js';
import { endSnooze, SNOOZE_QUEUE } from '../messaging/snooze-queue.js';
import { startReportDays } from '../reports/daily/report-days-queue.js';
import { startWeeklyDigest } from '../reports/digest/weekly-digest-queue.js';

/**
 * The background half of the channels, in a process with the worker role: one outbound worker
 * per channel account, the broadcasts' delivery workers, the inbound media fetcher, Telegram long
 * polling for bots set to it, the reading of connected mailboxes, the weekly digest mailed to
 * managers (the app's one outgoing mail that is not a conversation), and the reports' daily counts.
 */
export function startChannelWorkers(services: ApiServices): { stop(): Promise<void> } {
  const outbound = new OutboundDispatcher(services, services.queues);
  const broadcasts = new BroadcastDispatcher(services);
  const polling = createTelegramPolling(services);
  const mailboxes = createEmailSync(services);
  const digest = startWeeklyDigest(services);
  const reportDays = startReportDays(services);
  services.queues.process<{ messageId: string }>(MEDIA_FETCH_QUEUE, (job) => fetchInboundMedia(services, job), {
    concurrency: 4,
  });
  services.queues.process(SNOOZE_QUEUE, (job) => endSnooze(services, job), { concurrency: 4 });
  outbound.start();
  broadcasts.start();
  polling.start();
  mailboxes.start();
  services.events.on('channel.changed', () => {
    void outbound.reconcile();
    void polling.reconcile();
    void mailboxes.reconcile();
  });
  return {
    async stop() {
      await digest.stop();
      await reportDays.stop();
      await mailboxes.stop();
      await polling.stop();
      await broadcasts.stop();
      await outbound.stop();
      // After the last send: a pooled SMTP session left open would hold the server's session cap.
      mailboxPools.closeAll();
    },
  };
}
