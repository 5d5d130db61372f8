import { Types, type Connection } from 'mongoose';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { rowsOver, type DailyMeasure } from './daily/daily-counts.js';
import { idAt, idCell } from './daily/id-columns.js';
import type { Period } from './report-definition.js';
import type { ReportPipeline } from './report-pipeline.js';

/** What the funnel and sources reports read of a deal, as it is (see forgetKeptDealDays). */
export interface CohortDeal {
  ownerId: string | null;
  contactId: string | null;
  source: string | null;
  status: string;
  lostReason: string | null;
  amount: number;
  /** The stages it visited in the report's pipeline. */
  stageIds: string[];
  client: CohortClient;
}

/**
 * A stretch's deals column by column: ids as id columns (see idCell), visits as
 * `pipeline:stage,stage;pipeline:stage` (stage ids are [a-z0-9-]), and what the sources report
 * reads of each deal's client (its source, UTM source and campaign, region). A day of a few
 * hundred deals is a few arrays of plain values, which the store and the driver decode ten times
 * faster than as many small documents full of ObjectIds.
 */
interface CohortBlock {
  owners: string;
  contacts: string;
  sources: (string | null)[];
  statuses: string[];
  lostReasons: (string | null)[];
  amounts: number[];
  visits: string[];
  client: {
    sources: (string | null)[];
    utmSources: (string | null)[];
    utmCampaigns: (string | null)[];
    regions: (string | null)[];
  };
}

/** What the sources report reads of a deal's client. */
export interface CohortClient {
  source: string | null;
  utmSource: string | null;
  utmCampaign: string | null;
  region: string | null;
}

type ClientFields = Pick<ContactRecord, '_id' | 'source' | 'utm' | 'region'>;

type DealFields = Pick<
  DealRecord,
  'ownerId' | 'contactId' | 'source' | 'status' | 'lostReason' | 'amount' | 'stageHistory'
>;

function visitsOf(deal: DealFields): string {
  const byPipeline = new Map<string, Set<string>>();
  for (const visit of deal.stageHistory ?? []) {
    const stages = byPipeline.get(String(visit.pipelineId)) ?? new Set();
    stages.add(visit.stageId);
    byPipeline.set(String(visit.pipelineId), stages);
  }
  return [...byPipeline].map(([pipeline, stages]) => `${pipeline}:${[...stages].join(',')}`).join(';');
}

function toBlock(deals: DealFields[], clients: ReadonlyMap<string, ClientFields>): CohortBlock {
  const clientOf = (deal: DealFields) => (deal.contactId ? clients.get(String(deal.contactId)) : undefined);
  return {
    owners: deals.map((deal) => idCell(deal.ownerId)).join(''),
    contacts: deals.map((deal) => idCell(deal.contactId)).join(''),
    sources: deals.map((deal) => deal.source ?? null),
    statuses: deals.map((deal) => deal.status),
    lostReasons: deals.map((deal) => deal.lostReason ?? null),
    amounts: deals.map((deal) => deal.amount ?? 0),
    visits: deals.map(visitsOf),
    client: {
      sources: deals.map((deal) => clientOf(deal)?.source ?? null),
      utmSources: deals.map((deal) => clientOf(deal)?.utm?.source ?? null),
      utmCampaigns: deals.map((deal) => clientOf(deal)?.utm?.campaign ?? null),
      regions: deals.map((deal) => clientOf(deal)?.region ?? null),
    },
  };
}

/** The stages a deal's visits string holds for one pipeline (hex id), or undefined when it never was there. */
function stagesIn(visits: string, pipelineId: string): string[] | undefined {
  const start = visits.indexOf(`${pipelineId}:`);
  if (start === -1) return undefined;
  const end = visits.indexOf(';', start);
  return visits.slice(start + pipelineId.length + 1, end === -1 ? undefined : end).split(',');
}

