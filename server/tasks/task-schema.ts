import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { actorSchema } from '../deals/actor-schema.js';
import { queryFlag } from '../deals/query-flag.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { TASK_KINDS } from './task-model.js';

const dateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const resultSchema = z.string().trim().min(1).max(5000);

export const createTaskSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  kind: z.enum(TASK_KINDS).default('other'),
  description: z.string().trim().max(5000).optional(),
  assigneeId: objectIdSchema.optional(),
  dueAt: dateTime.optional(),
  contactId: objectIdSchema.optional(),
  dealId: objectIdSchema.optional(),
});

/** `null` clears the due date or a link; `done: false` reopens a task. */
export const updateTaskSchema = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  kind: z.enum(TASK_KINDS).optional(),
  description: z.string().trim().max(5000).optional(),
  assigneeId: objectIdSchema.optional(),
  dueAt: dateTime.nullable().optional(),
  done: z.boolean().optional(),
  result: resultSchema.optional(),
  contactId: objectIdSchema.nullable().optional(),
  dealId: objectIdSchema.nullable().optional(),
});

export const completeTaskSchema = z.strictObject({ result: resultSchema.optional() });

export const taskListQuerySchema = listQuerySchema.extend({
  assigneeId: objectIdSchema.optional(),
  dealId: objectIdSchema.optional(),
  contactId: objectIdSchema.optional(),
  dueFrom: dateTime.optional(),
  dueTo: dateTime.optional(),
  /** Not done and past due. */
  overdue: queryFlag.optional(),
  done: queryFlag.optional(),
});

export const taskIdParamsSchema = z.strictObject({ id: objectIdSchema });

export const taskViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(TASK_KINDS),
  description: z.string().optional(),
  assigneeId: z.string(),
  dueAt: z.date().optional(),
  done: z.boolean(),
  doneAt: z.date().optional(),
  result: z.string().optional(),
  contactId: z.string().optional(),
  dealId: z.string().optional(),
  createdBy: actorSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type CreateTaskInput = z.output<typeof createTaskSchema>;
export type TaskView = z.infer<typeof taskViewSchema>;
