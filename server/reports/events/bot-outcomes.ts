import type { Connection, Types } from 'mongoose';
import { forwardMovesOf } from '../automation-moves.js';
import type { Period, ReportFilters } from '../report-definition.js';
import { reportEventMatch } from './report-event-match.js';
import { reportEventModel } from './report-event-model.js';

export interface BotConversation {
  conversationId: string;
  contactId: string;
  channel: string;
  at: Date;
  qualified: boolean;
  handedOff: boolean;
  booked: boolean;
}

/**
 * The conversations the front-door bot took in a period (`bot_started`), each followed to what
 * came of it, whenever that was: handed to a person (`handoff`), a consultation booked by the bot
 * (`bot_booked`), and qualified: a deal of the client moved forward by automation (the bot's
 * flows) into an open or won stage after the bot took the chat, read from the kept days of
 * automation's moves.
 */
export async function botConversations(
  db: Connection,
  period: Period,
  filters: Pick<ReportFilters, 'channel' | 'teamId'>,
  timeZone: string,
  now: Date = new Date(),
): Promise<BotConversation[]> {
  const ReportEvent = reportEventModel(db);
  const started = await ReportEvent.aggregate<{
    conversationId: Types.ObjectId;
    contactId: Types.ObjectId;
    channel: string;
    at: Date;
  }>([
    { $match: reportEventMatch(['bot_started'], period, filters, { byOperator: false }) },
    { $project: { _id: 0, conversationId: 1, contactId: 1, channel: 1, at: 1 } },
  ]);
  if (started.length === 0) return [];
  // What came of a conversation comes after the bot took it (one bot_started per conversation):
  // the outcomes since the period began, read by the {kind, at} index as one range, hold them all
  // (a few thousand conversations read by id would each be a lookup of their own).
  const rows = await ReportEvent.aggregate<{ _id: { conversationId: Types.ObjectId; kind: string } }>([
    { $match: { kind: { $in: ['handoff', 'bot_booked'] }, at: { $gte: period.from } } },
    { $group: { _id: { conversationId: '$conversationId', kind: '$kind' } } },
  ]);
  const outcomes = new Set(rows.map((row) => `${row._id.kind}|${String(row._id.conversationId)}`));
  // Automation moves a deal forward after the bot took the chat, so not before the period began.
  const qualifiedSince = await forwardMovesOf(
    db,
    new Set(started.map((row) => String(row.contactId))),
    period.from,
    timeZone,
    now,
  );
  return started.map((row) => {
    const conversationId = String(row.conversationId);
    const qualifiedAt = qualifiedSince.get(String(row.contactId)) ?? [];
    return {
      conversationId,
      contactId: String(row.contactId),
      channel: row.channel,
      at: row.at,
      qualified: qualifiedAt.some((at) => at.getTime() >= row.at.getTime()),
      handedOff: outcomes.has(`handoff|${conversationId}`),
      booked: outcomes.has(`bot_booked|${conversationId}`),
    };
  });
}
