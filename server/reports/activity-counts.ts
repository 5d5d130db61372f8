import { Types, type Connection } from 'mongoose';
import { dealModel } from '../deals/deal-model.js';
import { messageModel } from '../messaging/message-model.js';
import { taskModel } from '../tasks/task-model.js';
import type { ReportFilters } from './report-definition.js';
import { reportEventModel } from './events/report-event-model.js';

/** A count per user id (hex). */
export type CountsByUser = Map<string, number>;

function toMap(groups: { _id: unknown; count: number }[]): CountsByUser {
  const counts: CountsByUser = new Map();
  for (const group of groups) {
    if (group._id === null || group._id === undefined) continue;
    const id = String(group._id);
    counts.set(id, (counts.get(id) ?? 0) + group.count);
  }
  return counts;
}

/** Messages people sent in the period: the `message_sent` events recorded as each one went out. */
export async function messagesSent(
  db: Connection,
  filters: ReportFilters,
  users: Types.ObjectId[],
): Promise<CountsByUser> {
  const Event = reportEventModel(db);
  return toMap(
    await Event.aggregate([
      {
        $match: {
          kind: 'message_sent',
          at: { $gte: filters.from, $lt: filters.to },
          userId: { $in: users },
          ...(filters.channel ? { channel: filters.channel } : {}),
        },
      },
      { $group: { _id: '$userId', count: { $sum: 1 } } },
    ]),
  );
}

/**
 * Phone calls in the period by the person who took or made them (the PBX maps the extension to
 * a user). Calls are messages whose ids sort by time (the inbox reads them so), so the period is
 * an `_id` range the store reads by its primary index.
 */
export async function callsMade(
  db: Connection,
  filters: ReportFilters,
  users: Types.ObjectId[],
): Promise<CountsByUser> {
  const Message = messageModel(db);
  return toMap(
    await Message.aggregate([
      {
        $match: {
          _id: {
            $gte: Types.ObjectId.createFromTime(filters.from.getTime() / 1000),
            $lt: Types.ObjectId.createFromTime(filters.to.getTime() / 1000),
          },
          'content.kind': 'call',
          'content.operator.userId': { $in: users.map(String) },
        },
      },
      { $group: { _id: '$content.operator.userId', count: { $sum: 1 } } },
    ]),
  );
}

/** Tasks done in the period, by whom they were assigned to. */
export async function tasksDone(
  db: Connection,
  filters: ReportFilters,
  users: Types.ObjectId[],
): Promise<CountsByUser> {
  const Task = await taskModel(db);
  return toMap(
    await Task.aggregate([
      { $match: { assigneeId: { $in: users }, done: true, doneAt: { $gte: filters.from, $lt: filters.to } } },
      { $group: { _id: '$assigneeId', count: { $sum: 1 } } },
    ]),
  );
}

/**
 * Tasks due in the period (up to now) that were not done by their due time: still open, or
 * done late. Read by the assignee-done-due index.
 */
export async function tasksOverdue(
  db: Connection,
  filters: ReportFilters,
  users: Types.ObjectId[],
  now: Date,
): Promise<CountsByUser> {
  const Task = await taskModel(db);
  const until = now < filters.to ? now : filters.to;
  return toMap(
    await Task.aggregate([
      {
        $match: { assigneeId: { $in: users }, done: { $in: [false, true] }, dueAt: { $gte: filters.from, $lt: until } },
      },
      { $match: { $or: [{ done: false }, { $expr: { $gt: ['$doneAt', '$dueAt'] } }] } },
      { $group: { _id: '$assigneeId', count: { $sum: 1 } } },
    ]),
  );
}

/**
 * Deals a person moved to another stage in the period: stage stays that began in it and were
 * not the deal's first (that one is its creation), entered by a user rather than an automation.
 */
export async function dealsMoved(
  db: Connection,
  filters: ReportFilters,
  users: Types.ObjectId[],
): Promise<CountsByUser> {
  const Deal = await dealModel(db);
  const period = { $gte: filters.from, $lt: filters.to };
  return toMap(
    await Deal.aggregate([
      { $match: { 'stageHistory.enteredAt': period } },
      { $project: { stageHistory: 1 } },
      { $unwind: { path: '$stageHistory', includeArrayIndex: 'position' } },
      {
        $match: {
          position: { $gt: 0 },
          'stageHistory.enteredAt': period,
          'stageHistory.movedBy.kind': 'user',
          'stageHistory.movedBy.id': { $in: users.map(String) },
        },
      },
      { $group: { _id: '$stageHistory.movedBy.id', count: { $sum: 1 } } },
    ]),
  );
}
