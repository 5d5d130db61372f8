import type { Connection, QueryFilter } from 'mongoose';
import { z } from 'zod';
import { badRequest, notFound } from '../api/api-error.js';
import { defineRoute, type AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { escapeRegex } from '../db/escape-regex.js';
import { actorOf } from '../deals/actor-schema.js';
import { dealModel } from '../deals/deal-model.js';
import { dealScope } from '../deals/deal-scope.js';
import { createTask } from './create-task.js';
import { taskModel, type TaskRecord } from './task-model.js';
import {
  completeTaskSchema,
  createTaskSchema,
  taskIdParamsSchema,
  taskListQuerySchema,
  taskViewSchema,
  updateTaskSchema,
} from './task-schema.js';
import { taskScope } from './task-scope.js';
import { toTaskView } from './to-task-view.js';

/** A task may only be tied to a deal its author can see (otherwise ids would leak other deals). */
async function assertDealVisible(db: Connection, user: AuthUser, dealId: string | null | undefined): Promise<void> {
  if (!dealId) return;
  const Deal = await dealModel(db);
  if (!(await Deal.exists({ ...dealScope(user), _id: dealId })))
    throw badRequest(errorTexts.say('noSuchDeal'), { dealId });
}

async function updateTask(db: Connection, user: AuthUser, id: string, update: Record<string, unknown>) {
  const Task = await taskModel(db);
  const before = await Task.findOne({ ...taskScope(user), _id: id }).lean<TaskRecord>();
  if (!before) throw notFound('Task');
  const after = await Task.findOneAndUpdate({ _id: before._id }, update, {
    returnDocument: 'after',
  }).lean<TaskRecord>();
  if (!after) throw notFound('Task');
  return { before, after };
}

export const taskRoutes = [
  defineRoute({
    method: 'get',
    path: '/tasks',
    summary: 'List tasks by assignee, deal, contact, due range, overdue or done',
    tag: 'tasks',
    access: 'tasks.read',
    query: taskListQuerySchema,
    response: z.object({ items: z.array(taskViewSchema), nextCursor: z.string().optional() }),
    handler: async ({ query, user, services }) => {
      const Task = await taskModel(services.db);
      const after = decodeCursor(query.cursor);
      const now = new Date();
      const due = {
        ...(query.dueFrom ? { $gte: query.dueFrom } : {}),
        ...(query.dueTo ? { $lte: query.dueTo } : {}),
      };
      const filters: QueryFilter<TaskRecord>[] = [
        taskScope(user),
        ...(query.assigneeId ? [{ assigneeId: query.assigneeId }] : []),
        ...(query.dealId ? [{ dealId: query.dealId }] : []),
        ...(query.contactId ? [{ contactId: query.contactId }] : []),
        ...(Object.keys(due).length ? [{ dueAt: due }] : []),
        ...(query.done !== undefined ? [{ done: query.done }] : []),
        ...(query.overdue === true ? [{ done: false, dueAt: { $lt: now } }] : []),
        ...(query.overdue === false ? [{ $or: [{ done: true }, { dueAt: { $gte: now } }, { dueAt: null }] }] : []),
        ...(query.q ? [{ title: { $regex: escapeRegex(query.q), $options: 'i' } }] : []),
        ...(after ? [{ _id: { $lt: after } }] : []),
      ];
      const rows = await Task.find({ $and: filters })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<TaskRecord[]>();
      return pageOf(rows.map(toTaskView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/tasks',
    summary: 'Create a task (for yourself unless an assignee is named)',
    tag: 'tasks',
    access: 'tasks.write',
    status: 201,
    body: createTaskSchema,
    response: taskViewSchema,
    handler: async ({ body, user, services }) => {
      await assertDealVisible(services.db, user, body.dealId);
      const task = await createTask(services.db, { ...body, assigneeId: body.assigneeId ?? user.id }, actorOf(user));
      const view = toTaskView(task);
      await recordAudit(services, {
        actor: user,
        action: 'task.create',
        entity: 'task',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/tasks/:id',
    summary: 'One task',
    tag: 'tasks',
    access: 'tasks.read',
    params: taskIdParamsSchema,
    response: taskViewSchema,
    handler: async ({ params, user, services }) => {
      const Task = await taskModel(services.db);
      const task = await Task.findOne({ ...taskScope(user), _id: params.id }).lean<TaskRecord>();
      if (!task) throw notFound('Task');
      return toTaskView(task);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/tasks/:id',
    summary: 'Change a task; done: false reopens it',
    tag: 'tasks',
    access: 'tasks.write',
    params: taskIdParamsSchema,
    body: updateTaskSchema,
    response: taskViewSchema,
    handler: async ({ params, body, user, services }) => {
      await assertDealVisible(services.db, user, body.dealId);
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, ''> = {};
      for (const [key, value] of Object.entries(body)) {
        if (value === null) $unset[key] = '';
        else if (key !== 'done') $set[key] = value;
      }
      if (body.done === true) Object.assign($set, { done: true, doneAt: new Date() });
      if (body.done === false) {
        $set.done = false;
        $unset.doneAt = '';
      }
      const { before, after } = await updateTask(services.db, user, params.id, { $set, $unset });
      const view = toTaskView(after);
      await recordAudit(services, {
        actor: user,
        action: 'task.update',
        entity: 'task',
        entityId: view.id,
        before: toTaskView(before),
        after: view,
      });
      if (!before.done && after.done) services.events.emit({ type: 'task.completed', task: view });
      return view;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/tasks/:id/done',
    summary: 'Complete a task with an optional result; repeating it keeps the first completion time',
    tag: 'tasks',
    access: 'tasks.write',
    params: taskIdParamsSchema,
    body: completeTaskSchema,
    response: taskViewSchema,
    handler: async ({ params, body, user, services }) => {
      const Task = await taskModel(services.db);
      const before = await Task.findOne({ ...taskScope(user), _id: params.id }).lean<TaskRecord>();
      if (!before) throw notFound('Task');
      // Only an open task gets a completion time, so a retried request does not move it.
      const completed = await Task.updateOne(
        { _id: before._id, done: false },
        { $set: { done: true, doneAt: new Date() } },
      );
      const after = await Task.findOneAndUpdate(
        { _id: before._id },
        body.result ? { $set: { result: body.result } } : {},
        {
          returnDocument: 'after',
        },
      ).lean<TaskRecord>();
      if (!after) throw notFound('Task');
      const view = toTaskView(after);
      await recordAudit(services, {
        actor: user,
        action: 'task.done',
        entity: 'task',
        entityId: view.id,
        before: toTaskView(before),
        after: view,
      });
      if (completed.modifiedCount === 1) services.events.emit({ type: 'task.completed', task: view });
      return view;
    },
  }),
];
