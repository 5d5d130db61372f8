import type { Connection, Types } from 'mongoose';
import { appointmentModel, type AppointmentRecord } from '../../appointments/appointment-model.js';
import { conversationModel, type ConversationRecord } from '../../messaging/conversation-model.js';
import { messageModel, type MessageRecord } from '../../messaging/message-model.js';
import { messagesSent } from '../activity-counts.js';
import { forgetKeptDays } from '../daily/daily-counts.js';
import { responseGroups } from './response-groups.js';
import { readReportSettings } from '../report-settings-model.js';
import { deriveReportEvents, type DerivableMessage } from './derive-report-events.js';
import { recordReportEvents } from './record-report-events.js';
import { reportEventModel } from './report-event-model.js';

/** Conversations read (with their messages) at once. */
const BATCH = 200;

/**
 * Writes the report events of conversations that have none yet, derived from their stored
 * messages (deriveReportEvents): the demo seed's chats, or every conversation of a workspace
 * upgraded from before the events existed. A conversation with any event is left alone (the live
 * path has recorded it), and the events' unique keys make a second run write nothing.
 */
export async function backfillReportEvents(
  db: Connection,
  options: { conversationIds?: readonly Types.ObjectId[] } = {},
): Promise<{ conversations: number; events: number }> {
  const { slaMinutes } = await readReportSettings(db);
  const Conversation = conversationModel(db);
  const filter = options.conversationIds ? { _id: { $in: [...options.conversationIds] } } : {};
  const totals = { conversations: 0, events: 0 };
  let batch: ConversationRecord[] = [];
  const flush = async () => {
    const written = await backfillBatch(db, batch, slaMinutes);
    totals.conversations += written.conversations;
    totals.events += written.events;
    batch = [];
  };
  for await (const conversation of Conversation.find(filter).sort({ _id: 1 }).lean<ConversationRecord[]>().cursor()) {
    batch.push(conversation as ConversationRecord);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  // Measures of events are kept per day once counted; days that just got events are counted again.
  if (totals.events > 0) {
    await forgetKeptDays(db, messagesSent.id);
    await forgetKeptDays(db, responseGroups.id);
  }
  return totals;
}

async function backfillBatch(
  db: Connection,
  conversations: ConversationRecord[],
  slaMinutes: number,
): Promise<{ conversations: number; events: number }> {
  const ids = conversations.map((conversation) => conversation._id);
  const recorded = new Set(
    (await reportEventModel(db).distinct('conversationId', { conversationId: { $in: ids } })).map(String),
  );
  const pending = conversations.filter((conversation) => !recorded.has(conversation._id.toHexString()));
  if (pending.length === 0) return { conversations: 0, events: 0 };
  const pendingIds = pending.map((conversation) => conversation._id);
  const messages = await messageModel(db)
    .find(
      { conversationId: { $in: pendingIds } },
      { conversationId: 1, direction: 1, author: 1, content: 1, broadcastId: 1, dedupeKey: 1, sentAt: 1, createdAt: 1 },
    )
    .lean<(DerivableMessage & Pick<MessageRecord, 'conversationId'>)[]>();
  const booked = await (
    await appointmentModel(db)
  )
    .find({ 'chat.conversationId': { $in: pendingIds }, 'createdBy.kind': 'automation' }, { chat: 1, createdAt: 1 })
    .lean<Pick<AppointmentRecord, '_id' | 'chat' | 'createdAt'>[]>();
  const byConversation = new Map<string, DerivableMessage[]>();
  for (const message of messages) {
    const id = message.conversationId.toHexString();
    const list = byConversation.get(id);
    if (list) list.push(message);
    else byConversation.set(id, [message]);
  }
  const derived = pending.map((conversation) => {
    const id = conversation._id.toHexString();
    return {
      id: conversation._id,
      ...deriveReportEvents(conversation, byConversation.get(id) ?? [], {
        slaMinutes,
        booked: booked
          .filter((appointment) => appointment.chat?.conversationId.toHexString() === id)
          .map((appointment) => ({ id: appointment._id, at: appointment.createdAt })),
      }),
    };
  });
  // The live path goes on from the clock the messages imply: a client still waiting is answered as a reply.
  const clocks = derived.filter(({ clock }) => Object.keys(clock).length > 0);
  if (clocks.length > 0)
    await conversationModel(db).collection.bulkWrite(
      clocks.map(({ id, clock }) => ({ updateOne: { filter: { _id: id }, update: { $min: { ...clock } } } })),
      { ordered: false },
    );
  const events = derived.flatMap((conversation) => conversation.events);
  return { conversations: pending.length, events: await recordReportEvents(db, events) };
}
