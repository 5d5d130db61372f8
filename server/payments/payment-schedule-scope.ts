import type { Connection, QueryFilter } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { seesEverything } from '../auth/permissions.js';
import { dealModel } from '../deals/deal-model.js';
import type { PaymentScheduleRecord } from './payment-schedule-model.js';

/** Schedules follow their deal: a user who may not see the deal does not see its money either. */
export async function paymentScheduleScope(
  db: Connection,
  user: AuthUser,
): Promise<QueryFilter<PaymentScheduleRecord>> {
  if (seesEverything(user.role)) return {};
  const Deal = await dealModel(db);
  const own = await Deal.distinct('_id', { ownerId: user.id });
  return { dealId: { $in: own } };
}
