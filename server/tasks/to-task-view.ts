import type { TaskRecord } from './task-model.js';
import type { TaskView } from './task-schema.js';

/** A stored task as the API shows it. */
export function toTaskView(task: TaskRecord): TaskView {
  return {
    id: String(task._id),
    title: task.title,
    kind: task.kind,
    ...(task.description ? { description: task.description } : {}),
    assigneeId: String(task.assigneeId),
    ...(task.dueAt ? { dueAt: task.dueAt } : {}),
    done: task.done,
    ...(task.doneAt ? { doneAt: task.doneAt } : {}),
    ...(task.result ? { result: task.result } : {}),
    ...(task.contactId ? { contactId: String(task.contactId) } : {}),
    ...(task.dealId ? { dealId: String(task.dealId) } : {}),
    createdBy: { kind: task.createdBy.kind, id: task.createdBy.id },
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
