import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { sessions } from '../auth/sessions.js';
import { isLastActiveAdmin } from '../users/is-last-active-admin.js';
import { toPublicUser } from '../users/to-public-user.js';
import { userModels } from '../users/user-models.js';
import { securityAlertModels } from './security-alert-models.js';
import { toSecurityAlertView } from './to-security-alert-view.js';

/** Deactivates the account (which ends its sessions); false when it is already off or is the last admin. */
async function lockAccount(services: ApiServices, userId: string, alertId: Types.ObjectId): Promise<boolean> {
  const { User } = userModels(services.db);
  const before = await User.findById(userId).lean();
  // Locking the only admin out would leave nobody to review the alert or unlock anyone.
  if (!before?.active || (await isLastActiveAdmin(services.db, before))) return false;
  const after = await User.findOneAndUpdate(
    { _id: before._id, active: true },
    { $set: { active: false } },
    { returnDocument: 'after' },
  ).lean();
  if (!after) return false;
  await sessions.endAllFor(services, userId);
  await recordAudit(services, {
    actor: null,
    action: 'user.update',
    entity: 'user',
    entityId: userId,
    before: toPublicUser(before),
    after: toPublicUser(after),
    meta: { reason: 'read-burst', alertId: alertId.toHexString() },
  });
  return true;
}

/**
 * Records a read burst: one alert per user per hour (a Redis key claimed with NX, so concurrent
 * requests that all cross the limit raise one), its count raised by the reads that follow, an
 * audit entry, and with READ_BURST_LOCK the account deactivated. If recording fails the claim is
 * released, so the next read over the limit tries again.
 */
export async function raiseReadBurst(
  services: ApiServices,
  user: AuthUser,
  { count, windowSeconds }: { count: number; windowSeconds: number },
): Promise<void> {
  const redis = await services.redis.commands();
  const claimKey = `security:read-burst-alert:${user.id}`;
  const alertId = new Types.ObjectId();
  const { SecurityAlert } = securityAlertModels(services.db);
  const claimed = await redis.set(claimKey, alertId.toHexString(), 'EX', windowSeconds, 'NX');
  if (!claimed) {
    const openAlertId = await redis.get(claimKey);
    if (openAlertId) await SecurityAlert.updateOne({ _id: openAlertId }, { $max: { count } });
    return;
  }
  try {
    await SecurityAlert.create({
      _id: alertId,
      kind: 'read-burst',
      userId: user.id,
      userName: user.name,
      count,
      limit: services.config.READ_BURST_LIMIT,
      windowSeconds,
      locked: false,
    });
    const locked = services.config.READ_BURST_LOCK && (await lockAccount(services, user.id, alertId));
    const alert = await SecurityAlert.findOneAndUpdate(
      { _id: alertId },
      { $set: { locked } },
      { returnDocument: 'after' },
    ).lean();
    await recordAudit(services, {
      actor: null,
      action: 'security-alert.create',
      entity: 'security-alert',
      entityId: alertId.toHexString(),
      after: alert ? toSecurityAlertView(alert) : undefined,
      meta: { userId: user.id, kind: 'read-burst', count, locked },
    });
    services.logger.warn({ userId: user.id, count, locked }, 'read burst: contact cards read far above the limit');
  } catch (error) {
    await redis.del(claimKey);
    throw error;
  }
}
