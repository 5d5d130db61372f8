import type { Connection, Types } from 'mongoose';
import type { Period, ReportFilters } from '../report-definition.js';
import { percent, quantile, round } from '../report-math.js';
import { rowsOver, type DailyMeasure } from '../daily/daily-counts.js';
import { idCell, idsIn } from '../daily/id-columns.js';
import { reportEventMatch } from './report-event-match.js';
import { reportEventModel } from './report-event-model.js';

/** One group of the responses aggregation: a kind of event by channel, person and teams. */
export interface EventGroup {
  _id: { kind: string; channel: string; userId?: Types.ObjectId | null; teamIds?: Types.ObjectId[] };
  seconds: (number | null)[];
  count: number;
  withinSla: number;
  /** The conversations of its messages sent, as an id column (see idCell): kept days decode it as one string. */
  conversations: string;
}

/** The figures of one row (an operator, a channel, a team or everyone). */
export interface ResponseFigures {
  firstResponseMedian: number | null;
  firstResponseP90: number | null;
  firstResponseAverage: number | null;
  withinSla: number | null;
  resolutionMedian: number | null;
  resolutionP90: number | null;
  resolutionAverage: number | null;
  handled: number;
  messagesSent: number;
}

/** What the rows are split by. */
export type Dimension = 'operator' | 'channel' | 'team';

class Accumulator {
  firstResponses: number[] = [];
  withinSla = 0;
  resolutions: number[] = [];
  conversations = new Set<string>();
  messages = 0;

  add(group: EventGroup): void {
    const seconds = group.seconds.filter((value): value is number => typeof value === 'number');
    if (group._id.kind === 'first_response') {
      this.firstResponses.push(...seconds);
      this.withinSla += group.withinSla;
    }
    if (group._id.kind === 'resolution') this.resolutions.push(...seconds);
    if (group._id.kind === 'message_sent') {
      this.messages += group.count;
      for (const id of idsIn(group.conversations)) this.conversations.add(id);
    }
  }

  figures(): ResponseFigures {
    const whole = (value: number | null) => (value === null ? null : round(value, 0));
    const average = (values: number[]) =>
      values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
    return {
      firstResponseMedian: whole(quantile(this.firstResponses, 0.5)),
      firstResponseP90: whole(quantile(this.firstResponses, 0.9)),
      firstResponseAverage: whole(average(this.firstResponses)),
      withinSla: percent(this.withinSla, this.firstResponses.length),
      resolutionMedian: whole(quantile(this.resolutions, 0.5)),
      resolutionP90: whole(quantile(this.resolutions, 0.9)),
      resolutionAverage: whole(average(this.resolutions)),
      handled: this.conversations.size,
      messagesSent: this.messages,
    };
  }
}

/** The keys a group counts under in a dimension (a conversation of two teams counts for both). */
function keysOf(group: EventGroup, dimension: Dimension): string[] {
  switch (dimension) {
    case 'operator':
      return group._id.userId ? [String(group._id.userId)] : [];
    case 'channel':
      return [group._id.channel];
    case 'team':
      return (group._id.teamIds ?? []).map(String);
  }
}

export interface ResponseBreakdown {
  total: ResponseFigures;
  by: Record<Dimension, Map<string, ResponseFigures>>;
}

/**
 * First responses, resolutions and messages sent of a stretch of time, in one aggregation whose
 * leading $match the {kind, at} index serves, grouped by kind, channel, person and teams: kept
 * per day (the values themselves, as medians need them), so a report over a quarter reads ninety
 * days' groups instead of every event.
 */
export const responseGroups: DailyMeasure<EventGroup> = {
  id: 'response-days',
  async count(db, period) {
    const groups = await reportEventModel(db).aggregate<
      Omit<EventGroup, 'conversations'> & { conversations: Types.ObjectId[] }
    >([
      { $match: reportEventMatch(['first_response', 'resolution', 'message_sent'], period, {}) },
      {
        $group: {
          _id: { kind: '$kind', channel: '$channel', userId: '$userId', teamIds: '$teamIds' },
          seconds: { $push: '$seconds' },
          count: { $sum: 1 },
          withinSla: { $sum: { $cond: [{ $eq: ['$withinSla', true] }, 1, 0] } },
          conversations: { $addToSet: '$conversationId' },
        },
      },
    ]);
    return groups.map((group) => ({ ...group, conversations: group.conversations.map(idCell).join('') }));
  },
};

/** A group under the report's filters: the channel, a team among the conversation's, the person. */
function matchesFilters(group: EventGroup, filters: Pick<ReportFilters, 'channel' | 'teamId' | 'operatorId'>): boolean {
  if (filters.channel && group._id.channel !== filters.channel) return false;
  if (filters.teamId && !(group._id.teamIds ?? []).some((id) => String(id) === filters.teamId)) return false;
  if (filters.operatorId && String(group._id.userId ?? '') !== filters.operatorId) return false;
  return true;
}

/**
 * First responses, resolutions and messages sent over a period of days in a time zone, merged
 * per operator, channel and team from the kept daily groups (see responseGroups).
 */
export async function responseBreakdown(
  db: Connection,
  period: Period,
  filters: ReportFilters,
  timeZone: string,
  now: Date = new Date(),
): Promise<ResponseBreakdown> {
  const groups = (await rowsOver(db, responseGroups, period, timeZone, now)).filter((group) =>
    matchesFilters(group, filters),
  );
  const total = new Accumulator();
  const by = { operator: new Map(), channel: new Map(), team: new Map() } as Record<
    Dimension,
    Map<string, Accumulator>
  >;
  for (const group of groups) {
    total.add(group);
    for (const dimension of ['operator', 'channel', 'team'] as const) {
      for (const key of keysOf(group, dimension)) {
        const accumulator = by[dimension].get(key) ?? new Accumulator();
        accumulator.add(group);
        by[dimension].set(key, accumulator);
      }
    }
  }
  const figuresOf = (map: Map<string, Accumulator>) =>
    new Map([...map].map(([key, accumulator]) => [key, accumulator.figures()]));
  return {
    total: total.figures(),
    by: { operator: figuresOf(by.operator), channel: figuresOf(by.channel), team: figuresOf(by.team) },
  };
}
