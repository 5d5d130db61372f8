import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP, type FaultScenario } from './fault-scenario.js';
import type { Outcome } from './read-outcome.js';
import { counts, isFollowUp, runAndSettle } from './run-and-settle.js';

/**
 * Every flow wait fires once: clients keep starting the test flow (a 3-second wait, then a
 * follow-up) while the worker is killed and, the moment it is back, the store. FAILS TODAY:
 * mongoose's Model.init() keeps its first promise, a rejected one too, and the model factories
 * (flowRunModel and ~30 more: `await model.init()`) call it on every use; a model first used while
 * the store is away throws that same "connection … closed" for the life of the process, so the
 * restarted worker's flow-events jobs all fail until it is restarted again.
 */

const HOOK_TIMEOUT_MS = 600_000;

describe('flow waits when the worker and the store are killed', () => {
  let scenario: FaultScenario;
  let outcome: Outcome;

  beforeAll(async () => {
    ({ scenario, outcome } = await runAndSettle(
      // The store goes the moment the new worker is up: its models are first used while the store is away.
      {
        faults: ['worker', 'store'],
        gapMs: 4000,
        gapsMs: [4000, 0],
        lanes: { telegram: 1, whatsapp: 1, webchat: 1 },
      },
      HOOK_TIMEOUT_MS,
    ));
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await scenario?.close();
  });

  it('should fire the wait of every flow run exactly once', () => {
    const started = scenario.load.chats.filter((chat) => chat.started);
    expect(started.length).toBeGreaterThan(5);
    const followUpsByChat = counts(
      outcome.messages.filter(isFollowUp).map((message) => outcome.chatOf.get(message.conversationId) ?? '?'),
    );
    const notOnce = started
      .map(({ client }) => ({
        chat: `${client.channel} ${client.chatId}`,
        times: followUpsByChat.get(client.chatId) ?? 0,
      }))
      .filter(({ times }) => times !== 1);
    expect(notOnce).toEqual([]);
    expect([...followUpsByChat.values()].reduce((sum, times) => sum + times, 0)).toBe(started.length);
    // The providers got each Telegram and WhatsApp follow-up once.
    const atProviders = counts(
      outcome.delivered.filter((sent) => sent.text.startsWith(FOLLOW_UP)).map((sent) => sent.chatId),
    );
    const providerChats = started.filter(({ client }) => client.channel !== 'webchat');
    expect(providerChats.filter(({ client }) => atProviders.get(client.chatId) !== 1)).toEqual([]);
  });
});
