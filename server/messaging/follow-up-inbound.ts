import type { LoadedAccount } from '../channels/channel-accounts.js';
import { claimPendingRecording } from '../calls/attach-call-recording.js';
import { ensureCallbackTask } from '../calls/ensure-callback-task.js';
import { applyConsentKeyword } from '../consent/apply-consent-keyword.js';
import type { IngestServices } from './ingest-events.js';
import type { MessageView } from './message-views.js';

/**
 * What a stored inbound message sets off besides being stored: a STOP / START on any channel
 * changes the contact's consent, a call takes a recording that came before it and, when missed,
 * gets its call-back task. Done before the webhook's 200 and on redeliveries too: every step is
 * keyed so a repeat changes nothing, and a delivery whose first attempt died halfway finishes the job.
 */
export async function followUpInbound(
  services: IngestServices,
  account: LoadedAccount,
  message: MessageView,
): Promise<void> {
  switch (message.content.kind) {
    case 'text':
    case 'email':
      await applyConsentKeyword(services, account, message);
      return;
    case 'call':
      if (message.externalId) await claimPendingRecording(services, account.id, message.externalId);
      await ensureCallbackTask(services, account, message);
      return;
    default:
      return;
  }
}
