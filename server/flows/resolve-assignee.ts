import { isValidObjectId, type Connection } from 'mongoose';
import type { Snapshot } from '../../flows/index.js';
import type { Assignee } from '../../flows/schema/assignee-schema.js';
import { taskModel } from '../tasks/task-model.js';
import { userModels } from '../users/user-models.js';
import { flowAssignmentModel } from './flow-assignment-model.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel, type FlowWorkspaceRecord } from './flow-workspace-model.js';

interface Candidate {
  id: string;
  role: string;
}

/**
 * The user an assignee stands for, for the effect `effectId` (remembered, so a retry gets the
 * same person):
 * - owner: the deal's owner, else the contact's;
 * - user: by e-mail or id;
 * - role: the active user of the role with the fewest open tasks (the earliest created on a tie);
 * - team: the stored team named like the template's team (or whose name is its key); its active
 *   members in turn (round robin), or with `pick: lead` its first manager or admin (stored teams
 *   have no lead of their own), else its first member;
 * - field: the user whose id is in the field.
 * Nobody found falls back to the owner, then to the first active manager, then admin.
 */
export async function resolveAssignee(
  db: Connection,
  assignee: Assignee | undefined,
  context: Snapshot,
  effectId: string,
): Promise<string | undefined> {
  const Assignment = await flowAssignmentModel(db);
  const remembered = await Assignment.findById(effectId).lean();
  if (remembered?.userId) return remembered.userId;
  const picked = (await pick(db, assignee, context)) ?? (await fallback(db, context));
  if (!picked) return undefined;
  await Assignment.updateOne({ _id: effectId }, { $setOnInsert: { userId: picked } }, { upsert: true }).catch(
    (error: { code?: number }) => {
      if (error.code !== 11000) throw error;
    },
  );
  return (await Assignment.findById(effectId).lean())?.userId ?? picked;
}

/**
 * Everyone an assignee stands for when all of them should hear something (a notify step): every
 * active user of a role, every active member of a team (its lead alone with `pick: lead`);
 * owner, user and field stand for one person, as for a task. Nobody found falls back as above.
 */
export async function resolveRecipients(
  db: Connection,
  assignee: Assignee,
  context: Snapshot,
  effectId: string,
): Promise<string[]> {
  let everyone: string[] | undefined;
  if (assignee.type === 'role') everyone = (await activeUsers(db, { role: assignee.role })).map((user) => user.id);
  if (assignee.type === 'team' && assignee.pick === 'round-robin')
    everyone = (await teamMembers(db, assignee.team))?.members.map((member) => member.id);
  if (everyone && everyone.length > 0) return everyone;
  const one = await resolveAssignee(db, assignee, context, effectId);
  return one ? [one] : [];
}

/** The active users matching `filter`, the earliest created first (the order ties are broken in). */
export async function activeUsers(db: Connection, filter: Record<string, unknown>): Promise<Candidate[]> {
  const users = await userModels(db)
    .User.find({ active: true, ...filter })
    .sort({ createdAt: 1, _id: 1 })
    .select({ _id: 1, role: 1 })
    .lean();
  return users.map((user) => ({ id: String(user._id), role: user.role }));
}

async function byId(db: Connection, id: unknown): Promise<string | undefined> {
  if (typeof id !== 'string' || !isValidObjectId(id)) return undefined;
  return (await userModels(db).User.exists({ _id: id, active: true })) ? id : undefined;
}

async function pick(db: Connection, assignee: Assignee | undefined, context: Snapshot): Promise<string | undefined> {
  switch (assignee?.type) {
    case undefined:
    case 'owner':
      return byId(db, context.deal?.ownerId ?? context.contact?.ownerId);
    case 'user':
      return assignee.user.includes('@')
        ? (await activeUsers(db, { email: assignee.user.toLowerCase() }))[0]?.id
        : byId(db, assignee.user);
    case 'role':
      return leastBusy(db, await activeUsers(db, { role: assignee.role }));
    case 'team':
      return fromTeam(db, assignee.team, assignee.pick);
    case 'field':
      return byId(db, readPath(context, assignee.path));
  }
}

async function fallback(db: Connection, context: Snapshot): Promise<string | undefined> {
  return (
    (await byId(db, context.deal?.ownerId ?? context.contact?.ownerId)) ??
    (await activeUsers(db, { role: 'manager' }))[0]?.id ??
    (await activeUsers(db, { role: 'admin' }))[0]?.id
  );
}

async function leastBusy(db: Connection, candidates: Candidate[]): Promise<string | undefined> {
  const Task = await taskModel(db);
  let best: { id: string; open: number } | undefined;
  for (const candidate of candidates) {
    const open = await Task.countDocuments({ assigneeId: candidate.id, done: false });
    if (!best || open < best.open) best = { id: candidate.id, open };
  }
  return best?.id;
}

/** The stored team named like the template's team (or whose name is its key), with its active members. */
export async function teamMembers(db: Connection, key: string) {
  const workspace = await (await flowWorkspaceModel(db)).findById(FLOW_WORKSPACE_ID).lean<FlowWorkspaceRecord>();
  const name = workspace?.workspace.teams.find((team) => team.key === key)?.name.ru;
  const keys = [...new Set([name, key].filter((value) => value !== undefined).map((value) => value.toLowerCase()))];
  const team = await userModels(db)
    .Team.findOne({ nameKey: { $in: keys } })
    .lean();
  return team ? { team, members: await activeUsers(db, { teamIds: team._id }) } : undefined;
}

const teamLead = (members: Candidate[]) =>
  (members.find((member) => member.role === 'manager' || member.role === 'admin') ?? members[0])?.id;

async function fromTeam(db: Connection, key: string, mode: 'round-robin' | 'lead'): Promise<string | undefined> {
  const found = await teamMembers(db, key);
  if (!found || found.members.length === 0) return undefined;
  const { team, members } = found;
  if (mode === 'lead') return teamLead(members);
  const Assignment = await flowAssignmentModel(db);
  const counter = await Assignment.findOneAndUpdate(
    { _id: `rr|${String(team._id)}` },
    { $inc: { turn: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const turn = (counter?.turn ?? 1) - 1;
  return members[turn % members.length]?.id;
}

function readPath(context: Snapshot, path: string): unknown {
  let value: unknown = context;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Reflect.get(value, segment);
  }
  return value;
}
