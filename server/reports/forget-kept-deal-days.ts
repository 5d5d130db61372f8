import type { Connection, Types } from 'mongoose';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { automationMoves } from './automation-moves.js';
import { forgetKeptDaysAt } from './daily/daily-counts.js';
import { dealCohort } from './deal-cohort.js';
import { wonDeals } from './sales-cycles.js';
import { stageStays } from './stage-stays.js';

type KeptDealFields = Pick<
  DealRecord,
  'createdAt' | 'ownerId' | 'contactId' | 'source' | 'stageHistory' | 'status' | 'closedAt' | 'pipelineId'
>;

/** The moments a deal's stays ended: the days the stage stays of those moments are kept. */
const stayEnds = (deals: readonly Pick<DealRecord, 'stageHistory'>[]) =>
  deals.flatMap((deal) => (deal.stageHistory ?? []).flatMap((visit) => (visit.leftAt ? [visit.leftAt] : [])));

/** The moments automation moved a deal on (never its first stage). */
const automationEntries = (deals: readonly Pick<DealRecord, 'stageHistory'>[]) =>
  deals.flatMap((deal) =>
    (deal.stageHistory ?? [])
      .slice(1)
      .flatMap((visit) => (visit.movedBy?.kind === 'automation' ? [visit.enteredAt] : [])),
  );

/**
 * The reports keep days of deals as they were counted: a changed deal's creation day is counted
 * again; when what reports filter it by changed (owner, client, source), so are the days its
 * stays ended (and, for another client, the days automation moved it); and a win kept on its day
 * is counted again when the deal reopened, was lost since or is filed differently.
 */
export async function forgetKeptDealDays(db: Connection, before: KeptDealFields, after: KeptDealFields): Promise<void> {
  await forgetKeptDaysAt(db, dealCohort.id, [after.createdAt]);
  const same = (left: unknown, right: unknown) => String(left ?? '') === String(right ?? '');
  const refiled =
    !same(before.ownerId, after.ownerId) || !same(before.contactId, after.contactId) || before.source !== after.source;
  if (refiled) await forgetKeptDaysAt(db, stageStays.id, stayEnds([after]));
  if (!same(before.contactId, after.contactId))
    await forgetKeptDaysAt(db, automationMoves.id, automationEntries([after]));
  if (before.status !== 'won' || !before.closedAt) return;
  const unwon = after.status !== 'won' || !same(before.closedAt, after.closedAt);
  if (unwon || refiled || !same(before.pipelineId, after.pipelineId))
    await forgetKeptDaysAt(db, wonDeals.id, [before.closedAt]);
}

/**
 * What the reports keep of these clients' deals changed: a merge gave them another client, or an
 * update (any write path: the API, a flow, an import, a merge) may change a client's source, UTM
 * or region. Every kept day of their deals is counted again when next read.
 */
export async function forgetKeptDaysOfClients(db: Connection, contactIds: readonly Types.ObjectId[]): Promise<void> {
  if (contactIds.length === 0) return;
  const Deal = await dealModel(db);
  const deals = await Deal.find(
    { contactId: { $in: [...contactIds] } },
    { createdAt: 1, stageHistory: 1, closedAt: 1 },
  ).lean<KeptDealFields[]>();
  // Records written by other means (an import of old data) may lack the fields a deal has.
  await forgetKeptDaysAt(
    db,
    dealCohort.id,
    deals.flatMap((deal) => (deal.createdAt ? [deal.createdAt] : [])),
  );
  await forgetKeptDaysAt(db, stageStays.id, stayEnds(deals));
  await forgetKeptDaysAt(db, automationMoves.id, automationEntries(deals));
  await forgetKeptDaysAt(
    db,
    wonDeals.id,
    deals.flatMap((deal) => (deal.closedAt ? [deal.closedAt] : [])),
  );
}

/** The contact fields the sources report keeps with each day's deals (paths and their parents). */
const KEPT_CLIENT_FIELDS = ['source', 'utm', 'region'];

/** Whether an update (fields, or operators over fields) may change a field the reports keep of a client. */
export function touchesKeptClientFields(update: unknown): boolean {
  if (!update || typeof update !== 'object') return false;
  // An update pipeline: whatever it computes may change anything.
  if (Array.isArray(update)) return true;
  const touches = (path: string) => KEPT_CLIENT_FIELDS.some((field) => path === field || path.startsWith(`${field}.`));
  return Object.entries(update).some(([key, value]) =>
    key.startsWith('$')
      ? Boolean(value && typeof value === 'object' && Object.keys(value).some(touches))
      : touches(key),
  );
}
