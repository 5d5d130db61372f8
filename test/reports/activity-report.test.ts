import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageModel } from '../../server/messaging/message-model.js';
import { activityReport } from '../../server/reports/activity-report.js';
import { reportEventModel } from '../../server/reports/events/report-event-model.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { insertDeals, msk, pipelines, reportContext, rowOf } from './report-fixtures.js';

describe('activityReport', () => {
  let api: TestApi;
  let view: ReportView;

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    const operator = api.users.operator.id;
    const manager = api.users.manager.id;
    const d = (day: number) => msk(`2025-03-${String(day).padStart(2, '0')}`);
    const conversation = {
      conversationId: new Types.ObjectId(),
      contactId: new Types.ObjectId(),
      channelAccountId: new Types.ObjectId(),
      teamIds: [],
    };
    let key = 0;
    const sent = (userId: string, at: Date) => ({
      kind: 'message_sent',
      at,
      ...conversation,
      channel: 'telegram',
      userId: new Types.ObjectId(userId),
      key: `sent-${key++}`,
    });
    await reportEventModel(api.db).collection.insertMany([
      sent(operator, d(2)),
      sent(operator, d(3)),
      sent(operator, d(10)),
      sent(operator, msk('2025-02-25')),
      sent(manager, d(4)),
      sent(manager, d(5)),
    ]);
    const call = (userId: string, at: Date) => ({
      _id: Types.ObjectId.createFromTime(at.getTime() / 1000),
      ...conversation,
      channel: 'telephony',
      direction: 'out',
      author: { kind: 'user', id: new Types.ObjectId(userId) },
      content: {
        kind: 'call',
        direction: 'out',
        from: '101',
        to: '+79160000000',
        operator: { extension: '101', userId },
        startedAt: at.toISOString(),
        durationSec: 60,
        outcome: 'answered',
      },
      status: 'sent',
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    });
    await messageModel(api.db).collection.insertMany([
      call(operator, d(2)),
      call(operator, msk('2025-03-06', 5)),
      call(manager, msk('2025-02-21')),
    ]);
    const Task = await taskModel(api.db);
    const task = (fields: Record<string, unknown>) => ({
      _id: new Types.ObjectId(),
      title: 'Перезвонить',
      kind: 'call',
      assigneeId: new Types.ObjectId(operator),
      createdBy: { kind: 'user', id: manager },
      createdAt: d(1),
      updatedAt: d(1),
      ...fields,
    });
    await Task.collection.insertMany([
      task({ done: true, doneAt: d(3), dueAt: d(4) }),
      task({ done: false, dueAt: d(5) }),
      task({ done: true, doneAt: d(6), dueAt: d(2) }),
      task({ done: false, dueAt: msk('2025-03-20') }),
    ]);
    await insertDeals(api.db, all, [
      {
        ownerId: operator,
        visits: [
          ['data-collection', d(1), d(2), operator],
          ['proposal-sent', d(2), d(3), operator],
          ['measurement-scheduled', d(3), d(4), 'automation'],
          ['measurer-assigned', d(4), undefined, manager],
        ],
      },
    ]);
    view = await activityReport.compute(reportContext(api, api.users.manager));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should count calls, messages sent, tasks done and overdue and deals moved per person', () => {
    // Tasks done: on time on 3 March and late on 6 March; overdue: the open one due 5 March and the late one.
    // Deals moved: the operator's move to the proposal (the first stage is the creation), the manager's last move.
    expect(rowOf(view.table, 'Test operator')).toEqual({
      user: 'Test operator',
      calls: 2,
      messages: 3,
      tasksDone: 2,
      tasksOverdue: 2,
      dealsMoved: 1,
    });
    expect(rowOf(view.table, 'Test manager')).toEqual({
      user: 'Test manager',
      calls: 0,
      messages: 2,
      tasksDone: 0,
      tasksOverdue: 0,
      dealsMoved: 1,
    });
    expect(rowOf(view.table, 'Test marketer')).toBeUndefined();
  });

  it('should total each measure beside the previous period', () => {
    const headline = Object.fromEntries(view.headline.map((item) => [item.key, [item.value, item.previous]]));
    expect(headline).toEqual({
      calls: [2, 1],
      messages: [5, 1],
      tasksDone: [2, 0],
      tasksOverdue: [2, 0],
      dealsMoved: [2, 0],
    });
  });

  it('should give an operator only their own row, whichever operator is asked for', async () => {
    const own = await activityReport.compute(
      reportContext(api, api.users.operator, {
        from: '2025-03-01',
        to: '2025-03-10',
        operatorId: api.users.manager.id,
      }),
    );
    expect(own.table.rows).toEqual([
      { user: 'Test operator', calls: 2, messages: 3, tasksDone: 2, tasksOverdue: 2, dealsMoved: 1 },
    ]);
  });
});
