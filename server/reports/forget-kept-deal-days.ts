import type { Connection, Types } from 'mongoose';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { forgetMoveDays } from './automation-moves.js';
import { forgetDealCohortDay } from './deal-cohort.js';
import { forgetWonDay } from './sales-cycles.js';
import { forgetStayDays } from './stage-stays.js';

type KeptDealFields = Pick<
  DealRecord,
  'createdAt' | 'ownerId' | 'contactId' | 'source' | 'stageHistory' | 'status' | 'closedAt' | 'pipelineId'
>;

/**
 * The reports keep days of deals as they were counted: a changed deal's creation day is counted
 * again; when what reports filter it by changed (owner, client, source), so are the days its
 * stays ended; and a win kept on its day is counted again when the deal reopened, was lost since
 * or is filed differently.
 */
export async function forgetKeptDealDays(db: Connection, before: KeptDealFields, after: KeptDealFields): Promise<void> {
  await forgetDealCohortDay(db, after.createdAt);
  const same = (left: unknown, right: unknown) => String(left ?? '') === String(right ?? '');
  const refiled =
    !same(before.ownerId, after.ownerId) || !same(before.contactId, after.contactId) || before.source !== after.source;
  if (refiled) await forgetStayDays(db, after);
  if (!same(before.contactId, after.contactId)) await forgetMoveDays(db, after);
  if (before.status !== 'won' || !before.closedAt) return;
  const unwon = after.status !== 'won' || !same(before.closedAt, after.closedAt);
  if (unwon || refiled || !same(before.pipelineId, after.pipelineId)) await forgetWonDay(db, before.closedAt);
}

/** A client's deals changed hands (a merge): their kept days are counted again. */
export async function forgetKeptDaysOfClient(db: Connection, contactId: Types.ObjectId): Promise<void> {
  const Deal = await dealModel(db);
  const deals = await Deal.find({ contactId }, { createdAt: 1, stageHistory: 1, closedAt: 1 }).lean<KeptDealFields[]>();
  for (const deal of deals) {
    // Records written by other means (an import of old data) may lack the fields a deal has.
    if (deal.createdAt) await forgetDealCohortDay(db, deal.createdAt);
    await forgetStayDays(db, deal);
    await forgetMoveDays(db, deal);
    if (deal.closedAt) await forgetWonDay(db, deal.closedAt);
  }
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

/**
 * Before an update of contacts that may change their source, UTM or region (any write path: the
 * API, a flow, an import, a merge), the kept days of their deals are forgotten; forgotten again a
 * few seconds later (see forgetKeptDaysAt) for a report that counted one of them meanwhile.
 */
export async function forgetDaysOfClients(db: Connection, contactIds: readonly Types.ObjectId[]): Promise<void> {
  if (contactIds.length === 0) return;
  const Deal = await dealModel(db);
  const deals = await Deal.find({ contactId: { $in: [...contactIds] } }, { createdAt: 1 }).lean<
    Pick<DealRecord, 'createdAt'>[]
  >();
  const days = new Set(deals.flatMap((deal) => (deal.createdAt ? [deal.createdAt.getTime()] : [])));
  for (const at of days) await forgetDealCohortDay(db, new Date(at));
}
