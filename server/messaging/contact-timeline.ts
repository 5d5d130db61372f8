import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { decodeCursor, encodeCursor } from '../api/pagination.js';
import { dealModel } from '../deals/deal-model.js';
import { stageTimelineItems, type StageDeal, type StageTimelineItem } from '../deals/stage-timeline-items.js';
import { inboundLeadModel, type InboundLeadRecord } from '../leads/inbound-lead-model.js';
import type { InboundLeadView } from '../leads/inbound-lead-schema.js';
import { toInboundLeadView } from '../leads/to-inbound-lead-view.js';
import { noteModels, type NoteRecord } from '../notes/note-models.js';
import { toNoteView } from '../notes/to-note-view.js';
import type { NoteView } from '../notes/note-schemas.js';
import { taskModel, type TaskRecord } from '../tasks/task-model.js';
import type { TaskView } from '../tasks/task-schema.js';
import { toTaskView } from '../tasks/to-task-view.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toMessageView, type MessageView } from './message-views.js';

export type TimelineItem =
  | { kind: 'message'; id: string; at: string; message: MessageView }
  | { kind: 'note'; id: string; at: string; note: NoteView }
  | { kind: 'task'; id: string; at: string; task: TaskView }
  /**
   * A web form submission or a partner's lead. Not a message: it arrives on no conversation, nobody
   * can reply to it where it came from, and the bot must not answer it; so it keeps its own record
   * and the channel spine stays the one path for messages. Operators reply on the contact's channels.
   */
  | { kind: 'lead'; id: string; at: string; lead: InboundLeadView }
  /** A deal of the contact created in or moved to a stage (won and lost included). */
  | StageTimelineItem;

/**
 * One contact's history, newest first: messages on every channel, notes, tasks, leads from web
 * forms and partners, the stage changes of the contact's deals. Each source is
 * read by `_id` (ObjectIds grow with time) below the cursor and the pages are merged, so a page
 * costs `limit + 1` reads per source however long the history is. Stage changes live inside the
 * deals (a contact has a handful), so those are read whole and cut the same way.
 */
export async function contactTimeline(
  services: Pick<ApiServices, 'db'>,
  contactId: string,
  options: { limit: number; cursor?: string },
): Promise<{ items: TimelineItem[]; nextCursor?: string }> {
  const before = decodeCursor(options.cursor);
  const contact = new Types.ObjectId(contactId);
  const below = before ? { _id: { $lt: new Types.ObjectId(before) } } : {};
  const take = options.limit + 1;
  const Task = await taskModel(services.db);
  const Lead = await inboundLeadModel(services.db);
  const Deal = await dealModel(services.db);
  const [messages, notes, tasks, leads, deals] = await Promise.all([
    messageModel(services.db)
      .find({ contactId: contact, ...below })
      .sort({ _id: -1 })
      .limit(take)
      .lean<MessageRecord[]>(),
    noteModels(services.db)
      .Note.find({ entity: 'contact', entityId: contact, ...below })
      .sort({ _id: -1 })
      .limit(take)
      .lean<NoteRecord[]>(),
    Task.find({ contactId: contact, ...below })
      .sort({ _id: -1 })
      .limit(take)
      .lean<TaskRecord[]>(),
    Lead.find({ contactId: contact, ...below })
      .sort({ _id: -1 })
      .limit(take)
      .lean<InboundLeadRecord[]>(),
    Deal.find({ contactId: contact }, { title: 1, stageId: 1, lostReason: 1, stageHistory: 1 }).lean<StageDeal[]>(),
  ]);
  const stages = await stageTimelineItems(services.db, deals, { before, take });
  const merged: TimelineItem[] = [
    ...messages.map((record) => ({
      kind: 'message' as const,
      id: record._id.toHexString(),
      at: record.createdAt.toISOString(),
      message: toMessageView(record),
    })),
    ...notes.map((record) => ({
      kind: 'note' as const,
      id: record._id.toHexString(),
      at: record.createdAt.toISOString(),
      note: toNoteView(record),
    })),
    ...tasks.map((record) => ({
      kind: 'task' as const,
      id: record._id.toHexString(),
      at: record._id.getTimestamp().toISOString(),
      task: toTaskView(record),
    })),
    ...leads.map((record) => ({
      kind: 'lead' as const,
      id: record._id.toHexString(),
      at: record.createdAt.toISOString(),
      lead: toInboundLeadView(record),
    })),
    ...stages,
  ].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const items = merged.slice(0, options.limit);
  return merged.length > options.limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!.id) } : { items };
}
