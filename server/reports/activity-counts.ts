import { Types, type Connection } from 'mongoose';
import { dealModel } from '../deals/deal-model.js';
import { messageModel } from '../messaging/message-model.js';
import { taskModel } from '../tasks/task-model.js';
import type { CountsByUser, DailyMeasure } from './daily/daily-counts.js';
import type { DayCount } from './daily/report-day-model.js';
import type { ReportFilters } from './report-definition.js';
import { reportEventModel } from './events/report-event-model.js';

/** Rows grouped by user (and channel) as counts; ids stored as text (a PBX's user field) become ObjectIds. */
function toCounts(groups: { _id: { userId: unknown; channel?: string | null }; count: number }[]): DayCount[] {
  return groups.flatMap(({ _id, count }) => {
    const id = _id.userId;
    if (id === null || id === undefined || !Types.ObjectId.isValid(String(id))) return [];
    return [{ userId: new Types.ObjectId(String(id)), channel: _id.channel ?? null, count }];
  });
}

function toMap(groups: { _id: unknown; count: number }[]): CountsByUser {
  const counts: CountsByUser = new Map();
  for (const group of groups) {
    if (group._id === null || group._id === undefined) continue;
    const id = String(group._id);
    counts.set(id, (counts.get(id) ?? 0) + group.count);
  }
  return counts;
}

/** Messages people sent: the `message_sent` events recorded as each one went out. */
export const messagesSent: DailyMeasure = {
  id: 'messages-sent',
  async count(db, period) {
    return toCounts(
      await reportEventModel(db).aggregate([
        { $match: { kind: 'message_sent', at: { $gte: period.from, $lt: period.to } } },
        { $group: { _id: { userId: '$userId', channel: '$channel' }, count: { $sum: 1 } } },
      ]),
    );
  },
};

/**
 * Phone calls by the person who took or made them (the PBX maps the extension to a user). Calls
 * are messages whose ids sort by time (the inbox reads them so), so the period is an `_id` range
 * the store reads by its primary index.
 */
export const callsMade: DailyMeasure = {
  id: 'calls',
  async count(db, period) {
    return toCounts(
      await messageModel(db).aggregate([
        {
          $match: {
            _id: {
              $gte: Types.ObjectId.createFromTime(period.from.getTime() / 1000),
              $lt: Types.ObjectId.createFromTime(period.to.getTime() / 1000),
            },
            'content.kind': 'call',
          },
        },
        { $group: { _id: { userId: '$content.operator.userId' }, count: { $sum: 1 } } },
      ]),
    );
  },
};

/** Tasks done, by whom they were assigned to (read by the doneAt index). */
export const tasksDone: DailyMeasure = {
  id: 'tasks-done',
  async count(db, period) {
    const Task = await taskModel(db);
    return toCounts(
      await Task.aggregate([
        { $match: { doneAt: { $gte: period.from, $lt: period.to }, done: true } },
        { $group: { _id: { userId: '$assigneeId' }, count: { $sum: 1 } } },
      ]),
    );
  },
};

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
 * Deals a person moved to another stage: stage stays that began in the period and were not the
 * deal's first (that one is its creation), entered by a user rather than an automation.
 */
export const dealsMoved: DailyMeasure = {
  id: 'deals-moved',
  async count(db, period) {
    const Deal = await dealModel(db);
    const within = { $gte: period.from, $lt: period.to };
    return toCounts(
      await Deal.aggregate([
        { $match: { 'stageHistory.enteredAt': within } },
        { $project: { stageHistory: 1 } },
        { $unwind: { path: '$stageHistory', includeArrayIndex: 'position' } },
        { $match: { position: { $gt: 0 }, 'stageHistory.enteredAt': within, 'stageHistory.movedBy.kind': 'user' } },
        { $group: { _id: { userId: '$stageHistory.movedBy.id' }, count: { $sum: 1 } } },
      ]),
    );
  },
};
