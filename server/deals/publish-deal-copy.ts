import type { ApiServices } from '../api/api-services.js';
import type { DealView } from './deal-schema.js';
import type { DealRecord } from './deal-model.js';
import { publishDealChange, type DealChange } from './publish-deal-change.js';
import { toDealView } from './to-deal-view.js';

/**
 * A new copy of a deal (by a person or a flow): audited as a creation in its pipeline, and both
 * deals reach the boards (the copy appears, the source lists it among its copies).
 */
export async function publishDealCopy(
  services: Pick<ApiServices, 'db' | 'events'>,
  by: DealChange['by'],
  copy: DealRecord,
  source: DealRecord,
  meta: Record<string, unknown> = {},
): Promise<{ copy: DealView; source: DealView }> {
  const copyView = await publishDealChange(services, {
    by,
    action: 'deal.copy',
    after: copy,
    meta: { sourceId: String(source._id), ...meta },
  });
  const sourceView = toDealView(source);
  services.events.emit({ type: 'deal.updated', deal: sourceView });
  return { copy: copyView, source: sourceView };
}
