import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { appointmentModel, type AppointmentRecord } from '../../server/appointments/appointment-model.js';
import { flowDefinitionModel } from '../../server/flows/flow-definition-model.js';
import { enqueueFlowEvent } from '../../server/flows/flow-jobs.js';
import { messageModel, type MessageRecord } from '../../server/messaging/message-model.js';
import type { SentRecord } from '../channels/adapter-fixture.js';
import { waitUntil } from '../wait-until.js';
import {
  ALWAYS_OPEN,
  recordsOf,
  setBusinessHours,
  startFrontDoorApp,
  TelegramClient,
  type FrontDoorApp,
} from './front-door-fixture.js';

/**
 * The window maker's app with only its `book-consultation` flow switched on (the qualification
 * that leads into it has tests of its own), open around the clock so slots exist whenever the
 * suite runs: the test manager has no working hours of their own, so the workspace's are theirs.
 */
export async function startBookingApp(): Promise<FrontDoorApp> {
  const app = await startFrontDoorApp();
  await setBusinessHours(app.api, ALWAYS_OPEN);
  const Definition = await flowDefinitionModel(app.api.db);
  await Definition.updateMany({ flowId: { $ne: 'book-consultation' } }, { $set: { enabled: false } });
  return app;
}

export interface BookingChat {
  client: TelegramClient;
  contactId: string;
  conversationId: string;
}

/** A deal of the contact in the leads pipeline, as the qualification leaves one. */
async function openDeal(app: FrontDoorApp, contactId: string, title: string): Promise<string> {
  const manager = await app.api.as('manager');
  const pipelines = await manager.get('/pipelines');
  const leads = pipelines.body.items.find((pipeline: { systemKey?: string }) => pipeline.systemKey === 'leads');
  const created = await manager.post('/deals', { title, pipelineId: leads.id, contactId });
  if (created.status !== 201) throw new Error(`No deal: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/**
 * A new Telegram client who wrote to the bot (in Russian unless `language` says otherwise), with a
 * lead deal, enrolled into booking as the qualification's last step (`enroll: book-consultation`) does.
 */
export async function enrollClient(
  app: FrontDoorApp,
  firstName: string,
  language: 'ru' | 'en' = 'ru',
): Promise<BookingChat & { dealId: string }> {
  const client = new TelegramClient(app, { firstName, languageCode: language });
  await client.write(language === 'en' ? 'Hello there' : 'Здравствуйте');
  const { contact, conversation } = await waitUntil('the chat is stored', () =>
    recordsOf(app.api, String(client.chatId)).catch(() => undefined),
  );
  const contactId = String(contact._id);
  const conversationId = String(conversation._id);
  const dealId = await openDeal(app, contactId, `Окна: ${firstName}`);
  await enqueueFlowEvent(app.api.app.services.queues, {
    id: `enroll-${randomBytes(6).toString('hex')}`,
    type: 'manual',
    flowId: 'book-consultation',
    fromFlow: 'lead-intake',
    subject: { contactId, conversationId, dealId },
  });
  return { client, contactId, conversationId, dealId };
}

/** Waits for the bot's next message to this client whose text has `text` in it. */
export function nextMessage(client: TelegramClient, text: string, after = 0): Promise<SentRecord> {
  return waitUntil(`a message with "${text}"`, () =>
    client
      .received()
      .slice(after)
      .find((message) => message.text?.includes(text)),
  );
}

/** The buttons (ids and captions) of the newest message the bot sent in the conversation. */
export async function lastButtons(app: FrontDoorApp, conversationId: string): Promise<{ id: string; text: string }[]> {
  const message = await messageModel(app.api.db)
    .findOne({ conversationId: new Types.ObjectId(conversationId), direction: 'out', buttons: { $exists: true } })
    .sort({ _id: -1 })
    .lean<MessageRecord>();
  return message?.buttons ?? [];
}

/** A client's appointments still planned. */
export async function plannedAppointments(app: FrontDoorApp, contactId: string): Promise<AppointmentRecord[]> {
  return (await appointmentModel(app.api.db))
    .find({ contactId: new Types.ObjectId(contactId), status: 'planned' })
    .lean<AppointmentRecord[]>();
}
