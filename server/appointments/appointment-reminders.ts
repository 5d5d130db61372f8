import type { Job, Queue } from 'bullmq';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import type { QueueRegistry } from '../queues/queue-registry.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';

export const APPOINTMENT_REMINDERS_QUEUE = 'appointment-reminders';

/** The queue the worker takes reminders from (see startAppointmentWorkers). */
export const appointmentReminderQueue = (queues: QueueRegistry): Queue => queues.queue(APPOINTMENT_REMINDERS_QUEUE);

export const appointmentReminderJobSchema = z.object({
  appointmentId: z.string().min(1),
  minutesBefore: z.number().int().min(0),
  /** The start the reminder was planned for: a reminder of a moved appointment is stale. */
  startsAt: z.iso.datetime(),
});
export type AppointmentReminderJob = z.infer<typeof appointmentReminderJobSchema>;

/** One job per appointment and offset, so scheduling again replaces rather than duplicates. */
export const reminderJobId = (appointmentId: string, minutesBefore: number) =>
  `appointment-${appointmentId}-reminder-${minutesBefore}`;

type Scheduled = Pick<AppointmentRecord, '_id' | 'startsAt' | 'status' | 'reminders'>;

/**
 * Makes the delayed reminder jobs match the appointment: one per offset in `reminders` (e.g. 24 h
 * and 1 h before) while it is planned and the moment is still ahead; none once it is cancelled,
 * done or missed. Call it after booking, moving or cancelling, with the previous state when the
 * offsets may have changed. A job with a fixed id is not added twice by BullMQ, so the old one is
 * removed first and added again with the new delay.
 */
export async function syncAppointmentReminders(
  queue: Queue,
  appointment: Scheduled,
  options: { before?: Pick<AppointmentRecord, 'reminders'>; now?: Date } = {},
): Promise<string[]> {
  const id = String(appointment._id);
  const now = options.now ?? new Date();
  const offsets = new Set([...appointment.reminders, ...(options.before?.reminders ?? [])]);
  await Promise.all([...offsets].map((minutes) => queue.remove(reminderJobId(id, minutes))));
  if (appointment.status !== 'planned') return [];
  const scheduled: string[] = [];
  for (const minutesBefore of appointment.reminders) {
    const delay = +appointment.startsAt - minutesBefore * 60_000 - +now;
    if (delay <= 0) continue;
    const data: AppointmentReminderJob = {
      appointmentId: id,
      minutesBefore,
      startsAt: appointment.startsAt.toISOString(),
    };
    const jobId = reminderJobId(id, minutesBefore);
    await queue.add('remind', data, {
      jobId,
      delay,
      removeOnComplete: true,
      removeOnFail: 100,
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
    });
    scheduled.push(jobId);
  }
  return scheduled;
}

/**
 * Runs one due reminder: hands the appointment to `deliver` (which messages the client) unless
 * it was cancelled or moved since the job was planned, in which case the job is a
 * leftover and does nothing.
 */
export async function processAppointmentReminder(
  db: Connection,
  job: Pick<Job, 'data'>,
  deliver: (appointment: AppointmentRecord, minutesBefore: number) => Promise<void>,
): Promise<'sent' | 'stale'> {
  const data = appointmentReminderJobSchema.parse(job.data);
  const Appointment = await appointmentModel(db);
  const appointment = await Appointment.findById(data.appointmentId).lean<AppointmentRecord>();
  if (!appointment || appointment.status !== 'planned' || appointment.startsAt.toISOString() !== data.startsAt) {
    return 'stale';
  }
  await deliver(appointment, data.minutesBefore);
  return 'sent';
}
