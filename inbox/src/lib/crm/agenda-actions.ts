import type { TaskView } from '../inbox-views.js';
import { sendJson, type SendResult } from '../send-json.js';
import type { Appointment } from './deal-views.js';

/** A task as the sidebar lists it: the timeline's task plus whose it is. */
export type AgendaTask = TaskView & { assigneeId: string; contactId?: string; dealId?: string };

/** What the sidebar creates and completes: the contact's tasks and meetings. */
export const agendaActions = {
  createTask(
    input: { title: string; dueAt?: string; assigneeId?: string; contactId: string; dealId?: string },
    csrfToken?: string,
  ): Promise<SendResult<AgendaTask>> {
    return sendJson('POST', '/api/v1/tasks', input, csrfToken);
  },
  completeTask(id: string, csrfToken?: string): Promise<SendResult<AgendaTask>> {
    return sendJson('POST', `/api/v1/tasks/${encodeURIComponent(id)}/done`, {}, csrfToken);
  },
  /** Books a meeting in the signed-in user's calendar (409 when it overlaps another of theirs). */
  book(
    input: { title: string; startsAt: string; endsAt: string; contactId: string; dealId?: string },
    csrfToken?: string,
  ): Promise<SendResult<Appointment>> {
    return sendJson('POST', '/api/v1/appointments', input, csrfToken);
  },
};
