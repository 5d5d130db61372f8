import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.js';
import { recordsOf, startFrontDoorApp, TelegramClient, type FrontDoorApp } from '../bot/front-door-fixture.js';

/**
 * A STOP in the middle of the bot's qualification, through the running app with the window
 * maker's flows installed: the bot neither answers the word as a question nor takes it as the
 * answer it waits for, and the qualification run ends (flows leave on opt-out by default).
 */
describe('consent keyword in a conversation with the bot', () => {
  let app: FrontDoorApp;

  beforeAll(async () => {
    app = await startFrontDoorApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  /** Gives the bot time to say something it should not (the flow worker answers within ~100 ms). */
  const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 1500));

  it('should leave STOP unanswered, opt the contact out and end the bot’s run', async () => {
    const client = new TelegramClient(app, { firstName: 'Марина', languageCode: 'ru' });
    await client.write('/start');
    const [, question] = await client.waitForMessages(2);
    expect(question).toMatchObject({ text: 'Что вас интересует?' });

    await client.write('СТОП');
    const { contact } = await waitUntil('the opt-out', async () => {
      const records = await recordsOf(app.api, String(client.chatId));
      return records.contact.consent.telegram?.status === 'opted-out' ? records : undefined;
    });
    const runs = app.api.db.collection('flow_runs');
    await waitUntil(
      'the bot’s run to end on the opt-out',
      async () =>
        (await runs.findOne({ contactId: String(contact._id), 'state.exitReason': 'opted-out' })) ?? undefined,
    );
    await quietPeriod();
    expect(client.received()).toHaveLength(2);

    await client.write('СТАРТ');
    await waitUntil('the opt-in', async () => {
      const records = await recordsOf(app.api, String(client.chatId));
      return records.contact.consent.telegram?.status === 'opted-in' ? true : undefined;
    });
    await quietPeriod();
    expect(client.received()).toHaveLength(2);
  }, 60_000);
});
