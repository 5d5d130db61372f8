import { Types, type Connection } from 'mongoose';
import { userModels } from '../users/user-models.js';
import { callsMade, dealsMoved, messagesSent, tasksDone, tasksOverdue } from './activity-counts.js';
import { countsOver, type CountsByUser } from './daily/daily-counts.js';
import type { LocalText, ReportContext, ReportDefinition, ReportFilters } from './report-definition.js';
import { scopedUserIds } from './report-scope.js';
import { figure, previousFilters, viewPeriods } from './report-view-parts.js';

const MEASURES = ['calls', 'messages', 'tasksDone', 'tasksOverdue', 'dealsMoved'] as const;
type Measure = (typeof MEASURES)[number];

const LABELS: Record<Measure, LocalText> = {
  calls: { ru: 'Звонки', en: 'Calls' },
  messages: { ru: 'Отправлено сообщений', en: 'Messages sent' },
  tasksDone: { ru: 'Задач выполнено', en: 'Tasks done' },
  tasksOverdue: { ru: 'Задач просрочено', en: 'Tasks overdue' },
  dealsMoved: { ru: 'Сделок передвинуто', en: 'Deals moved' },
};

/** The people whose work is counted: those the filters name, else everyone active who works clients. */
async function activityUsers(db: Connection, filters: ReportFilters): Promise<{ id: Types.ObjectId; name: string }[]> {
  const scoped = await scopedUserIds(db, filters);
  const { User } = userModels(db);
  const users = await User.find(
    scoped ? { _id: { $in: scoped } } : { active: true, role: { $in: ['admin', 'manager', 'operator'] } },
    { name: 1 },
  )
    .sort({ name: 1 })
    .lean();
  return users.map((user) => ({ id: user._id, name: user.name }));
}

/** Each measure per user over a period of whole days in a time zone (kept per day, see countsOver). */
export async function activityCounts(
  db: Connection,
  filters: ReportFilters,
  timeZone: string,
  users: Types.ObjectId[],
  now: Date,
): Promise<Record<Measure, CountsByUser>> {
  const over = (measure: Parameters<typeof countsOver>[1], channel?: string) =>
    countsOver(db, measure, filters, timeZone, { users, ...(channel ? { channel } : {}) }, now);
  const [calls, messages, done, overdue, moved] = await Promise.all([
    over(callsMade),
    over(messagesSent, filters.channel),
    over(tasksDone),
    tasksOverdue(db, filters, users, now),
    over(dealsMoved),
  ]);
  return { calls, messages, tasksDone: done, tasksOverdue: overdue, dealsMoved: moved };
}

const total = (counts: CountsByUser) => [...counts.values()].reduce((sum, count) => sum + count, 0);

async function computeActivity(context: ReportContext) {
  const { db } = context.services;
  const users = await activityUsers(db, context.filters);
  const ids = users.map((user) => user.id);
  const now = new Date();
  const [current, before] = await Promise.all([
    activityCounts(db, context.filters, context.timeZone, ids, now),
    activityCounts(db, previousFilters(context), context.timeZone, ids, now),
  ]);
  const rows = users.map((user): Record<string, string | number> => ({
    user: user.name,
    ...Object.fromEntries(MEASURES.map((measure) => [measure, current[measure].get(String(user.id)) ?? 0])),
  }));
  return {
    report: 'activity' as const,
    ...viewPeriods(context),
    headline: MEASURES.map((measure) =>
      figure(measure, LABELS[measure], 'count', total(current[measure]), total(before[measure])),
    ),
    chart: {
      kind: 'stacked-bar' as const,
      labels: users.map((user) => user.name),
      series: MEASURES.filter((measure) => measure !== 'tasksOverdue').map((measure) => ({
        key: measure,
        label: LABELS[measure],
        unit: 'count' as const,
        values: rows.map((row) => Number(row[measure])),
      })),
    },
    table: {
      columns: [
        { key: 'user', label: { ru: 'Сотрудник', en: 'Person' }, unit: 'text' as const },
        ...MEASURES.map((measure) => ({ key: measure, label: LABELS[measure], unit: 'count' as const })),
      ],
      rows,
    },
  };
}

export const activityReport: ReportDefinition = {
  id: 'activity',
  title: { ru: 'Активность менеджеров', en: 'Manager activity' },
  roles: ['admin', 'manager', 'operator'],
  compute: computeActivity,
};
