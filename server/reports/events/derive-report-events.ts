import type { Types } from 'mongoose';
import type { ConversationRecord } from '../../messaging/conversation-model.js';
import { isAnswer } from '../../messaging/is-answer.js';
import type { MessageRecord } from '../../messaging/message-model.js';
import { handoffKey } from './record-handoff.js';
import { botStartedKey } from './record-bot-event.js';
import { conversationEvent, type NewReportEvent } from './record-report-events.js';
import { replyEvents } from './reply-events.js';
import { resolutionEvent } from './resolution-event.js';

export type DerivableConversation = Pick<
  ConversationRecord,
  | '_id'
  | 'contactId'
  | 'channel'
  | 'channelAccountId'
  | 'teamIds'
  | 'createdAt'
  | 'status'
  | 'resolvedAt'
  | 'assigneeId'
>;
export type DerivableMessage = Pick<
  MessageRecord,
  '_id' | 'direction' | 'author' | 'content' | 'broadcastId' | 'dedupeKey' | 'sentAt' | 'createdAt'
>;

/** When a message happened as the live path sees it: the client's own time for inbound, ours for outbound. */
const momentOf = (message: DerivableMessage) =>
  message.direction === 'in' ? (message.sentAt ?? message.createdAt) : message.createdAt;

/** The conversation's own clock the live path keeps, as the messages leave it (the backfill sets it). */
export interface ConversationClock {
  waitingSince?: Date;
  firstRespondedAt?: Date;
  openedAt?: Date;
}

/**
 * The report events a conversation's stored messages imply, for conversations recorded before
 * the events existed (upgrades) and for the demo: it replays what the live path does message by
 * message. The client writing starts a wait; the bot answering a chat it has ends it; the bot's
 * hand-over message (dedupe key `handoff|…`) is a hand-over; a person's message is a reply; a
 * resolved conversation's last resolution counts from the client's first message. Only the last
 * resolution is known (earlier ones left no trace in the messages). Appointments the bot booked
 * from the chat are passed in.
 */
export function deriveReportEvents(
  conversation: DerivableConversation,
  messages: readonly DerivableMessage[],
  options: { slaMinutes: number; booked?: readonly { id: Types.ObjectId; at: Date }[] },
): { events: NewReportEvent[]; clock: ConversationClock } {
  const ordered = messages
    .map((message) => ({ message, at: momentOf(message) }))
    .sort(
      (a, b) =>
        a.at.getTime() - b.at.getTime() || a.message._id.toHexString().localeCompare(b.message._id.toHexString()),
    );
  const events: NewReportEvent[] = [];
  const state: { handler: 'bot' | 'human'; waitingSince?: Date; firstRespondedAt?: Date; openedAt?: Date } = {
    handler: 'bot',
  };
  // Only what every event copies: the conversation's own clock is what is being replayed here.
  const { _id, contactId, channel, channelAccountId, teamIds } = conversation;
  const eventConversation = { _id, contactId, channel, channelAccountId, teamIds };
  let lastReplier: Types.ObjectId | undefined;
  const firstInbound = ordered.find(({ message }) => message.direction === 'in');
  const resolvedAt = conversation.status === 'resolved' ? conversation.resolvedAt : undefined;
  for (const { message, at } of ordered) {
    if (message.direction === 'in') {
      if (!isAnswer(message)) continue;
      if (!state.waitingSince || at < state.waitingSince) state.waitingSince = at;
      if ((!state.openedAt || at < state.openedAt) && (!resolvedAt || at <= resolvedAt)) state.openedAt = at;
      continue;
    }
    if (message.author.kind === 'user' && !message.broadcastId) {
      events.push(
        ...replyEvents(
          {
            ...eventConversation,
            ...(state.waitingSince ? { waitingSince: state.waitingSince } : {}),
            ...(state.firstRespondedAt ? { firstRespondedAt: state.firstRespondedAt } : {}),
          },
          { id: message._id, at, ...(message.author.id ? { userId: message.author.id } : {}) },
          options.slaMinutes,
        ),
      );
      state.firstRespondedAt ??= at;
      lastReplier = message.author.id ?? lastReplier;
      state.waitingSince = undefined;
      state.handler = 'human';
      continue;
    }
    if (message.author.kind !== 'bot' || state.handler !== 'bot') continue;
    // The bot answering the client's first message (or handing it over): the bot took this conversation.
    if (firstInbound && at >= firstInbound.at && !events.some((event) => event.kind === 'bot_started'))
      events.push(
        conversationEvent(conversation, {
          kind: 'bot_started',
          at: firstInbound.at,
          key: botStartedKey(conversation._id.toHexString()),
        }),
      );
    if (message.dedupeKey?.startsWith('handoff|')) {
      events.push(conversationEvent(eventConversation, { kind: 'handoff', at, key: handoffKey(conversation, at) }));
      state.handler = 'human';
      if (!state.waitingSince || at < state.waitingSince) state.waitingSince = at;
      continue;
    }
    state.waitingSince = undefined;
  }
  for (const booking of options.booked ?? [])
    events.push(
      conversationEvent(conversation, {
        kind: 'bot_booked',
        at: booking.at,
        key: `bot_booked|${booking.id.toHexString()}`,
      }),
    );
  const { waitingSince, firstRespondedAt, openedAt } = state;
  const answered = firstRespondedAt ? { firstRespondedAt } : {};
  if (!resolvedAt)
    return {
      events,
      clock: { ...answered, ...(waitingSince ? { waitingSince } : {}), ...(openedAt ? { openedAt } : {}) },
    };
  events.push(
    resolutionEvent(
      { ...conversation, ...(openedAt ? { openedAt } : {}) },
      // Credited as the live path does: to the assignee, else to whoever resolved it (here: answered last).
      {
        at: resolvedAt,
        ...((conversation.assigneeId ?? lastReplier) ? { userId: conversation.assigneeId ?? lastReplier } : {}),
      },
    ),
  );
  // Resolved: nobody waits and the next message opens it again.
  return { events, clock: answered };
}
