import type { Connection } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { taskModel, type TaskRecord } from './task-model.js';
import type { CreateTaskInput } from './task-schema.js';

/**
 * Creates a task for a person. The API calls it for users; flows call it with an automation
 * actor (e.g. "assign a measurer" when a deal reaches "measurement scheduled").
 */
export async function createTask(
  db: Connection,
  input: CreateTaskInput & { assigneeId: string },
  createdBy: Actor,
): Promise<TaskRecord> {
  const Task = await taskModel(db);
  const task = await Task.create({ ...input, done: false, createdBy });
  return task.toObject<TaskRecord>();
}
