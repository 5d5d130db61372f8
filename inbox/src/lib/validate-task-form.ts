export interface TaskDraft {
  title: string;
  /** An `<input type="datetime-local">` value, `2026-11-26T15:30`, in the browser's time zone; '' for none. */
  due: string;
  assigneeId: string;
  contactId: string;
  dealId: string;
}

/** Message keys of tasks.ts, named here so the root type check (tests) need not read the browser-only i18n module. */
type TaskFormError =
  'tasks.error.titleRequired' | 'tasks.error.titleTooLong' | 'tasks.error.dueInvalid' | 'tasks.error.assigneeRequired';

export type TaskDraftErrors = Partial<Record<keyof TaskDraft, TaskFormError>>;

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * The task form's checks, and the body `POST /tasks` takes when they pass. A due time in the past
 * is allowed: an operator records a call they forgot to log, and it shows as overdue at once.
 */
export function validateTaskForm(
  draft: TaskDraft,
): { ok: true; body: Record<string, string> } | { ok: false; errors: TaskDraftErrors } {
  const errors: TaskDraftErrors = {};
  const title = draft.title.trim();
  if (!title) errors.title = 'tasks.error.titleRequired';
  else if (title.length > 300) errors.title = 'tasks.error.titleTooLong';
  const due = draft.due ? new Date(draft.due) : undefined;
  if (due && Number.isNaN(due.getTime())) errors.due = 'tasks.error.dueInvalid';
  if (!draft.assigneeId) errors.assigneeId = 'tasks.error.assigneeRequired';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      title,
      assigneeId: draft.assigneeId,
      ...(due ? { dueAt: due.toISOString() } : {}),
      ...(OBJECT_ID.test(draft.contactId) ? { contactId: draft.contactId } : {}),
      ...(OBJECT_ID.test(draft.dealId) ? { dealId: draft.dealId } : {}),
    },
  };
}

/** An ISO time as the value of an `<input type="datetime-local">` in the browser's time zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
