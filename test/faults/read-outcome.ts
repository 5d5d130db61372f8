import { progress } from './progress.js';
import type { FaultScenario } from './fault-scenario.js';

export interface StoredMessage {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  text: string;
  status: string;
  dedupeKey?: string;
}

/** What the app made of the scenario: the store's messages and conversations, the providers' sends. */
export interface Outcome {
  messages: StoredMessage[];
  /** conversation id → the chat it is (the client's chatId) */
  chatOf: Map<string, string>;
  /** What reached the Telegram and WhatsApp stand-ins, per chat. */
  delivered: { chatId: string; text: string }[];
}

export async function readOutcome(scenario: Pick<FaultScenario, 'db' | 'telegram' | 'whatsapp'>): Promise<Outcome> {
  const { db, telegram, whatsapp } = scenario;
  const rows = await db.collection('messages').find({}).toArray();
  const conversations = await db.collection('conversations').find({}).toArray();
  return {
    messages: rows.map((row) => ({
      id: String(row._id),
      conversationId: String(row.conversationId),
      direction: row.direction,
      text: String(row.content?.text ?? ''),
      status: String(row.status),
      ...(row.dedupeKey ? { dedupeKey: String(row.dedupeKey) } : {}),
    })),
    chatOf: new Map(conversations.map((row) => [String(row._id), String(row.chatId)])),
    delivered: [...telegram.sent(), ...whatsapp.sent()].map((sent) => ({ chatId: sent.chatId, text: sent.text ?? '' })),
  };
}

/**
 * Waits until the app has nothing left in hand: no message queued or sending, a follow-up stored
 * for every flow run's contact, and each sent message at its provider. Returns what is there when
 * that holds or when `timeoutMs` runs out (the assertions then say what is missing).
 */
export async function settledOutcome(
  scenario: Pick<FaultScenario, 'db' | 'telegram' | 'whatsapp'>,
  expectedFollowUps: number,
  isFollowUp: (message: StoredMessage) => boolean,
  timeoutMs: number,
): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await readOutcome(scenario).catch(() => undefined);
    if (outcome && isSettled(outcome, expectedFollowUps, isFollowUp)) return outcome;
    if (outcome && Date.now() > deadline) {
      progress(`not settled after ${timeoutMs} ms: ${describe(outcome, isFollowUp)}`);
      return outcome;
    }
    if (!outcome && Date.now() > deadline) return readOutcome(scenario);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function describe(outcome: Outcome, isFollowUp: (message: StoredMessage) => boolean): string {
  const outbound = outcome.messages.filter((message) => message.direction === 'out');
  const byStatus = counts(outbound.map((message) => message.status));
  return `outbound ${JSON.stringify(Object.fromEntries(byStatus))}, follow-ups ${outbound.filter(isFollowUp).length}, at providers ${outcome.delivered.length}`;
}

function counts(values: string[]): Map<string, number> {
  const counted = new Map<string, number>();
  for (const value of values) counted.set(value, (counted.get(value) ?? 0) + 1);
  return counted;
}

function isSettled(outcome: Outcome, expectedFollowUps: number, isFollowUp: (message: StoredMessage) => boolean) {
  const outbound = outcome.messages.filter((message) => message.direction === 'out');
  if (outbound.some((message) => message.status === 'queued' || message.status === 'sending')) return false;
  if (outbound.filter(isFollowUp).length < expectedFollowUps) return false;
  return (
    outcome.delivered.length >= outbound.filter((message) => message.status === 'sent').length - webchatSent(outcome)
  );
}

/** Site chat messages go to the visitor's socket, not to a provider stand-in. */
function webchatSent(outcome: Outcome): number {
  return outcome.messages.filter(
    (message) =>
      message.direction === 'out' &&
      message.status === 'sent' &&
      outcome.chatOf.get(message.conversationId)?.startsWith('v_'),
  ).length;
}
