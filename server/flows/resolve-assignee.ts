import { isValidObjectId, type Connection } from 'mongoose';
import type { Snapshot } from '../../flows/index.js';
import type { Assignee } from '../../flows/schema/assignee-schema.js';
import { userModels } from '../users/user-models.js';

/**
 * The user an assignee stands for. Teams are keyed by the template's key, which the stored teams
 * do not carry yet, so a team (and a role) takes its first active member by creation; an empty
 * answer falls back to the record's owner, then to the first active manager or admin.
 */
export async function resolveAssignee(
  db: Connection,
  assignee: Assignee | undefined,
  context: Snapshot,
): Promise<string | undefined> {
  const { User } = userModels(db);
  const owner = context.deal?.ownerId ?? context.contact?.ownerId;
  const byId = async (id: unknown) =>
    typeof id === 'string' && isValidObjectId(id) && (await User.exists({ _id: id, active: true })) ? id : undefined;
  const first = async (filter: Record<string, unknown>) => {
    const user = await User.findOne({ active: true, ...filter })
      .sort({ createdAt: 1 })
      .select({ _id: 1 })
      .lean();
    return user ? String(user._id) : undefined;
  };
  let picked: string | undefined;
  switch (assignee?.type) {
    case undefined:
    case 'owner':
      picked = await byId(owner);
      break;
    case 'user':
      picked = assignee.user.includes('@')
        ? await first({ email: assignee.user.toLowerCase() })
        : await byId(assignee.user);
      break;
    case 'role':
      picked = await first({ role: assignee.role });
      break;
    case 'team':
      picked = undefined;
      break;
    case 'field':
      picked = await byId(readPath(context, assignee.path));
      break;
  }
  return picked ?? (await byId(owner)) ?? (await first({ role: 'manager' })) ?? (await first({ role: 'admin' }));
}

function readPath(context: Snapshot, path: string): unknown {
  let value: unknown = context;
  for (const segment of path.split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[segment];
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
