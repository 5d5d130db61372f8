import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentModel } from '../../server/appointments/appointment-model.js';
import { waitUntil } from '../wait-until.js';
import { enrollClient, lastButtons, nextMessage, plannedAppointments, startBookingApp } from './booking-fixture.js';
import type { FrontDoorApp } from './front-door-fixture.js';

/**
 * Two Telegram clients in the `book-consultation` flow press the same slot button at the same
 * moment: the slot goes to exactly one of them, the other is told it was taken and offered the
 * next slots, and books one of those. Real app, Redis, store and the Bot API stand-in.
 */
describe('booking race through the flow', () => {
  let app: FrontDoorApp;

  beforeAll(async () => {
    app = await startBookingApp();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const planned = (contactId: string) => plannedAppointments(app, contactId);

  it('should give a slot two clients race for to exactly one and offer the other the next slots', async () => {
    const [anna, boris] = await Promise.all([enrollClient(app, 'Анна'), enrollClient(app, 'Борис')]);
    await Promise.all([
      nextMessage(anna.client, 'Выберите удобное время'),
      nextMessage(boris.client, 'Выберите удобное время'),
    ]);
    const [slot] = await lastButtons(app, anna.conversationId);
    expect(slot?.id).toMatch(/^slot:/);
    expect((await lastButtons(app, boris.conversationId)).map((button) => button.id)).toContain(slot!.id);
    const seen = { anna: anna.client.received().length, boris: boris.client.received().length };

    await Promise.all([anna.client.press(slot!.text, slot!.id), boris.client.press(slot!.text, slot!.id)]);

    const outcomes = await Promise.all(
      [anna, boris].map(async (chat, index) =>
        waitUntil('the booking answer', () =>
          chat.client
            .received()
            .slice(index === 0 ? seen.anna : seen.boris)
            .find((message) => /Готово|уже занято/.test(message.text ?? '')),
        ),
      ),
    );
    const winners = outcomes.filter((message) => message.text?.includes('Готово'));
    expect(winners).toHaveLength(1);
    const loserIndex = outcomes.findIndex((message) => message.text?.includes('уже занято'));
    const loser = [anna, boris][loserIndex]!;
    const offered = await lastButtons(app, loser.conversationId);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.map((button) => button.id)).not.toContain(slot!.id);

    const startsAt = new Date(slot!.id.slice('slot:'.length));
    const atThatTime = await (await appointmentModel(app.api.db)).countDocuments({ startsAt, status: 'planned' });
    expect(atThatTime).toBe(1);

    // The loser takes one of the next slots.
    const next = offered[0]!;
    await loser.client.press(next.text, next.id);
    await nextMessage(loser.client, 'Готово', loserIndex === 0 ? seen.anna : seen.boris);
    const [theirs] = await waitUntil('the loser is booked', async () => {
      const found = await planned(loser.contactId);
      return found.length === 1 ? found : undefined;
    });
    expect(theirs!.startsAt).toEqual(new Date(next.id.slice('slot:'.length)));
  }, 60_000);
});
