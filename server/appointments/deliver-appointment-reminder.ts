import { appointmentButtons } from '../../bot/assistant/booking/appointment-buttons.js';
import { BOOKING_TEXTS, describeMeeting } from '../../bot/assistant/booking/booking-texts.js';
import type { ApiServices } from '../api/api-services.js';
import type { AppointmentRecord } from './appointment-model.js';
import { appointmentLocale } from './appointment-locale.js';
import { messageContact } from '../messaging/message-contact.js';

/** From this many minutes before, the reminder says "tomorrow" rather than "soon". */
const DAY_AHEAD_MINUTES = 12 * 60;

type ReminderServices = Pick<ApiServices, 'db' | 'events' | 'queues' | 'channels' | 'logger'>;

/**
 * Reminds the client of their appointment in the chat it was booked in (else their latest one),
 * with the Reschedule and Cancel buttons; the message goes through the outbound queue and is on the
 * timeline. One message per appointment, offset and start, however often the job is retried.
 */
export function deliverAppointmentReminder(services: ReminderServices) {
  return async (appointment: AppointmentRecord, minutesBefore: number): Promise<void> => {
    if (!appointment.contactId) return;
    const id = String(appointment._id);
    const { client } = await appointmentLocale(services.db, appointment);
    const lead = minutesBefore >= DAY_AHEAD_MINUTES ? BOOKING_TEXTS.remindDay : BOOKING_TEXTS.remindSoon;
    const meeting = describeMeeting(
      {
        title: appointment.title,
        startsAt: appointment.startsAt,
        format: appointment.chat?.format ?? (appointment.onlineUrl ? 'online' : 'office'),
        ...(appointment.place ? { place: appointment.place } : {}),
        ...(appointment.onlineUrl ? { onlineUrl: appointment.onlineUrl } : {}),
      },
      client.timeZone,
      client.language,
    );
    const outcome = await messageContact(
      services,
      {
        contactId: String(appointment.contactId),
        ...(appointment.chat ? { conversationId: String(appointment.chat.conversationId) } : {}),
      },
      { text: `${lead[client.language]}:\n${meeting}`, buttons: appointmentButtons(id, client.language) },
      {
        dedupeKey: `appointment|${id}|reminder|${minutesBefore}|${appointment.startsAt.toISOString()}`,
        authorName: 'booking',
      },
    );
    if (outcome.skipped)
      services.logger.info({ appointmentId: id, reason: outcome.skipped.text }, 'appointment reminder not sent');
  };
}
