import type { FlowDefinition } from '../schema/flow-schema.js';
import { isWithinBusinessHours } from './calendar-rules.js';
import type { Snapshot, SYSTEM_VALUES } from './snapshot-schema.js';
import { localClockTime, localDate, toLocal } from './zoned-time.js';

const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/**
 * Whether WhatsApp lets the business write freely: within 24 hours of the client's last message
 * (Cloud API "customer service window"). Undefined when the conversation is not on WhatsApp.
 */
export function whatsappWindowOpen(conversation: Snapshot['conversation'], now: Date): boolean | undefined {
  if (!conversation || conversation.channel !== 'whatsapp') return undefined;
  if (conversation.whatsappWindowOpen !== undefined) return conversation.whatsappWindowOpen;
  if (!conversation.lastInboundAt) return false;
  return now.getTime() - Date.parse(conversation.lastInboundAt) < WHATSAPP_WINDOW_MS;
}

/** The `system.*` values: the time in the flow's zone, business hours, the channel, the WhatsApp window. */
export function systemValues(
  definition: Pick<FlowDefinition, 'timeZone' | 'businessHours'>,
  now: Date,
  conversation: Snapshot['conversation'],
  channel = conversation?.channel,
): Record<(typeof SYSTEM_VALUES)[number], unknown> {
  const { timeZone } = definition;
  return {
    now: now.toISOString(),
    today: localDate(now, timeZone),
    time: localClockTime(now, timeZone),
    weekday: toLocal(now, timeZone).weekday,
    channel,
    businessHours: isWithinBusinessHours(now, definition.businessHours, timeZone),
    whatsappWindowOpen: whatsappWindowOpen(conversation, now) ?? false,
  };
}
