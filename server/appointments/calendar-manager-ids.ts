import { isValidObjectId, type Connection } from 'mongoose';
import type { Snapshot } from '../../flows/index.js';
import type { Assignee } from '../../flows/schema/assignee-schema.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel, type FlowWorkspaceRecord } from '../flows/flow-workspace-model.js';
import { userModels } from '../users/user-models.js';

/**
 * The users whose calendars a book step searches: everyone active with the role, every member of
 * the team (stored teams are matched by the template team's name or key, as in resolveAssignee),
 * the owner, or one user. Undefined (every manager) when the choice names nobody, so a client is
 * never told there is no time only because a team is still empty.
 */
export async function calendarManagerIds(
  db: Connection,
  calendar: Assignee,
  context: Snapshot,
): Promise<string[] | undefined> {
  const { User, Team } = userModels(db);
  const ids = async (filter: Record<string, unknown>) =>
    (
      await User.find({ active: true, ...filter })
        .sort({ createdAt: 1, _id: 1 })
        .select({ _id: 1 })
        .lean()
    ).map((user) => String(user._id));
  let found: string[] = [];
  switch (calendar.type) {
    case 'role':
      found = await ids({ role: calendar.role });
      break;
    case 'team': {
      const stored = await (await flowWorkspaceModel(db)).findById(FLOW_WORKSPACE_ID).lean<FlowWorkspaceRecord>();
      const name = stored?.workspace.teams.find((team) => team.key === calendar.team)?.name.ru;
      const keys = [name, calendar.team].filter((key) => key !== undefined).map((key) => key.toLowerCase());
      const team = await Team.findOne({ nameKey: { $in: keys } }).lean();
      found = team ? await ids({ teamIds: team._id }) : [];
      break;
    }
    case 'user':
      found = calendar.user.includes('@')
        ? await ids({ email: calendar.user.toLowerCase() })
        : isValidObjectId(calendar.user)
          ? await ids({ _id: calendar.user })
          : [];
      break;
    case 'owner':
    case 'field': {
      const owner = context.deal?.ownerId ?? context.contact?.ownerId;
      found = owner && isValidObjectId(owner) ? await ids({ _id: owner }) : [];
      break;
    }
  }
  return found.length > 0 ? found : undefined;
}
