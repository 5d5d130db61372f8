import { Types, type Connection } from 'mongoose';
import { taskModel, type TaskRecord } from '../tasks/task-model.js';

export interface NextTask {
  title: string;
  dueAt?: Date;
}

/**
 * Deal views with the next open task of each (the earliest due; one without a due date comes
 * after those with one), read in one query for a whole page: a board card shows it, or that the
 * deal has none, which is the first thing a manager checks.
 */
export async function withNextTasks<T extends { id: string }>(
  db: Connection,
  views: T[],
): Promise<(T & { nextTask?: NextTask })[]> {
  if (views.length === 0) return views;
  const Task = await taskModel(db);
  const tasks = await Task.find(
    { dealId: { $in: views.map((view) => new Types.ObjectId(view.id)) }, done: false },
    { dealId: 1, title: 1, dueAt: 1 },
  ).lean<Pick<TaskRecord, 'dealId' | 'title' | 'dueAt'>[]>();
  const next = new Map<string, NextTask>();
  for (const task of tasks) {
    const key = String(task.dealId);
    const known = next.get(key);
    const sooner = !known || (task.dueAt && (!known.dueAt || task.dueAt < known.dueAt));
    if (sooner) next.set(key, { title: task.title, ...(task.dueAt ? { dueAt: task.dueAt } : {}) });
  }
  return views.map((view) => {
    const nextTask = next.get(view.id);
    return nextTask ? { ...view, nextTask } : view;
  });
}
