import type { ApiServices } from '../api/api-services.js';
import { applyRecipientStatus } from './apply-recipient-status.js';
import { attributeDeal } from './attribute-deal.js';
import { BROADCAST_CHANNELS } from './broadcast-model.js';
import { recordBroadcastOptOut } from './record-broadcast-opt-out.js';
import { recordBroadcastReplies } from './record-broadcast-reply.js';

/**
 * The broadcast side of message events, in every process (statuses arrive by webhook in web
 * processes and from sends in worker processes): a broadcast message's status moves its
 * recipient and the counts; a contact's message may be a reply to a broadcast, an opt-out may
 * follow one, and so may a lead or a deal.
 */
export function listenForBroadcastEvents(services: Pick<ApiServices, 'db' | 'events'>): void {
  services.events.on('message.updated', ({ message }) => {
    if (!message.broadcastId || message.direction !== 'out') return;
    return applyRecipientStatus(services, {
      _id: message.id,
      contactId: message.contactId,
      broadcastId: message.broadcastId,
      status: message.status,
      ...(message.sentAt ? { sentAt: message.sentAt } : {}),
    });
  });
  services.events.onBatch('message.received', (received) =>
    recordBroadcastReplies(
      services,
      received.map(({ message }) => message),
    ),
  );
  // STOP, the unsubscribe link, a blocked bot: the broadcast that last reached them there counts it.
  services.events.on('contact.consent', ({ contactId, channel, status, at }) => {
    const broadcastChannel = BROADCAST_CHANNELS.find((known) => known === channel);
    if (status !== 'opted-out' || !broadcastChannel) return;
    return recordBroadcastOptOut(services, contactId, broadcastChannel, at).then(() => undefined);
  });
  // A lead or deal made for a contact a broadcast reached, and later won: its results.
  services.events.on('lead.received', ({ deal }) => attributeDeal(services, deal));
  services.events.on('deal.updated', ({ deal }) => attributeDeal(services, deal));
  services.events.on('deal.stageChanged', ({ deal }) => attributeDeal(services, deal));
}