/**
 * The deals created each day, in the few fields the funnel and sources reports read, kept per
 * day: a report over a quarter reads ninety days' blocks instead of every deal. A change to a
 * deal forgets its creation day, and so does a change to its client's source, UTM or region (see
 * forget-kept-deal-days.ts), so the blocks hold the deals as they are.
 */
export const dealCohort: DailyMeasure<CohortBlock> = {
  id: 'deal-days',
  async count(db, period) {
    const Deal = await dealModel(db);
    const deals = await Deal.find(
      { createdAt: { $gte: period.from, $lt: period.to } },
      {
        _id: 0,
        ownerId: 1,
        contactId: 1,
        source: 1,
        status: 1,
        lostReason: 1,
        amount: 1,
        'stageHistory.pipelineId': 1,
        'stageHistory.stageId': 1,
      },
    ).lean<DealFields[]>();
    if (deals.length === 0) return [];
    const contactIds = [...new Set(deals.flatMap((deal) => (deal.contactId ? [String(deal.contactId)] : [])))];
    const clients = await contactModels(db)
      .Contact.find({ _id: { $in: contactIds.map((id) => new Types.ObjectId(id)) } }, { source: 1, utm: 1, region: 1 })
      .lean<ClientFields[]>();
    return [toBlock(deals, new Map(clients.map((client) => [String(client._id), client])))];
  },
};

/** Which of a period's deals a report counts: whose (owners, hex ids) and from where (source). */
export interface CohortScope {
  owners?: ReadonlySet<string>;
  /** A source: the deal's own, or its contact's when the contact is among `contacts` (hex ids). */
  source?: { name: string; contacts: ReadonlySet<string> };
}

/** What a report reads of the kept days of deals: a period in a time zone, of a funnel, under a scope, as of now. */
export interface KeptDealsQuery {
  period: Period;
  timeZone: string;
  funnel: ReportPipeline;
  scope: CohortScope;
  now: Date;
}

/** Whether a deal (its owner, client and source) is among those a report counts. */
export function inScope(
  scope: CohortScope,
  ownerId: string | null,
  contactId: string | null,
  source: string | null,
): boolean {
  if (scope.owners && !(ownerId && scope.owners.has(ownerId))) return false;
  if (!scope.source) return true;
  return source === scope.source.name || Boolean(contactId && scope.source.contacts.has(contactId));
}

/**
 * The deals created in a period that went through the funnel's pipeline, each with the index of
 * the furthest funnel step it visited (-1 when none), under the report's scope.
 */
export async function cohortDeals(
  db: Connection,
  { period, timeZone, funnel, scope, now }: KeptDealsQuery,
): Promise<(CohortDeal & { deepest: number })[]> {
  const pipelineId = String(funnel.pipeline._id);
  const stepOf = new Map(funnel.steps.map((step, index) => [step.id, index]));
  const deals: (CohortDeal & { deepest: number })[] = [];
  for (const block of await rowsOver(db, dealCohort, period, timeZone, now)) {
    block.visits.forEach((visits, index) => {
      const stageIds = stagesIn(visits, pipelineId);
      if (!stageIds) return;
      const ownerId = idAt(block.owners, index);
      const contactId = idAt(block.contacts, index);
      const source = block.sources[index] ?? null;
      if (!inScope(scope, ownerId, contactId, source)) return;
      deals.push({
        ownerId,
        contactId,
        source,
        status: block.statuses[index]!,
        lostReason: block.lostReasons[index] ?? null,
        amount: block.amounts[index] ?? 0,
        stageIds,
        client: {
          source: block.client.sources[index] ?? null,
          utmSource: block.client.utmSources[index] ?? null,
          utmCampaign: block.client.utmCampaigns[index] ?? null,
          region: block.client.regions[index] ?? null,
        },
        deepest: Math.max(...stageIds.map((stageId) => stepOf.get(stageId) ?? -1)),
      });
    });
  }
  return deals;
}
