import { Types } from 'mongoose';
import { BOOKING_TEXTS, describeMeeting } from '../../bot/assistant/booking/booking-texts.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { notifyUsers } from '../notifications/notify-users.js';
import { userModels } from '../users/user-models.js';
import type { AppointmentRecord } from './appointment-model.js';

/** From this many minutes before, the reminder says "tomorrow" rather than "soon" (as the client's does). */
const DAY_AHEAD_MINUTES = 12 * 60;
const PREVIEW_LENGTH = 500;
const CLIENT = { ru: 'Клиент', en: 'Client' } as const;

type ManagerReminderServices = Pick<ApiServices, 'db' | 'events'>;

/**
 * Reminds the appointment's manager of it at the client's lead times (a day and an hour before):
 * a notification in their bell, in their own language and time zone, with the client's name and
 * phone, opening the contact, the deal and the chat it was booked in. One per appointment, offset
 * and start, however often the reminder job is retried (notifyUsers' sourceKey).
 */
export function remindManager(services: ManagerReminderServices) {
  return async (appointment: AppointmentRecord, minutesBefore: number): Promise<void> => {
    const id = String(appointment._id);
    const manager = await userModels(services.db)
      .User.findOne({ _id: appointment.managerId, active: true }, { language: 1, timeZone: 1 })
      .lean<{ language?: 'ru' | 'en'; timeZone?: string }>();
    if (!manager) return;
    const language = manager.language === 'en' ? 'en' : 'ru';
    const contact = appointment.contactId
      ? await contactModels(services.db)
          .Contact.findById(appointment.contactId, { name: 1, phones: 1 })
          .lean<Pick<ContactRecord, 'name' | 'phones'>>()
      : null;
    const client = [contact?.name, contact?.phones?.[0]?.e164].filter(Boolean).join(', ');
    const lead = minutesBefore >= DAY_AHEAD_MINUTES ? BOOKING_TEXTS.remindDay : BOOKING_TEXTS.remindSoon;
    const meeting = describeMeeting(
      {
        title: appointment.title,
        startsAt: appointment.startsAt,
        format: appointment.chat?.format ?? (appointment.onlineUrl ? 'online' : 'office'),
        ...(appointment.place ? { place: appointment.place } : {}),
        ...(appointment.onlineUrl ? { onlineUrl: appointment.onlineUrl } : {}),
      },
      manager.timeZone ?? appointment.chat?.timeZone ?? 'Europe/Moscow',
      language,
    );
    const text = [`${lead[language]}:`, meeting, client && `${CLIENT[language]}: ${client}`].filter(Boolean).join('\n');
    await notifyUsers(services, [String(appointment.managerId)], {
      kind: 'appointment',
      // Nobody sent it: the bell titles it by its kind.
      actorName: '',
      sourceKey: `appointment|${id}|manager-reminder|${minutesBefore}|${appointment.startsAt.toISOString()}`,
      preview: text.slice(0, PREVIEW_LENGTH),
      ...(appointment.contactId ? { contactId: new Types.ObjectId(String(appointment.contactId)) } : {}),
      ...(appointment.dealId ? { dealId: new Types.ObjectId(String(appointment.dealId)) } : {}),
      ...(appointment.chat ? { conversationId: new Types.ObjectId(String(appointment.chat.conversationId)) } : {}),
    });
  };
}
