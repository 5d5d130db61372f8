import { Types, type Connection } from 'mongoose';
import type { AuthUser } from '../../server/api/define-route.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import type { ReportContext } from '../../server/reports/report-definition.js';
import { toReportFilters } from '../../server/reports/report-filters.js';
import type { PublicUser } from '../../server/users/user-schemas.js';
import type { TestApi } from '../api/api-harness.js';

export const TIME_ZONE = 'Europe/Moscow';

/** Midnight of a day in Moscow (UTC+3, no clock changes), plus some hours: fixtures in whole days. */
export const msk = (day: string, hours = 0) => new Date(new Date(`${day}T00:00:00+03:00`).getTime() + hours * 3600_000);

/** The fixtures' period: 1–10 March 2025; the previous one is 19–28 February 2025. */
export const PERIOD = { from: '2025-03-01', to: '2025-03-10' };

export interface FixtureDeal {
  pipeline?: string;
  /** [stage id, entered (a Moscow day), left (a Moscow day), moved by a user id or 'automation'] */
  visits: [stage: string, entered: Date, left?: Date, movedBy?: string][];
  status?: 'open' | 'won' | 'lost';
  lostReason?: string;
  amount?: number;
  ownerId: string;
  contactId?: Types.ObjectId;
  source?: string;
  createdAt?: Date;
  closedAt?: Date;
  copiedFrom?: boolean;
}

/** The shipped pipelines by systemKey (a fresh test workspace has none until this). */
export async function pipelines(api: TestApi): Promise<Record<string, PipelineRecord>> {
  return ensureDefaultPipelines(api.db);
}

/** Writes deals as they would be after their moves, with exactly the stage history given. */
export async function insertDeals(
  db: Connection,
  all: Record<string, PipelineRecord>,
  deals: FixtureDeal[],
): Promise<void> {
  const Deal = await dealModel(db);
  await Deal.collection.insertMany(
    deals.map((deal) => {
      const pipeline = all[deal.pipeline ?? 'sales']!;
      const last = deal.visits.at(-1)!;
      return {
        _id: new Types.ObjectId(),
        title: 'Fixture deal',
        pipelineId: pipeline._id,
        stageId: last[0],
        amount: deal.amount ?? 0,
        currency: 'RUB',
        ownerId: new Types.ObjectId(deal.ownerId),
        ...(deal.contactId ? { contactId: deal.contactId } : {}),
        customFields: {},
        status: deal.status ?? 'open',
        ...(deal.lostReason ? { lostReason: deal.lostReason } : {}),
        ...(deal.closedAt ? { closedAt: deal.closedAt } : {}),
        ...(deal.source ? { source: deal.source } : {}),
        ...(deal.copiedFrom ? { copiedFrom: { dealId: new Types.ObjectId(), pipelineId: pipeline._id } } : {}),
        stageHistory: deal.visits.map(([stageId, enteredAt, leftAt, movedBy]) => ({
          pipelineId: pipeline._id,
          stageId,
          enteredAt,
          ...(leftAt ? { leftAt } : {}),
          movedBy:
            movedBy === 'automation'
              ? { kind: 'automation', id: 'flow' }
              : { kind: 'user', id: movedBy ?? deal.ownerId },
        })),
        copies: [],
        createdBy: { kind: 'user', id: deal.ownerId },
        revision: 0,
        createdAt: deal.createdAt ?? deal.visits[0]![1],
        updatedAt: new Date(),
      };
    }),
  );
}

export function authUser(user: PublicUser): AuthUser {
  return { id: user.id, name: user.name, email: user.email, role: user.role, teamIds: user.teamIds ?? [] };
}

/** What a report's compute gets for the fixtures' period, as the routes would build it. */
export function reportContext(
  api: TestApi,
  user: PublicUser,
  query: Parameters<typeof toReportFilters>[0] = PERIOD,
): ReportContext {
  const { filters, resolved } = toReportFilters(query, TIME_ZONE);
  const scoped = user.role === 'operator' ? { ...filters, operatorId: user.id } : filters;
  return {
    services: api.app.services,
    user: authUser(user),
    filters: scoped,
    previous: resolved.previous,
    timeZone: TIME_ZONE,
  };
}

/** A table's row whose first column is this label. */
export function rowOf(table: { columns: { key: string }[]; rows: Record<string, unknown>[] }, label: string) {
  const key = table.columns[0]!.key;
  return table.rows.find((row) => row[key] === label);
}
