import { z } from 'zod';
import { badRequest, forbidden, notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { authModels } from './auth-models.js';
import { can, PERMISSIONS } from './permissions.js';
import { hashSecret, newSecret } from './secrets.js';

const { say, sayWith } = errorTexts;

const TAG = 'Auth';
// Recognisable in logs and by secret scanners ("funnel inbox token").
const TOKEN_PREFIX = 'fit_';

const newTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

const tokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  hint: z.string(),
  scopes: z.array(z.enum(PERMISSIONS)),
  expiresAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  createdAt: z.string(),
});

type TokenView = z.infer<typeof tokenViewSchema>;

interface StoredToken {
  _id: { toHexString(): string };
  name: string;
  hint: string;
  scopes: readonly (typeof PERMISSIONS)[number][];
  expiresAt?: Date | null;
  lastUsedAt?: Date | null;
  revokedAt?: Date | null;
  createdAt: Date;
}

function toTokenView(token: StoredToken): TokenView {
  return {
    id: token._id.toHexString(),
    name: token.name,
    hint: token.hint,
    scopes: [...token.scopes],
    ...(token.expiresAt ? { expiresAt: token.expiresAt.toISOString() } : {}),
    ...(token.lastUsedAt ? { lastUsedAt: token.lastUsedAt.toISOString() } : {}),
    ...(token.revokedAt ? { revokedAt: token.revokedAt.toISOString() } : {}),
    createdAt: token.createdAt.toISOString(),
  };
}

/** Personal API tokens for integrations: each user manages their own. */
export const tokenRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/auth/tokens',
    summary:
      'Create a personal API token limited to some of your permissions; the token is shown only in this response',
    tag: TAG,
    access: 'authenticated',
    body: newTokenSchema,
    response: tokenViewSchema.extend({ token: z.string() }),
    status: 201,
    async handler({ body, user, services }) {
      // A token minting tokens would outlive its own revocation; creating one takes a signed-in person.
      if (user.tokenScopes) throw forbidden(say('tokenByToken'));
      const beyondRole = body.scopes.filter((scope) => !can(user.role, scope));
      if (beyondRole.length > 0) throw forbidden(sayWith('roleLacks', { permissions: beyondRole.join(', ') }));
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
      if (expiresAt && expiresAt.getTime() <= Date.now()) throw badRequest(say('expiryPast'));
      const token = newSecret(TOKEN_PREFIX);
      const created = await authModels(services.db).ApiToken.create({
        userId: user.id,
        name: body.name,
        tokenHash: hashSecret(token),
        hint: token.slice(0, TOKEN_PREFIX.length + 4),
        scopes: [...new Set(body.scopes)],
        expiresAt,
      });
      const view = toTokenView(created.toObject());
      await recordAudit(services, {
        actor: user,
        action: 'api-token.create',
        entity: 'api-token',
        entityId: view.id,
        after: view,
      });
      return { ...view, token };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/tokens',
    summary: 'Your API tokens (never the tokens themselves), newest first',
    tag: TAG,
    access: 'authenticated',
    response: z.object({ items: z.array(tokenViewSchema) }),
    async handler({ user, services }) {
      const tokens = await authModels(services.db)
        .ApiToken.find({ userId: user.id })
        .sort({ _id: -1 })
        .limit(200)
        .lean();
      return { items: tokens.map(toTokenView) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/auth/tokens/:id',
    summary: 'Revoke one of your API tokens; it stops working at once',
    tag: TAG,
    access: 'authenticated',
    params: z.strictObject({ id: objectIdSchema }),
    async handler({ params, user, services }) {
      const { ApiToken } = authModels(services.db);
      const before = await ApiToken.findOne({ _id: params.id, userId: user.id }).lean();
      if (!before) throw notFound('API token');
      if (before.revokedAt) return undefined;
      const after = await ApiToken.findOneAndUpdate(
        { _id: params.id },
        { $set: { revokedAt: new Date() } },
        { returnDocument: 'after' },
      ).lean();
      await recordAudit(services, {
        actor: user,
        action: 'api-token.revoke',
        entity: 'api-token',
        entityId: params.id,
        before: toTokenView(before),
        after: after ? toTokenView(after) : undefined,
      });
      return undefined;
    },
  }),
];
