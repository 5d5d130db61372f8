import type { ApiServices } from '../api/api-services.js';
import { APPOINTMENT_REMINDERS_QUEUE, processAppointmentReminder } from './appointment-reminders.js';
import { deliverAppointmentReminder } from './deliver-appointment-reminder.js';
import { remindManager } from './remind-manager.js';

/**
 * The reminder worker of a process with the worker role: each due job reminds the manager (in
 * their bell) and the client (in their chat), each once however often the job is retried. The
 * manager goes first: a client's channel that fails the job must not keep the manager uninformed.
 */
export function startAppointmentWorkers(services: ApiServices): { stop(): Promise<void> } {
  const toManager = remindManager(services);
  const toClient = deliverAppointmentReminder(services);
  services.queues.process<unknown>(APPOINTMENT_REMINDERS_QUEUE, async (job) => {
    await processAppointmentReminder(services.db, job, async (appointment, minutesBefore) => {
      await toManager(appointment, minutesBefore);
      await toClient(appointment, minutesBefore);
    });
  });
  return { stop: () => services.queues.stopProcessing(APPOINTMENT_REMINDERS_QUEUE) };
}
