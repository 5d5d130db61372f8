import type { Connection } from 'mongoose';
import { conversationModel, type ConversationRecord } from '../../messaging/conversation-model.js';
import { conversationEvent, recordReportEvents, type EventConversation } from './record-report-events.js';

/** The front-door bot took a new conversation: the bot report's leads start here. */
export const botStartedKey = (conversationId: string) => `bot_started|${conversationId}`;

export async function recordBotStarted(db: Connection, conversation: EventConversation, at: Date): Promise<void> {
  await recordReportEvents(db, [
    conversationEvent(conversation, { kind: 'bot_started', at, key: botStartedKey(conversation._id.toHexString()) }),
  ]);
}

/** The bot booked a consultation from a chat (once per appointment). */
export async function recordBotBooked(
  db: Connection,
  booking: { conversationId: string; appointmentId: string; at: Date },
): Promise<void> {
  const conversation = await conversationModel(db).findById(booking.conversationId).lean<ConversationRecord>();
  if (!conversation) return;
  await recordReportEvents(db, [
    conversationEvent(conversation, { kind: 'bot_booked', at: booking.at, key: `bot_booked|${booking.appointmentId}` }),
  ]);
}
