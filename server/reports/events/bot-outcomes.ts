import type { Connection, Types } from 'mongoose';
import { dealModel, type DealRecord } from '../../deals/deal-model.js';
import { pipelineModel } from '../../pipelines/pipeline-model.js';
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
 * flows) into an open or won stage after the bot took the chat, read from the deals' stage history
 * (deals are indexed by contact).
 */
export async function botConversations(
  db: Connection,
  period: Period,
  filters: Pick<ReportFilters, 'channel' | 'teamId'>,
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
  const qualifiedSince = await qualifiedContacts(
    db,
    started.map((row) => row.contactId),
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

/** When automation moved each client's deals forward (into an open or won stage, never the first visit). */
async function qualifiedContacts(db: Connection, contactIds: Types.ObjectId[]): Promise<Map<string, Date[]>> {
  const pipelines = await (await pipelineModel(db)).find({}, { stages: 1 }).lean();
  const lost = new Set(
    pipelines.flatMap((pipeline) =>
      pipeline.stages.filter((stage) => stage.kind === 'lost').map((stage) => `${String(pipeline._id)}|${stage.id}`),
    ),
  );
  const Deal = await dealModel(db);
  const moves = new Map<string, Date[]>();
  const unique = [...new Map(contactIds.map((id) => [String(id), id])).values()];
  const deals = await Deal.find({ contactId: { $in: unique } }, { contactId: 1, stageHistory: 1 }).lean<
    Pick<DealRecord, 'contactId' | 'stageHistory'>[]
  >();
  for (const deal of deals) {
    const forward = deal.stageHistory
      .slice(1)
      .filter(
        (visit) => visit.movedBy.kind === 'automation' && !lost.has(`${String(visit.pipelineId)}|${visit.stageId}`),
      )
      .map((visit) => visit.enteredAt);
    if (forward.length === 0) continue;
    const key = String(deal.contactId);
    moves.set(key, [...(moves.get(key) ?? []), ...forward]);
  }
  return moves;
}
