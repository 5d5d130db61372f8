import { Types } from 'mongoose';
import type { Period, ReportFilters } from '../report-definition.js';
import type { ReportEventKind } from './report-event-model.js';

/**
 * The leading `$match` of a report over report_events: the kinds and the period first (the
 * {kind, at} index serves them), then the filters that apply to conversation events (channel,
 * the conversation's team, the person who did it).
 */
export function reportEventMatch(
  kinds: readonly ReportEventKind[],
  period: Period,
  filters: Pick<ReportFilters, 'channel' | 'teamId' | 'operatorId'>,
  options: { byOperator?: boolean } = {},
): Record<string, unknown> {
  return {
    kind: kinds.length === 1 ? kinds[0] : { $in: [...kinds] },
    at: { $gte: period.from, $lt: period.to },
    ...(filters.channel ? { channel: filters.channel } : {}),
    ...(filters.teamId ? { teamIds: new Types.ObjectId(filters.teamId) } : {}),
    ...(filters.operatorId && options.byOperator !== false ? { userId: new Types.ObjectId(filters.operatorId) } : {}),
  };
}
