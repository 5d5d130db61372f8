import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentModel, type AppointmentRecord } from '../../server/appointments/appointment-model.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { flowDefinitionModel } from '../../server/flows/flow-definition-model.js';
import { enqueueFlowEvent } from '../../server/flows/flow-jobs.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { ingestEvents } from '../../server/messaging/ingest-events.js';
import { messageModel, type MessageRecord } from '../../server/messaging/message-model.js';
import { newTeamWithChannel, visitorWrites } from '../api/inbox-fixture.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';
import { ALWAYS_OPEN, setBusinessHours } from './front-door-fixture.js';

/**
 * The site widget's side of booking (the /demo page's chat): the slots come to the visitor as
 * quick replies, a tap comes back through the one ingest path as a `button` message, and the
 * confirmation with Reschedule / Cancel goes out on the webchat conversation, in English for an
 * English-speaking visitor.
 */
describe('booking on the site widget', () => {
  let api: TestApi;
  let channelId: string;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    await setBusinessHours(api, ALWAYS_OPEN);
    await (
      await flowDefinitionModel(api.db)
    ).updateMany({ flowId: { $ne: 'book-consultation' } }, { $set: { enabled: false } });
    ({ channelId } = await newTeamWithChannel(api));
  }, 60_000);
  afterAll(() => api?.close());

  const lastOut = (conversationId: string, text: string) =>
    waitUntil(`a bot message with "${text}"`, async () => {
      const found = await messageModel(api.db)
        .findOne({ conversationId: new Types.ObjectId(conversationId), direction: 'out' })
        .sort({ _id: -1 })
        .lean<MessageRecord>();
      return found && 'text' in found.content && found.content.text?.includes(text) ? found : undefined;
    });

  it('should offer slots as quick replies and book the one the visitor taps', async () => {
    const { conversation, visitorId } = await visitorWrites(api, channelId, 'Hello, I need new windows');
    await contactModels(api.db).Contact.updateOne({ _id: conversation.contactId }, { $set: { language: 'en' } });
    await enqueueFlowEvent(api.app.services.queues, {
      id: `enroll-${randomBytes(6).toString('hex')}`,
      type: 'manual',
      flowId: 'book-consultation',
      fromFlow: 'lead-intake',
      subject: { contactId: conversation.contactId, conversationId: conversation.id },
    });
    const offer = await lastOut(conversation.id, 'Pick a time');
    expect(offer.buttons?.length).toBeGreaterThan(0);
    const slot = offer.buttons!.at(-1)!;
    expect(slot.id).toMatch(/^slot:/);
    expect(slot.text).toMatch(/^[A-Z][a-z]{2} \d\d\.\d\d \d\d:\d\d$/);

    const account = (await api.app.services.channels.get(channelId))!;
    await ingestEvents(api.app.services, account, [
      {
        type: 'message',
        externalMessageId: randomBytes(8).toString('hex'),
        from: { externalId: visitorId },
        chatId: visitorId,
        sentAt: new Date(),
        content: { kind: 'button', payload: slot.id, text: slot.text },
      },
    ]);
    const confirmation = await lastOut(conversation.id, 'Done, your free measurement is booked.');
    expect(confirmation.buttons?.map((button) => button.text)).toEqual(['Reschedule', 'Cancel']);
    const appointment = await (
      await appointmentModel(api.db)
    )
      .findOne({ contactId: new Types.ObjectId(conversation.contactId) })
      .lean<AppointmentRecord>();
    expect(appointment).toMatchObject({
      title: 'Free measurement',
      startsAt: new Date(slot.id.slice('slot:'.length)),
      chat: { conversationId: new Types.ObjectId(conversation.id), language: 'en', format: 'visit' },
    });
  }, 60_000);
});
