import { Types } from 'mongoose';
import type { AuthUser } from '../../server/api/define-route.js';
import type { ReportContext, ReportDefinition, ReportFilters } from '../../server/reports/report-definition.js';
import { previousPeriod } from '../../server/reports/report-periods.js';
import {
  conversationEvent,
  recordReportEvents,
  type EventConversation,
} from '../../server/reports/events/record-report-events.js';
import type { ReportEventKind } from '../../server/reports/events/report-event-model.js';
import type { TestApi } from '../api/api-harness.js';

/** A conversation the fixture's events belong to (no record needed: events copy what reports filter by). */
export function fixtureConversation(channel: string, teamIds: Types.ObjectId[] = []): EventConversation {
  return {
    _id: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    channel,
    channelAccountId: new Types.ObjectId(),
    teamIds,
  };
}

/** Writes hand-made events, each keyed afresh. */
export async function writeEvents(
  api: TestApi,
  events: {
    conversation: EventConversation;
    kind: ReportEventKind;
    at: string;
    seconds?: number;
    userId?: string;
    withinSla?: boolean;
  }[],
): Promise<void> {
  await recordReportEvents(
    api.db,
    events.map(({ conversation, kind, at, seconds, userId, withinSla }) =>
      conversationEvent(conversation, {
        kind,
        at: new Date(at),
        key: `${kind}|${new Types.ObjectId().toHexString()}`,
        ...(seconds === undefined ? {} : { seconds }),
        ...(userId ? { userId: new Types.ObjectId(userId) } : {}),
        ...(withinSla === undefined ? {} : { withinSla }),
      }),
    ),
  );
}

/** Runs a report as the routes would, for a user, over days given in UTC. */
export async function runReport(
  api: TestApi,
  report: ReportDefinition,
  user: AuthUser,
  filters: Omit<ReportFilters, 'from' | 'to'> & { from: string; to: string },
) {
  const period = { from: new Date(filters.from), to: new Date(filters.to) };
  const context: ReportContext = {
    services: api.app.services,
    user,
    filters: { ...filters, ...period },
    previous: previousPeriod(period),
    timeZone: 'UTC',
  };
  return report.compute(context);
}
