import type { Connection } from 'mongoose';
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { hashPassword } from '../auth/password.js';
import { sessions } from '../auth/sessions.js';
import { createUser } from './create-user.js';
import { deactivateUser } from './deactivate-user.js';
import { deactivateUserSchema, deactivationResultSchema } from './deactivation-schemas.js';
import { escapeRegex } from '../db/escape-regex.js';
import { toPublicUser } from './to-public-user.js';
import { userModels } from './user-models.js';
import { newUserSchema, objectIdSchema, publicUserSchema, roleSchema, userPatchSchema } from './user-schemas.js';

const { say } = errorTexts;

const TAG = 'Users';
const idParams = z.strictObject({ id: objectIdSchema });

const userListQuery = listQuerySchema.extend({
  role: roleSchema.optional(),
  teamId: objectIdSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
});

async function assertTeamsExist(db: Connection, teamIds: string[] | undefined): Promise<void> {
  if (!teamIds?.length) return;
  const unique = [...new Set(teamIds)];
  const found = await userModels(db).Team.countDocuments({ _id: { $in: unique } });
  if (found !== unique.length) throw badRequest(say('teamsMissing'), { teamIds: unique });
}

export const userRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/users',
    summary: 'List users, newest first; q searches names and e-mails',
    tag: TAG,
    access: 'users.read',
    query: userListQuery,
    response: z.object({ items: z.array(publicUserSchema), nextCursor: z.string().optional() }),
    async handler({ query, services }) {
      const after = decodeCursor(query.cursor);
      const pattern = query.q ? new RegExp(escapeRegex(query.q), 'i') : undefined;
      const rows = await userModels(services.db)
        .User.find({
          ...(after ? { _id: { $lt: after } } : {}),
          ...(query.role ? { role: query.role } : {}),
          ...(query.teamId ? { teamIds: query.teamId } : {}),
          ...(query.active ? { active: query.active === 'true' } : {}),
          ...(pattern ? { $or: [{ name: pattern }, { email: pattern }] } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean();
      return pageOf(rows.map(toPublicUser), query.limit);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/users/:id',
    summary: 'One user',
    tag: TAG,
    access: 'users.read',
    params: idParams,
    response: publicUserSchema,
    async handler({ params, services }) {
      const user = await userModels(services.db).User.findById(params.id).lean();
      if (!user) throw notFound('User');
      return toPublicUser(user);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users',
    summary: 'Create a user with a role and an initial password',
    tag: TAG,
    access: 'users.manage',
    body: newUserSchema,
    response: publicUserSchema,
    status: 201,
    async handler({ body, user, services }) {
      await assertTeamsExist(services.db, body.teamIds);
      const { User } = userModels(services.db);
      if (await User.exists({ email: body.email })) throw conflict(say('userEmailTaken'), { email: body.email });
      const created = await createUser(services.db, body);
      await recordAudit(services, {
        actor: user,
        action: 'user.create',
        entity: 'user',
        entityId: created.id,
        after: created,
      });
      return created;
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/users/:id',
    summary: 'Change a user: profile, role, teams, password; `active: false` signs them out everywhere',
    tag: TAG,
    access: 'users.manage',
    params: idParams,
    body: userPatchSchema,
    response: publicUserSchema,
    async handler({ params, body, user, services, req }) {
      const { User } = userModels(services.db);
      const existing = await User.findById(params.id).lean();
      if (!existing) throw notFound('User');
      await assertTeamsExist(services.db, body.teamIds);
      const losesAdmin =
        existing.role === 'admin' && existing.active && (body.active === false || (body.role && body.role !== 'admin'));
      if (losesAdmin && !(await User.exists({ _id: { $ne: existing._id }, role: 'admin', active: true }))) {
        throw conflict(say('lastAdmin'));
      }
      const { password, ...fields } = body;
      const update = { ...fields, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
      const updated = await User.findByIdAndUpdate(
        params.id,
        { $set: update },
        { returnDocument: 'after', runValidators: true },
      ).lean();
      if (!updated) throw notFound('User');
      // Deactivation must end access now; a password reset must lock out whoever knew the old one.
      if (body.active === false || password) {
        const keep = params.id === user.id && body.active !== false ? sessions.of(req)?.id : undefined;
        await sessions.endAllFor(services, params.id, keep);
      } else if (body.role !== undefined || body.teamIds !== undefined) {
        // Sockets joined the rooms of the old role and teams; reconnecting joins the new ones.
        services.events.emit({ type: 'user.accessChanged', userId: params.id });
      }
      const after = toPublicUser(updated);
      await recordAudit(services, {
        actor: user,
        action: 'user.update',
        entity: 'user',
        entityId: params.id,
        before: toPublicUser(existing),
        after,
        ...(password ? { meta: { passwordChanged: true } } : {}),
      });
      return after;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users/:id/deactivate',
    summary:
      'Deactivate a user and hand their open deals, open tasks and contacts to colleagues (round robin); safe to retry',
    tag: TAG,
    access: 'users.manage',
    params: idParams,
    body: deactivateUserSchema,
    response: deactivationResultSchema,
    handler: ({ params, body, user, services }) => deactivateUser(services, params.id, body.to, user),
  }),
];
