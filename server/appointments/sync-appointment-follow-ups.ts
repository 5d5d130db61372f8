import type { ApiServices } from '../api/api-services.js';
import { taskModel } from '../tasks/task-model.js';
import type { AppointmentRecord } from './appointment-model.js';
import { appointmentReminderQueue, syncAppointmentReminders } from './appointment-reminders.js';

/** The manager's task of an appointment, found again by this key when it moves or is cancelled. */
export const appointmentTaskKey = (appointmentId: string) => `appointment|${appointmentId}`;

const CANCELLED = { ru: 'Запись отменена', en: 'The appointment was cancelled' };

/**
 * What follows an appointment wherever it was booked, moved or cancelled (the API, the bot, the
 * client's buttons): its reminder jobs, and the manager's task for it (one booked from a chat gets
 * one; an existing task follows the time and the manager, and is closed when the appointment is
 * cancelled). Idempotent, so a retried caller may call it again.
 */
export async function syncAppointmentFollowUps(
  services: Pick<ApiServices, 'db' | 'queues'>,
  appointment: AppointmentRecord,
  options: { before?: AppointmentRecord; staffLanguage?: 'ru' | 'en' } = {},
): Promise<void> {
  await syncAppointmentReminders(appointmentReminderQueue(services.queues), appointment, {
    ...(options.before ? { before: options.before } : {}),
  });
  const Task = await taskModel(services.db);
  const sourceKey = appointmentTaskKey(String(appointment._id));
  if (appointment.status !== 'planned') {
    await Task.updateOne(
      { sourceKey, done: false },
      { $set: { done: true, doneAt: new Date(), result: CANCELLED[options.staffLanguage ?? 'ru'] } },
    );
    return;
  }
  if (!appointment.chat && !(await Task.exists({ sourceKey }))) return;
  await Task.updateOne(
    { sourceKey },
    {
      $set: { title: appointment.title, assigneeId: appointment.managerId, dueAt: appointment.startsAt, done: false },
      $unset: { doneAt: '', result: '' },
      $setOnInsert: {
        kind: appointment.chat?.taskKind ?? 'meeting',
        ...(appointment.contactId ? { contactId: appointment.contactId } : {}),
        ...(appointment.dealId ? { dealId: appointment.dealId } : {}),
        sourceKey,
        createdBy: { kind: 'automation', id: 'booking' },
      },
    },
    { upsert: true },
  );
}
