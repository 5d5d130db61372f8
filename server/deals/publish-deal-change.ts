import type { ApiServices } from '../api/api-services.js';
import type { AuditEntry } from '../audit/record-audit.js';
import type { DealView } from './deal-schema.js';
import type { DealRecord } from './deal-model.js';
import { recordDealChange } from './record-deal-change.js';
import { toDealView } from './to-deal-view.js';

export interface DealChange {
  /** The person (an AuthUser fits), or null for an automation (a flow names itself in `meta`). */
  by: AuditEntry['actor'];
  /** The audit action, e.g. `deal.move`. */
  action: string;
  before?: DealRecord;
  after: DealRecord;
  /** A stage move (won and lost too): it also joins the contact's timeline and starts stage flows. */
  moved?: boolean;
  meta?: Record<string, unknown>;
}

/**
 * What follows every deal change that landed, whoever made it (a person through the API or a
 * flow): the audit entry, then the domain event the boards, the timeline and the flows listen to.
 */
export async function publishDealChange(
  services: Pick<ApiServices, 'db' | 'events'>,
  change: DealChange,
): Promise<DealView> {
  const { by, action, before, after, moved, meta } = change;
  await recordDealChange(services, by, action, before, after, meta);
  const deal = toDealView(after);
  if (moved) {
    services.events.emit({ type: 'deal.stageChanged', deal });
    return deal;
  }
  const formerOwnerId = before && String(before.ownerId) !== deal.ownerId ? String(before.ownerId) : undefined;
  services.events.emit({ type: 'deal.updated', deal, ...(formerOwnerId ? { formerOwnerId } : {}) });
  return deal;
}
