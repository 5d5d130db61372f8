import type { Connection, Types } from 'mongoose';
import { readReportSettings } from '../report-settings-model.js';
import { recordReportEvents } from './record-report-events.js';
import { replyEvents, type ReplyContext } from './reply-events.js';

/**
 * Records a person's outbound message for the reports, as the conversation was before it: the
 * SLA is read only when the client was waiting (the answer is then measured against it).
 */
export async function recordReply(
  db: Connection,
  conversation: ReplyContext,
  message: { id: Types.ObjectId; userId?: Types.ObjectId; at: Date },
): Promise<void> {
  const slaMinutes = conversation.waitingSince ? (await readReportSettings(db)).slaMinutes : 0;
  await recordReportEvents(db, replyEvents(conversation, message, slaMinutes));
}
