import { Types } from 'mongoose';
import { badRequest, forbidden } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { can, type Role } from '../auth/permissions.js';
import { userModels } from '../users/user-models.js';
import type { ConversationChange } from './conversation-change-schema.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { conversationIsVisible, findVisibleConversation } from './find-visible-conversation.js';
import { toConversationView, type ConversationView } from './message-views.js';
import { scheduleSnoozeEnd } from './snooze-queue.js';
import { recordResolution } from '../reports/events/record-resolution.js';

const { say } = errorTexts;

type Services = Pick<ApiServices, 'db' | 'events' | 'queues'>;
type Actor = { id: string; name: string } | null;

/**
 * Operators take an unassigned conversation for themselves and hand back their own; giving one
 * to someone else, taking it from its assignee or moving it between teams is a manager's call.
 */
function assertMayAssign(user: AuthUser, current: ConversationRecord, change: ConversationChange): void {
  if (can(user.role, 'conversations.reassign')) return;
  if (change.teamId !== undefined && change.teamId !== (current.teamIds[0]?.toHexString() ?? null))
    throw forbidden(say('moveTeamPermission'));
  if (change.assigneeId === undefined) return;
  const currentId = current.assigneeId?.toHexString() ?? null;
  if (change.assigneeId === currentId) return;
  const takesUnassigned = currentId === null && change.assigneeId === user.id;
  const handsBackOwn = currentId === user.id && change.assigneeId === null;
  if (!takesUnassigned && !handsBackOwn) throw forbidden(say('reassignPermission'));
}

/** Who answers (the bot or a person) is the assignee's call: a colleague's conversation needs conversations.reassign. */
function assertMayChangeHandler(user: AuthUser, current: ConversationRecord, change: ConversationChange): void {
  if (change.handler === undefined || change.handler === current.handler) return;
  if (can(user.role, 'conversations.reassign')) return;
  const currentId = current.assigneeId?.toHexString();
  if (currentId !== undefined && currentId !== user.id) throw forbidden(say('botSwitchPermission'));
}

/** The assignee must be an active person who answers conversations and may see this one without being its assignee. */
async function assertMayBeAssignee(
  services: Services,
  assigneeId: string,
  conversation: ConversationRecord,
): Promise<void> {
  const found = await userModels(services.db)
    .User.findOne({ _id: assigneeId, active: true }, { name: 1, email: 1, role: 1, teamIds: 1 })
    .lean();
  const role = found?.role as Role | undefined;
  if (!found || !role || !can(role, 'conversations.reply')) throw badRequest(say('assigneeInactive'));
  const assignee: AuthUser = {
    id: assigneeId,
    name: found.name,
    email: found.email,
    role,
    teamIds: found.teamIds.map((id) => id.toHexString()),
  };
  const { assigneeId: _current, ...unassigned } = conversation;
  if (!(await conversationIsVisible(services, assignee, unassigned))) throw badRequest(say('assigneeCannotSee'));
}

async function assertTeamExists(services: Services, teamId: string): Promise<void> {
  if (!(await userModels(services.db).Team.exists({ _id: teamId }))) throw badRequest(say('noSuchTeam'));
}

/**
 * Applies an operator's change to a conversation (status, snooze, priority, labels, assignee,
 * team, bot or person), records it in the audit log and announces it: `conversation.updated` for
 * the inbox (including whoever just lost sight of it), `conversation.assigned`,
 * `conversation.status` and `conversation.handler` for the bot and flows.
 */
