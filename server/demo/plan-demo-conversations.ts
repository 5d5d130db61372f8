import type { ConversationHandler, ConversationStatus } from '../messaging/conversation-model.js';
import type { Prng } from './create-prng.js';
import type { DemoChatAuthor, DemoChatLine, DemoChatScript, DemoStaff } from './demo-chat-script.js';
import { moscowTime } from './moscow-time.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** A snooze ends when the working day begins in Moscow, not at the minute it was set. */
const SNOOZE_ENDS_AT_HOUR = 10;

export interface DemoChatMessagePlan {
  from: DemoChatAuthor;
  text: string;
  at: Date;
  buttons?: readonly { id: string; text: string }[];
  tapped?: string;
}

export interface DemoChatNotePlan {
  author: DemoStaff;
  text: string;
  at: Date;
}

/** One conversation ready to write: its messages and notes timed, its state as the inbox shows it. */
export interface DemoConversationPlan {
  contact: number;
  deal: string;
  status: ConversationStatus;
  handler: ConversationHandler;
  assignee?: DemoStaff;
  priority: 'none' | 'high';
  labels: string[];
  messages: DemoChatMessagePlan[];
  notes: DemoChatNotePlan[];
  startedAt: Date;
  lastMessageAt: Date;
  lastInboundAt?: Date;
  lastMessage: { direction: 'in' | 'out'; preview: string };
  unreadCount: number;
  snoozedUntil?: Date;
  resolvedAt?: Date;
}

/** Fills a line's `{word}`s; a word the client has no value for is a mistake in the script. */
function fill(text: string, words: Readonly<Record<string, string>>, contact: number): string {
  return text.replace(/\{(\w+)\}/g, (_, word: string) => {
    const value = words[word];
    if (value === undefined)
      throw new Error(`The demo chat of client ${contact} uses {${word}}, which it has no value for`);
    return value;
  });
}

const isStaff = (from: DemoChatLine['from']): from is DemoStaff => from === 'operator' || from === 'manager';

/**
 * Unread, as ingest and the reply route count it: the client's messages since a person last
 * answered (a bot's answer does not read them). Whoever set a conversation pending, snoozed or
 * resolved had it open, so only open ones keep a count.
 */
function unreadOf(status: ConversationStatus, messages: DemoChatMessagePlan[]): number {
  if (status !== 'open') return 0;
  const lastStaff = messages.findLastIndex((message) => isStaff(message.from));
  return messages.slice(lastStaff + 1).filter((message) => message.from === 'client').length;
}

/**
 * Times each script's lines before `now`: the last one `endedHoursAgo` back (give or take a few
 * minutes), the ones before it by their gaps plus some seconds, so two lines never share a moment
 * and the timeline's order is the script's; `{word}`s are filled from `wordsOf` the client. Pure
 * and deterministic for one PRNG, `now` and the clients' words.
 */
export function planDemoConversations(
  prng: Prng,
  now: Date,
  scripts: readonly DemoChatScript[],
  wordsOf: (contact: number) => Readonly<Record<string, string>>,
): DemoConversationPlan[] {
  return scripts.map((script) => {
    const words = wordsOf(script.contact);
    const text = (line: DemoChatLine) => fill(line.text, words, script.contact);
    const offsets: number[] = [];
    let offset = 0;
    for (const [index, line] of script.lines.entries()) {
      if (index > 0) offset += line.after * MINUTE_MS + prng.int(5, 50) * 1000;
      offsets.push(offset);
    }
    const endsAt = now.getTime() - script.endedHoursAgo * HOUR_MS - prng.int(0, 5) * MINUTE_MS;
    const at = (index: number) => new Date(endsAt - offset + offsets[index]!);
    const messages: DemoChatMessagePlan[] = [];
    const notes: DemoChatNotePlan[] = [];
    for (const [index, line] of script.lines.entries()) {
      if (line.from === 'note') {
        notes.push({ author: script.noteAuthor ?? script.assignee ?? 'operator', text: text(line), at: at(index) });
        continue;
      }
      messages.push({
        from: line.from,
        text: text(line),
        at: at(index),
        ...(line.buttons ? { buttons: line.buttons } : {}),
        ...(line.tapped ? { tapped: line.tapped } : {}),
      });
    }
    const last = messages.at(-1);
    if (!last) throw new Error(`The demo chat of client ${script.contact} has no messages`);
    const lastInbound = messages.findLast((message) => message.from === 'client');
    return {
      contact: script.contact,
      deal: script.deal,
      status: script.status,
      handler: script.handler,
      ...(script.assignee ? { assignee: script.assignee } : {}),
      priority: script.priority ?? 'none',
      labels: script.labels ?? [],
      messages,
      notes,
      startedAt: at(0),
      lastMessageAt: last.at,
      ...(lastInbound ? { lastInboundAt: lastInbound.at } : {}),
      lastMessage: { direction: last.from === 'client' ? 'in' : 'out', preview: last.text.slice(0, 200) },
      unreadCount: unreadOf(script.status, messages),
      ...(script.status === 'snoozed'
        ? { snoozedUntil: moscowTime(now, script.snoozeDays ?? 1, SNOOZE_ENDS_AT_HOUR) }
        : {}),
      ...(script.status === 'resolved'
        ? { resolvedAt: new Date(last.at.getTime() + prng.int(1, 10) * MINUTE_MS) }
        : {}),
    };
  });
}
