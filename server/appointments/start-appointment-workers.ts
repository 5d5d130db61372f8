import type { ApiServices } from '../api/api-services.js';
import { APPOINTMENT_REMINDERS_QUEUE, processAppointmentReminder } from './appointment-reminders.js';
import { deliverAppointmentReminder } from './deliver-appointment-reminder.js';

/** The reminder worker of a process with the worker role: each due job reminds the client once. */
export function startAppointmentWorkers(services: ApiServices): { stop(): Promise<void> } {
  const deliver = deliverAppointmentReminder(services);
  services.queues.process<unknown>(APPOINTMENT_REMINDERS_QUEUE, async (job) => {
    await processAppointmentReminder(services.db, job, deliver);
  });
  return { stop: () => services.queues.stopProcessing(APPOINTMENT_REMINDERS_QUEUE) };
}
