import type { SecurityAlertRecord } from './security-alert-models.js';
import type { SecurityAlertView } from './security-alert-schemas.js';

/** A stored alert as admins see it. */
export function toSecurityAlertView(alert: SecurityAlertRecord): SecurityAlertView {
  return {
    id: alert._id.toHexString(),
    kind: alert.kind,
    user: { id: alert.userId.toHexString(), name: alert.userName },
    count: alert.count,
    limit: alert.limit,
    windowSeconds: alert.windowSeconds,
    locked: alert.locked,
    acknowledged: alert.acknowledged,
    ...(alert.acknowledgedAt ? { acknowledgedAt: alert.acknowledgedAt.toISOString() } : {}),
    ...(alert.acknowledgedById
      ? { acknowledgedBy: { id: alert.acknowledgedById.toHexString(), name: alert.acknowledgedByName ?? '' } }
      : {}),
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}
