import { parseCsatPayload } from '../csat/csat-payload.js';
import type { MessageRecord } from './message-model.js';

/**
 * Whether an inbound message is the person answering: an autoresponder's mail, or a tap on a
 * rating button after the conversation was resolved, is kept on the timeline but neither reopens
 * the conversation, counts as unread, nor starts a wait for an answer (nor does a consent keyword:
 * see storeInboundMessages). Ingest and the reports' backfill both ask it.
 */
export function isAnswer(message: Pick<MessageRecord, 'content'>): boolean {
  if (message.content.kind === 'button' && parseCsatPayload(message.content.payload)) return false;
  return !(message.content.kind === 'email' && message.content.autoReply);
}
