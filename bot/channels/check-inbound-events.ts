import { z } from 'zod';
import { MalformedPayloadError } from './channel-errors.js';
import { inboundEventSchema, type InboundEvent } from './channel-events.js';

const inboundEventsSchema = z.array(inboundEventSchema);

/**
 * What an adapter made of a provider's payload, held to the normalized event shapes: a payload
 * that yields no valid event is the provider's malformed body (400), never a crash further on.
 * `source` names the payload in the message, e.g. 'The WhatsApp webhook'.
 */
export function checkInboundEvents(events: unknown[], source: string): InboundEvent[] {
  const checked = inboundEventsSchema.safeParse(events);
  if (!checked.success) {
    throw new MalformedPayloadError(`${source} does not fit an inbound event: ${z.prettifyError(checked.error)}`);
  }
  return checked.data;
}
