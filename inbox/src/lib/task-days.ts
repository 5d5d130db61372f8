import type { TaskItem } from './crm-views.js';

/** A group of the "by date" view: overdue first, then each day with tasks, then the undated. */
export type TaskDay =
  | { key: 'overdue'; tasks: TaskItem[] }
  | { key: 'day'; day: string; tasks: TaskItem[] }
  | { key: 'undated'; tasks: TaskItem[] };

/** The local calendar day of a moment, `2026-11-26`: the operator's days, not UTC's. */
export function localDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

export function isOverdue(task: TaskItem, now: Date): boolean {
  return !task.done && task.dueAt !== undefined && new Date(task.dueAt).getTime() < now.getTime();
}

export function isDueToday(task: TaskItem, now: Date): boolean {
  return task.dueAt !== undefined && localDay(new Date(task.dueAt)) === localDay(now);
}

/** Earliest due first; undated last; ties by title, so a list does not reshuffle on reload. */
export function byDue(a: TaskItem, b: TaskItem): number {
  const left = a.dueAt ? Date.parse(a.dueAt) : Infinity;
  const right = b.dueAt ? Date.parse(b.dueAt) : Infinity;
  return left === right ? a.title.localeCompare(b.title) : left - right;
}

/**
 * Splits tasks into the calendar-like groups of the "by date" tab. An open task past its time is
 * overdue whatever its day (one still due later today stays under today); a done one stays on its
 * day, so the day shows what was finished.
 */
export function groupTasksByDay(tasks: readonly TaskItem[], now: Date): TaskDay[] {
  const overdue: TaskItem[] = [];
  const undated: TaskItem[] = [];
  const days = new Map<string, TaskItem[]>();
  for (const task of [...tasks].sort(byDue)) {
    if (isOverdue(task, now)) overdue.push(task);
    else if (!task.dueAt) undated.push(task);
    else {
      const day = localDay(new Date(task.dueAt));
      days.set(day, [...(days.get(day) ?? []), task]);
    }
  }
  return [
    ...(overdue.length ? [{ key: 'overdue' as const, tasks: overdue }] : []),
    ...[...days.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, dayTasks]) => ({ key: 'day' as const, day, tasks: dayTasks })),
    ...(undated.length ? [{ key: 'undated' as const, tasks: undated }] : []),
  ];
}
