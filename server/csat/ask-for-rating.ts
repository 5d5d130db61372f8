import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import type { DomainEvents } from '../events/domain-events.js';
import { conversationModel } from '../messaging/conversation-model.js';
import { queueMessage } from '../messaging/queue-message.js';
import { csatEnabledFor } from './csat-enabled-for.js';
import { csatPrompt } from './csat-prompt.js';

/**
 * When a person resolves a conversation on a channel account with ratings on (its setting in
 * Settings → Channels, else CSAT_CHANNELS: the site chat and Telegram by default), the client is
 * asked to rate it. The request is an ordinary outbound
 * message with buttons, so it takes the one outbound path (queue, rate limit, retries, statuses);
 * the dedupe key asks once per resolution, however often the event is delivered.
 */
export function askForRatingOnResolve(events: DomainEvents, services: ApiServices): void {
  events.on('conversation.status', async ({ conversation, previousStatus, by }) => {
    if (conversation.status !== 'resolved' || previousStatus === 'resolved' || !by) return;
    if (conversation.unreachable || !(await csatEnabledFor(services, conversation))) return;
    const [contact, stored] = await Promise.all([
      contactModels(services.db)
        .Contact.findById(conversation.contactId, { language: 1 })
        .lean<{ language?: 'ru' | 'en' }>(),
      conversationModel(services.db).findById(conversation.id, { resolvedAt: 1 }).lean<{ resolvedAt?: Date }>(),
    ]);
    if (!stored?.resolvedAt) return;
    await queueMessage(services, {
      conversationId: conversation.id,
      message: csatPrompt(conversation.id, contact?.language),
      author: { kind: 'bot' },
      dedupeKey: `csat|${conversation.id}|${stored.resolvedAt.getTime()}`,
    });
  });
}
