import type { Connection } from 'mongoose';
import { conversationEvent, recordReportEvents, type EventConversation } from './record-report-events.js';

/** The key of a hand-over: one per conversation and moment (the live path and the backfill agree on it). */
export const handoffKey = (conversation: EventConversation, at: Date) =>
  `handoff|${conversation._id.toHexString()}|${at.getTime()}`;

/** The bot gave the conversation to a person. */
export async function recordHandoff(db: Connection, conversation: EventConversation, at: Date): Promise<void> {
  await recordReportEvents(db, [
    conversationEvent(conversation, { kind: 'handoff', at, key: handoffKey(conversation, at) }),
  ]);
}
