import {
  appointmentButtons,
  moveToButtonId,
  readAppointmentButton,
  type AppointmentButton,
} from '../../bot/assistant/booking/appointment-buttons.js';
import { findFreeSlots, type SlotSearch } from '../../bot/assistant/booking/book-slot.js';
import { BOOKING_TEXTS, describeMeeting, describeTime } from '../../bot/assistant/booking/booking-texts.js';
import { slotOfferMessage } from '../../bot/assistant/booking/slot-offer-message.js';
import { ApiError } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { addNote } from '../notes/add-note.js';
import { appointmentModel, type AppointmentRecord } from './appointment-model.js';
import { appointmentLocale, type AppointmentLocale } from './appointment-locale.js';
import { changeAppointment } from './change-appointment.js';
import { messageContact } from '../messaging/message-contact.js';
import { syncAppointmentFollowUps } from './sync-appointment-follow-ups.js';

type ButtonServices = Pick<ApiServices, 'db' | 'events' | 'queues' | 'channels' | 'logger'>;

interface Press {
  contactId: string;
  conversationId: string;
  /** The pressed button's message: the key that makes a repeated delivery answer once. */
  messageId: string;
}

/** What the manager reads on the client's timeline. */
const STAFF_NOTES = {
  moved: {
    ru: 'Клиент перенёс запись «{title}» с {from} на {to}',
    en: 'The client moved "{title}" from {from} to {to}',
  },
  cancelled: { ru: 'Клиент отменил запись «{title}» на {from}', en: 'The client cancelled "{title}" on {from}' },
} as const;

/**
 * The Reschedule and Cancel buttons under a booking's confirmation and reminders, pressed by the
 * client in any channel: cancel frees the slot (the reminders go, the manager's task is closed);
 * reschedule offers the manager's free slots and moves the appointment to the one pressed (under the
 * calendar's lease, so never onto a taken slot: then the next ones are offered). The manager gets a
 * note on the client's timeline. Only the client's own appointments are touched.
 */
export function answerAppointmentButtons(services: ButtonServices): void {
  services.events.on('message.received', async ({ message, conversation }) => {
    if (message.content.kind !== 'button') return;
    const button = readAppointmentButton(message.content.payload);
    if (!button) return;
    const press = { contactId: conversation.contactId, conversationId: conversation.id, messageId: message.id };
    await answerButton(services, button, press).catch((error: unknown) =>
      services.logger.error({ err: error, button }, 'could not answer an appointment button'),
    );
  });
}

async function answerButton(services: ButtonServices, button: AppointmentButton, press: Press): Promise<void> {
  const Appointment = await appointmentModel(services.db);
  const appointment = await Appointment.findOne({
    _id: button.appointmentId,
    contactId: press.contactId,
  }).lean<AppointmentRecord>();
  if (!appointment) return;
  const locale = await appointmentLocale(services.db, appointment);
  const { language } = locale.client;
  const reply = (message: { text: string; buttons?: { id: string; text: string }[] }) =>
    messageContact(services, press, message, {
      dedupeKey: `appointment-button|${press.messageId}`,
      authorName: 'booking',
    });
  if (appointment.status !== 'planned' || appointment.startsAt <= new Date()) {
    await reply({ text: BOOKING_TEXTS.gone[language] });
    return;
  }
  switch (button.action) {
    case 'cancel':
      return cancel(services, appointment, locale, press, reply);
    case 'move':
      await reply(await moveOffer(services, appointment, locale, BOOKING_TEXTS.moveOffer[language]));
      return;
    case 'moveTo':
      return moveTo(services, appointment, button.startsAt, locale, press, reply);
  }
}

type Reply = (message: { text: string; buttons?: { id: string; text: string }[] }) => Promise<unknown>;

async function cancel(
  services: ButtonServices,
  appointment: AppointmentRecord,
  locale: AppointmentLocale,
  press: Press,
  reply: Reply,
): Promise<void> {
  const { after } = await changeAppointment(services.db, { _id: appointment._id }, { status: 'cancelled' });
  await syncAppointmentFollowUps(services, after, { before: appointment, staffLanguage: locale.staffLanguage });
  await reply({ text: BOOKING_TEXTS.cancelled[locale.client.language] });
  await tellManager(services, appointment, locale, press, STAFF_NOTES.cancelled, { from: appointment.startsAt });
}

/** The free slots of the appointment's manager, as buttons that move this appointment. */
async function moveOffer(
  services: ButtonServices,
  appointment: AppointmentRecord,
  locale: AppointmentLocale,
  intro: string,
  after?: Date,
) {
  const slots = (await findFreeSlots(services.db, searchFor(appointment, locale))).filter(
    (slot) => !after || slot.startsAt >= after,
  );
  const id = String(appointment._id);
  return slotOfferMessage(intro, slots, {
    ...locale.client,
    offerDays: 3,
    perDay: 3,
    buttonId: (startsAt) => moveToButtonId(id, startsAt),
  });
}

function searchFor(appointment: AppointmentRecord, locale: AppointmentLocale): SlotSearch {
  return {
    settings: {
      managerIds: [String(appointment.managerId)],
      slotMinutes: Math.round((+appointment.endsAt - +appointment.startsAt) / 60_000),
      days: appointment.chat?.days ?? 7,
    },
    now: new Date(),
    clientTimeZone: locale.client.timeZone,
  };
}

async function moveTo(
  services: ButtonServices,
  appointment: AppointmentRecord,
  startsAt: Date,
  locale: AppointmentLocale,
  press: Press,
  reply: Reply,
): Promise<void> {
  const { language, timeZone } = locale.client;
  const free = await findFreeSlots(services.db, searchFor(appointment, locale));
  const slot = free.find((candidate) => +candidate.startsAt === +startsAt);
  const taken = async () =>
    reply(await moveOffer(services, appointment, locale, BOOKING_TEXTS.taken[language], startsAt));
  if (!slot) return void (await taken());
  let after: AppointmentRecord;
  try {
    ({ after } = await changeAppointment(
      services.db,
      { _id: appointment._id, status: 'planned' },
      { startsAt: slot.startsAt, endsAt: slot.endsAt },
    ));
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return void (await taken());
    throw error;
  }
  await syncAppointmentFollowUps(services, after, { before: appointment, staffLanguage: locale.staffLanguage });
  const details = describeMeeting(
    { ...after, format: after.chat?.format ?? (after.onlineUrl ? 'online' : 'office') },
    timeZone,
    language,
  );
  await reply({
    text: `${BOOKING_TEXTS.moved[language]}\n${details}`,
    buttons: appointmentButtons(String(after._id), language),
  });
  await tellManager(services, appointment, locale, press, STAFF_NOTES.moved, {
    from: appointment.startsAt,
    to: after.startsAt,
  });
}

async function tellManager(
  services: ButtonServices,
  appointment: AppointmentRecord,
  locale: AppointmentLocale,
  press: Press,
  template: { ru: string; en: string },
  times: { from: Date; to?: Date },
): Promise<void> {
  const language = locale.staffLanguage;
  const zone = locale.client.timeZone;
  const text = template[language]
    .replace('{title}', appointment.title)
    .replace('{from}', describeTime(times.from, zone, language))
    .replace('{to}', times.to ? describeTime(times.to, zone, language) : '');
  await addNote(services, {
    entity: 'contact',
    entityId: press.contactId,
    kind: 'system',
    text,
    author: null,
    dedupeKey: `appointment-button|${press.messageId}`,
    conversationId: press.conversationId,
    meta: { appointmentId: String(appointment._id) },
  });
}
