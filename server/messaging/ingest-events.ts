import { Types } from 'mongoose';
import type { InboundBlockEvent, InboundEvent } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { attachCallRecording } from '../calls/attach-call-recording.js';
import { applyBlockConsent } from '../consent/apply-block-consent.js';
import { applyDeliveryStatus } from './apply-delivery-status.js';
import { followUpInbound } from './follow-up-inbound.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { toConversationView, type MessageView } from './message-views.js';

export type IngestServices = Pick<ApiServices, 'db' | 'events' | 'queues' | 'logger' | 'inbound'>;

export type IngestOutcome =
  | { type: 'message'; duplicate: boolean; message: MessageView }
  | { type: 'status'; applied: boolean }
  | { type: 'blocked' | 'unblocked'; conversations: number }
  | { type: 'recording'; attached: boolean };

/**
 * The one path every inbound event takes, whatever the channel: stored exactly once (the
 * account + provider message id is a unique key, so redeliveries are absorbed), tied to a
 * contact and a conversation, then announced as a domain event. When this resolves the event is
 * durable, and only then may a webhook answer 200. Messages go through the process's inbound
 * batcher, which stores the messages of concurrent requests together.
 */
export async function ingestEvents(
  services: IngestServices,
  account: LoadedAccount,
  events: InboundEvent[],
): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  // In order: a payload may carry a message and, after it, its own status.
  for (const event of events) {
    switch (event.type) {
      case 'message': {
        const outcome = await services.inbound.store({ account, event });
        await followUpInbound(services, account, outcome.message);
        outcomes.push(outcome);
        break;
      }
      case 'status':
        outcomes.push({ type: 'status', applied: await applyDeliveryStatus(services, account, event) });
        break;
      case 'blocked':
      case 'unblocked':
        outcomes.push({ type: event.type, conversations: await markReachability(services, account, event) });
        break;
      case 'recording':
        outcomes.push({ type: 'recording', attached: await attachCallRecording(services, account.id, event) });
        break;
    }
  }
  return outcomes;
}

/**
 * Blocking the bot leaves its conversations unreachable (replies are refused at once) and opts the
 * person out of the channel; unblocking makes them reachable again and undoes that opt-out.
 */
async function markReachability(
  services: IngestServices,
  account: LoadedAccount,
  event: InboundBlockEvent,
): Promise<number> {
  const Conversation = conversationModel(services.db);
  const filter = { channelAccountId: new Types.ObjectId(account.id), chatId: event.from.externalId };
  const result = await Conversation.updateMany(
    filter,
    event.type === 'blocked' ? { $set: { unreachableAt: event.at } } : { $unset: { unreachableAt: 1 } },
  );
  await applyBlockConsent(services, account, event);
  for (const conversation of await Conversation.find(filter).lean<ConversationRecord[]>()) {
    services.events.emit({ type: 'conversation.updated', conversation: toConversationView(conversation) });
  }
  return result.modifiedCount;
}
