import type { Connection } from 'mongoose';
import { contactModels } from '../contacts/contact-models.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel, type FlowWorkspaceRecord } from '../flows/flow-workspace-model.js';
import type { AppointmentRecord } from './appointment-model.js';

export interface AppointmentLocale {
  /** The client's language and zone, for what the client reads. */
  client: { language: 'ru' | 'en'; timeZone: string };
  /** The workspace's language, for what the staff read (notes, tasks). */
  staffLanguage: 'ru' | 'en';
}

/**
 * How to word an appointment for its client and for the staff: the chat it was booked in knows the
 * client's language and zone; otherwise the contact's language and the workspace's zone.
 */
export async function appointmentLocale(
  db: Connection,
  appointment: Pick<AppointmentRecord, 'chat' | 'contactId'>,
): Promise<AppointmentLocale> {
  const stored = await (await flowWorkspaceModel(db)).findById(FLOW_WORKSPACE_ID).lean<FlowWorkspaceRecord>();
  const staffLanguage = stored?.workspace.language ?? 'ru';
  if (appointment.chat)
    return { client: { language: appointment.chat.language, timeZone: appointment.chat.timeZone }, staffLanguage };
  const contact = appointment.contactId
    ? await contactModels(db).Contact.findById(appointment.contactId, { language: 1 }).lean<{ language?: string }>()
    : null;
  return {
    client: {
      language: contact?.language === 'en' ? 'en' : 'ru',
      timeZone: stored?.workspace.timeZone ?? 'Europe/Moscow',
    },
    staffLanguage,
  };
}