export async function changeConversation(
  services: Services,
  user: AuthUser,
  conversationId: string,
  change: ConversationChange,
): Promise<ConversationView> {
  const current = await findVisibleConversation(services, user, conversationId);
  assertMayAssign(user, current, change);
  assertMayChangeHandler(user, current, change);
  const teamIds =
    change.teamId === undefined ? current.teamIds : change.teamId === null ? [] : [new Types.ObjectId(change.teamId)];
  if (change.teamId) await assertTeamExists(services, change.teamId);
  if (change.assigneeId && change.assigneeId !== current.assigneeId?.toHexString())
    await assertMayBeAssignee(services, change.assigneeId, { ...current, teamIds });

  const now = new Date();
  const $set: Record<string, unknown> = { updatedAt: now };
  const $unset: Record<string, 1> = {};
  const resolves = change.status === 'resolved' && current.status !== 'resolved';
  if (change.status) {
    $set.status = change.status;
    if (change.status === 'resolved') $set.resolvedAt = now;
    else $unset.resolvedAt = 1;
    if (change.status !== 'snoozed') $unset.snoozedUntil = 1;
    // Resolved, nobody waits and the next message opens it again; reopened, it counts from now.
    if (resolves) Object.assign($unset, { waitingSince: 1, openedAt: 1 });
    if (current.status === 'resolved' && change.status !== 'resolved') $set.openedAt = now;
  }
  const snoozedUntil = change.snoozedUntil ? new Date(change.snoozedUntil) : undefined;
  if (snoozedUntil) {
    if (snoozedUntil.getTime() <= Date.now()) throw badRequest(say('snoozePast'));
    $set.snoozedUntil = snoozedUntil;
  }
  if (change.priority) $set.priority = change.priority;
  if (change.handler) {
    $set.handler = change.handler;
    // The bot works a chat as 'pending', which also keeps auto-assignment from handing it to a person.
    if (change.handler === 'bot' && current.handler !== 'bot' && !change.status) {
      $set.status = 'pending';
      $unset.resolvedAt = 1;
      $unset.snoozedUntil = 1;
    }
  }
  if (change.addLabels || change.removeLabels) {
    const removed = new Set(change.removeLabels ?? []);
    const kept = (current.labels ?? []).filter((label) => !removed.has(label));
    $set.labels = [...new Set([...kept, ...(change.addLabels ?? [])])];
  }
  if (change.assigneeId !== undefined) {
    if (change.assigneeId === null) $unset.assigneeId = 1;
    else $set.assigneeId = new Types.ObjectId(change.assigneeId);
  }
  if (change.teamId !== undefined) $set.teamIds = teamIds;

  const updated = await conversationModel(services.db)
    .findOneAndUpdate(
      { _id: current._id },
      { $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}) },
      { returnDocument: 'after' },
    )
    .lean<ConversationRecord>();
  // Deleted between the read and the write: as if it had never been found.
  if (!updated) return findVisibleConversation(services, user, conversationId).then(toConversationView);

  if (resolves) await recordResolution(services.db, current, { at: now, userId: updated.assigneeId ?? user.id });

  const before = toConversationView(current);
  const after = toConversationView(updated);
  const actor: Actor = { id: user.id, name: user.name };
  await recordAudit(services, {
    actor,
    action: 'conversation.update',
    entity: 'conversation',
    entityId: after.id,
    before,
    after,
  });
  if (snoozedUntil) await scheduleSnoozeEnd(services, after.id, snoozedUntil);
  announceChange(services, before, after, actor);
  return after;
}

/** The domain events of one change, from the conversation as it was and as it is. */
export function announceChange(
  services: Pick<ApiServices, 'events'>,
  before: ConversationView,
  after: ConversationView,
  by: Actor,
): void {
  const previous = { assigneeId: before.assigneeId, teamIds: before.teamIds };
  const moved = before.assigneeId !== after.assigneeId || before.teamIds.join() !== after.teamIds.join();
  services.events.emit({ type: 'conversation.updated', conversation: after, ...(moved ? { formerly: previous } : {}) });
  if (moved) services.events.emit({ type: 'conversation.assigned', conversation: after, previous, by });
  if (before.status !== after.status)
    services.events.emit({ type: 'conversation.status', conversation: after, previousStatus: before.status, by });
  if (before.handler !== after.handler)
    services.events.emit({ type: 'conversation.handler', conversation: after, previousHandler: before.handler, by });
}
