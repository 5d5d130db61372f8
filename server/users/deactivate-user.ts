import type { ApiServices } from '../api/api-services.js';
import { conflict, notFound } from '../api/api-error.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { sessions } from '../auth/sessions.js';
import type { DeactivateUserBody, DeactivationResult, MovedCounts } from './deactivation-schemas.js';
import { isLastActiveAdmin } from './is-last-active-admin.js';
import { redistributeWork } from './redistribute-work.js';
import { resolveReceivers } from './resolve-receivers.js';
import { toPublicUser } from './to-public-user.js';
import { userModels } from './user-models.js';

/**
 * Takes a leaving employee's access away and hands their open work to colleagues (seed 002: a
 * leaving employee's clients are redistributed, nothing is lost). Access ends first, so no new
 * work lands on them meanwhile; the moves follow. Safe to retry: a second call finds nothing of
 * theirs left to move (and completes a first call that was cut short). Audited per moved record
 * by the domains' own entries, plus one `user.deactivate` summary with the counts.
 */
export async function deactivateUser(
  services: Pick<ApiServices, 'db' | 'events'>,
  userId: string,
  to: DeactivateUserBody['to'],
  actor: AuthUser,
): Promise<DeactivationResult> {
  const { User } = userModels(services.db);
  const before = await User.findById(userId).lean();
  if (!before) throw notFound('User');
  const receivers = await resolveReceivers(services.db, before._id, to);
  if (await isLastActiveAdmin(services.db, before)) {
    throw conflict(errorTexts.say('lastAdmin'));
  }
  const deactivated = await User.updateOne({ _id: before._id, active: true }, { $set: { active: false } });
  await sessions.endAllFor(services, before._id);
  const byReceiver = await redistributeWork(services, before._id, receivers, actor);
  const after = await User.findById(before._id).lean();
  if (!after) throw notFound('User');

  const byUser = [...byReceiver].map(([receiverId, counts]) => ({ userId: receiverId, ...counts }));
  const moved: MovedCounts = { deals: 0, tasks: 0, contacts: 0 };
  for (const counts of byUser) {
    moved.deals += counts.deals;
    moved.tasks += counts.tasks;
    moved.contacts += counts.contacts;
  }
  if (deactivated.modifiedCount > 0 || moved.deals + moved.tasks + moved.contacts > 0) {
    await recordAudit(services, {
      actor,
      action: 'user.deactivate',
      entity: 'user',
      entityId: userId,
      before: toPublicUser(before),
      after: toPublicUser(after),
      meta: { to, moved, byUser },
    });
  }
  return { user: toPublicUser(after), moved, byUser };
}
