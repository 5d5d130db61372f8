import { checkInboundEvents } from '../channels/check-inbound-events.js';
import { z } from 'zod';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import { type InboundEvent, type Sender } from '../channels/channel-events.js';
import { readVkCallback } from './read-vk-callback.js';
import { vkMessageNewSchema, vkMessagePermissionSchema, type VkMessage } from './vk-callback-schema.js';
import { vkMessageContents } from './vk-message-contents.js';

/** VK's interface language ids (client_info.lang_id) for the languages the inbox speaks. */
const LANGUAGES: Record<number, string> = { 0: 'ru', 3: 'en' };
const MAX_REF_LENGTH = 200;

/**
 * The normalized events in one Callback API request for community `groupId`. Only incoming
 * messages and a person's ban on messages matter to the inbox; every other event the community
 * is subscribed to (message_reply for what we send, typing, wall posts…) is answered and dropped.
 */
export function parseVkCallback(rawBody: Buffer, groupId: number): InboundEvent[] {
  const event = readVkCallback(rawBody);
  if (!event) throw new MalformedPayloadError('Not a VK Callback API event: a JSON object with type and group_id');
  // The secret key and URL of one community's server pasted into another's settings: refusing it
  // makes VK show the errors to that community's admin instead of losing its messages here.
  if (event.group_id !== groupId) {
    throw new MalformedPayloadError(`This callback URL belongs to VK community ${groupId}, not ${event.group_id}`);
  }
  const events = eventsOf(event.type, event.object, event.group_id);
  return checkInboundEvents(events, 'The VK event');
}

function eventsOf(type: string, object: unknown, groupId: number): InboundEvent[] {
  switch (type) {
    case 'message_new': {
      const parsed = vkMessageNewSchema.safeParse(object);
      if (!parsed.success)
        throw new MalformedPayloadError(`A VK message_new is malformed: ${z.prettifyError(parsed.error)}`);
      const language = LANGUAGES[parsed.data.client_info?.lang_id ?? -1];
      return messageEvents(parsed.data.message, groupId, language);
    }
    case 'message_deny': {
      const parsed = vkMessagePermissionSchema.safeParse(object);
      if (!parsed.success)
        throw new MalformedPayloadError(`A VK message_deny is malformed: ${z.prettifyError(parsed.error)}`);
      // Until the person allows messages again every send is refused with 901.
      return [{ type: 'blocked', from: { externalId: String(parsed.data.user_id) }, at: new Date() }];
    }
    case 'message_allow': {
      const parsed = vkMessagePermissionSchema.safeParse(object);
      if (!parsed.success)
        throw new MalformedPayloadError(`A VK message_allow is malformed: ${z.prettifyError(parsed.error)}`);
      // The person allowed the community's messages again (https://dev.vk.com/ru/api/community-events/json-schema).
      return [{ type: 'unblocked', from: { externalId: String(parsed.data.user_id) }, at: new Date() }];
    }
    default:
      return [];
  }
}

function messageEvents(message: VkMessage, groupId: number, language: string | undefined): InboundEvent[] {
  // Something the community itself wrote is not a person's message.
  if (message.from_id === -groupId) return [];
  const key = messageKey(message);
  const from: Sender = { externalId: String(message.from_id), ...(language ? { language } : {}) };
  // `ref` comes from a link anyone can make up: cut to what a contact's source keeps rather than
  // refuse the message, which VK would deliver again and again.
  const source = message.ref ? { payload: message.ref.slice(0, MAX_REF_LENGTH) } : undefined;
  return vkMessageContents(message).map((content, index): InboundEvent => ({
    type: 'message',
    // One VK message may become several inbox messages; each keeps a stable id of its own so a
    // redelivery is absorbed part by part.
    externalMessageId: index === 0 ? key : `${key}/${index}`,
    from,
    chatId: String(message.peer_id),
    sentAt: message.date,
    content,
    source,
    replyToExternalId: message.reply_message?.id ? String(message.reply_message.id) : undefined,
  }));
}

/**
 * A message's id within the community: `id` in private dialogs; in group chats `id` is 0 and only
 * the conversation's own numbering identifies it.
 */
function messageKey(message: VkMessage): string {
  if (message.id > 0) return String(message.id);
  if (message.conversation_message_id !== undefined) return `${message.peer_id}_${message.conversation_message_id}`;
  throw new MalformedPayloadError(`A VK message in ${message.peer_id} has neither id nor conversation_message_id`);
}
