import type { ApiServices } from '../api/api-services.js';
import { recordAudit, type AuditEntry } from '../audit/record-audit.js';
import type { DealRecord } from './deal-model.js';
import { toDealView } from './to-deal-view.js';

/** Writes a deal change to the audit log, as the API shows the deal, after the change landed; `user` null for an automation. */
export async function recordDealChange(
  services: Pick<ApiServices, 'db'>,
  user: AuditEntry['actor'],
  action: string,
  before: DealRecord | undefined,
  after: DealRecord,
  meta?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(services, {
    actor: user,
    action,
    entity: 'deal',
    entityId: String(after._id),
    before: before && toDealView(before),
    after: toDealView(after),
    ...(meta ? { meta } : {}),
  });
}
