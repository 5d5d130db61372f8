import { checkInboundEvents } from '../channels/check-inbound-events.js';
import { z } from 'zod';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import { type InboundEvent, type Sender } from '../channels/channel-events.js';
import { whatsappMessageContent } from './whatsapp-message-content.js';
import {
  whatsappMessagesValueSchema,
  whatsappWebhookSchema,
  type WhatsappMessage,
  type WhatsappMessagesValue,
  type WhatsappStatus,
} from './whatsapp-webhook-schema.js';

/**
 * The normalized events in one webhook body for the number `phoneNumberId`. One Meta app may serve
 * several business numbers and posts all of them to the same callback URL, so changes for another
 * number are skipped, not refused.
 */
export function parseWhatsappWebhook(rawBody: Buffer, phoneNumberId: string): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('The WhatsApp webhook body is not JSON');
  }
  const webhook = whatsappWebhookSchema.safeParse(json);
  if (!webhook.success) {
    throw new MalformedPayloadError(`Not a WhatsApp Business Account webhook: ${z.prettifyError(webhook.error)}`);
  }
  const events: InboundEvent[] = [];
  for (const entry of webhook.data.entry) {
    for (const change of entry.changes) {
      // Template reviews, quality and account updates arrive under other fields: nothing for the inbox.
      if (change.field !== 'messages') continue;
      const value = whatsappMessagesValueSchema.safeParse(change.value);
      if (!value.success) {
        throw new MalformedPayloadError(`A WhatsApp messages change is malformed: ${z.prettifyError(value.error)}`);
      }
      if (value.data.metadata.phone_number_id !== phoneNumberId) continue;
      events.push(...valueEvents(value.data));
    }
  }
  return checkInboundEvents(events, 'The WhatsApp webhook');
}

function valueEvents(value: WhatsappMessagesValue): InboundEvent[] {
  const messages = (value.messages ?? []).map((message): InboundEvent => messageEvent(message, value));
  const statuses = (value.statuses ?? []).flatMap((status) => statusEvents(status));
  return [...messages, ...statuses];
}

function messageEvent(message: WhatsappMessage, value: WhatsappMessagesValue): InboundEvent {
  const referral = message.referral;
  return {
    type: 'message',
    externalMessageId: message.id,
    from: sender(message.from, value),
    chatId: message.from,
    sentAt: message.timestamp,
    content: whatsappMessageContent(message),
    source: referral && { payload: referral.source_id, url: referral.source_url },
    replyToExternalId: message.context?.id,
  };
}

function sender(waId: string, value: WhatsappMessagesValue): Sender {
  const contacts = value.contacts ?? [];
  // Meta warns a user's wa_id and phone number "may not always match"; a change carries one
  // person's messages, so a lone profile is theirs even when the ids differ.
  const profile =
    contacts.find((contact) => contact.wa_id === waId) ?? (contacts.length === 1 ? contacts[0] : undefined);
  return {
    externalId: waId,
    name: profile?.profile?.name,
    phone: /^\d+$/.test(waId) ? `+${waId}` : undefined,
  };
}

function statusEvents(status: WhatsappStatus): InboundEvent[] {
  const state = status.status;
  // Meta also reports `deleted` and `warning`; the inbox tracks only the delivery ladder.
  if (state !== 'sent' && state !== 'delivered' && state !== 'read' && state !== 'failed') return [];
  const error = status.errors?.[0];
  return [
    {
      type: 'status',
      externalMessageId: status.id,
      status: state,
      at: status.timestamp,
      error: error && {
        code: String(error.code),
        reason: [error.title ?? error.message, error.error_data?.details].filter(Boolean).join(': ').slice(0, 2000),
      },
    },
  ];
}
