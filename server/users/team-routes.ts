import type { Types } from 'mongoose';
import { z } from 'zod';
import { conflict, notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { escapeRegex } from '../db/escape-regex.js';
import { userModels, type TeamRecord } from './user-models.js';
import { objectIdSchema } from './user-schemas.js';
import { initModel } from '../db/init-model.js';

const TAG = 'Teams';

const newTeamSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).optional(),
});

const teamViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberCount: z.number().int(),
  createdAt: z.string(),
});

type TeamView = z.infer<typeof teamViewSchema>;

function toTeamView(team: TeamRecord & { _id: Types.ObjectId }, memberCount: number): TeamView {
  return {
    id: team._id.toHexString(),
    name: team.name,
    description: team.description,
    memberCount,
    createdAt: team.createdAt.toISOString(),
  };
}

const nameTaken = () => conflict(errorTexts.say('teamNameTaken'));

/** Teams group users; membership is kept on the user (`teamIds`), so it is edited through /users. */
export const teamRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/teams',
    summary: 'List teams, newest first, with how many users each has',
    tag: TAG,
    access: 'users.read',
    query: listQuerySchema,
    response: z.object({ items: z.array(teamViewSchema), nextCursor: z.string().optional() }),
    async handler({ query, services }) {
      const { Team, User } = userModels(services.db);
      const after = decodeCursor(query.cursor);
      const nameKey = query.q ? { nameKey: { $regex: escapeRegex(query.q.toLowerCase()) } } : {};
      const rows = await Team.find({ ...(after ? { _id: { $lt: after } } : {}), ...nameKey })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean();
      const counts = await Promise.all(rows.map((team) => User.countDocuments({ teamIds: team._id })));
      return pageOf(
        rows.map((team, i) => toTeamView(team, counts[i] ?? 0)),
        query.limit,
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/teams',
    summary: 'Create a team',
    tag: TAG,
    access: 'teams.manage',
    body: newTeamSchema,
    response: teamViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      const { Team } = userModels(services.db);
      await initModel(Team);
      const nameKey = body.name.toLowerCase();
      if (await Team.exists({ nameKey })) throw nameTaken();
      const created = await Team.create({ name: body.name, nameKey, description: body.description ?? '' });
      const view = toTeamView(created.toObject(), 0);
      await recordAudit(services, {
        actor: user,
        action: 'team.create',
        entity: 'team',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/teams/:id',
    summary: 'Rename a team or change its description',
    tag: TAG,
    access: 'teams.manage',
    params: z.strictObject({ id: objectIdSchema }),
    body: newTeamSchema.partial(),
    response: teamViewSchema,
    async handler({ params, body, user, services }) {
      const { Team, User } = userModels(services.db);
      const existing = await Team.findById(params.id).lean();
      if (!existing) throw notFound('Team');
      const nameKey = body.name?.toLowerCase();
      if (nameKey && nameKey !== existing.nameKey && (await Team.exists({ nameKey }))) throw nameTaken();
      const updated = await Team.findByIdAndUpdate(
        params.id,
        { $set: { ...body, ...(nameKey ? { nameKey } : {}) } },
        { returnDocument: 'after' },
      ).lean();
      if (!updated) throw notFound('Team');
      const members = await User.countDocuments({ teamIds: updated._id });
      const after = toTeamView(updated, members);
      await recordAudit(services, {
        actor: user,
        action: 'team.update',
        entity: 'team',
        entityId: params.id,
        before: toTeamView(existing, members),
        after,
      });
      return after;
    },
  }),
];
