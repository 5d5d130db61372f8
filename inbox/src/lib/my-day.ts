import type { TaskItem } from './crm-views.js';
import type { ConversationView } from './inbox-views.js';
import { byDue, isOverdue } from './task-days.js';

export interface MyDay {
  /** My conversations still in work (not resolved), latest activity first. */
  assigned: ConversationView[];
  /** Of those, the open ones whose last message is the client's: they wait for my answer. */
  waiting: ConversationView[];
  /** My open tasks past their time, the longest overdue first. */
  overdue: TaskItem[];
}

/** The operator's day from their conversations and tasks, as the top of the Tasks section shows it. */
export function summarizeMyDay(
  conversations: readonly ConversationView[],
  tasks: readonly TaskItem[],
  userId: string,
  now: Date,
): MyDay {
  const assigned = conversations
    .filter((conversation) => conversation.assigneeId === userId && conversation.status !== 'resolved')
    .sort((a, b) => Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt));
  // Oldest first: whoever has waited longest is answered first.
  const waiting = assigned
    .filter((conversation) => conversation.status === 'open' && conversation.lastMessage?.direction === 'in')
    .sort((a, b) => Date.parse(a.lastMessageAt) - Date.parse(b.lastMessageAt));
  const overdue = tasks.filter((task) => task.assigneeId === userId && isOverdue(task, now)).sort(byDue);
  return { assigned, waiting, overdue };
}
