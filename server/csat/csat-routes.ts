import { Types } from 'mongoose';
import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { channelAccountModel } from '../channels/channel-account-model.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { csatChannelSettingModel } from './csat-channel-setting-model.js';
import { csatByDefault, csatEnabledFor } from './csat-enabled-for.js';
import { csatModel } from './csat-model.js';
import { CSAT_SCORES } from './csat-payload.js';

const summarySchema = z.object({
  count: z.number(),
  /** Mean score, 1–5, rounded to two decimals; null with no ratings. */
  average: z.number().nullable(),
  /** Share of 4 and 5 ratings, 0–1 (the usual CSAT percentage); null with no ratings. */
  satisfied: z.number().nullable(),
  byScore: z.record(z.string(), z.number()),
});

const channelSettingSchema = z.object({
  channelAccountId: z.string(),
  enabled: z.boolean(),
  /** `setting`: an admin chose it for this account; `default`: CSAT_CHANNELS decides by channel type. */
  source: z.enum(['setting', 'default']),
});

/**
 * Client ratings of resolved conversations, for managers reviewing the team's work, and whether
 * each channel account asks for them (admins, in Settings → Channels).
 */
export const csatRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/csat/summary',
    summary: 'Client satisfaction (CSAT): count, average, share of 4–5 ratings and counts per score',
    tag: 'csat',
    access: 'conversations.reassign',
    query: z.strictObject({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      channel: z.string().trim().min(1).max(50).optional(),
      teamId: objectIdSchema.optional(),
      assigneeId: objectIdSchema.optional(),
    }),
    response: summarySchema,
    async handler({ query, services }) {
      const ratedAt = {
        ...(query.from ? { $gte: new Date(query.from) } : {}),
        ...(query.to ? { $lte: new Date(query.to) } : {}),
      };
      const rows = await csatModel(services.db)
        .find(
          {
            ...(query.from || query.to ? { ratedAt } : {}),
            ...(query.channel ? { channel: query.channel } : {}),
            ...(query.teamId ? { teamIds: new Types.ObjectId(query.teamId) } : {}),
            ...(query.assigneeId ? { assigneeId: new Types.ObjectId(query.assigneeId) } : {}),
          },
          { score: 1 },
        )
        .lean<{ score: number }[]>();
      const byScore = Object.fromEntries(
        CSAT_SCORES.map((score) => [String(score), rows.filter((row) => row.score === score).length]),
      );
      if (rows.length === 0) return { count: 0, average: null, satisfied: null, byScore };
      const sum = rows.reduce((total, row) => total + row.score, 0);
      return {
        count: rows.length,
        average: Math.round((sum / rows.length) * 100) / 100,
        satisfied: rows.filter((row) => row.score >= 4).length / rows.length,
        byScore,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/csat/channels',
    summary: 'Whether each channel account asks clients for a rating when a conversation is resolved',
    tag: 'csat',
    access: 'channels.manage',
    response: z.object({ items: z.array(channelSettingSchema) }),
    async handler({ services }) {
      const [accounts, settings] = await Promise.all([
        channelAccountModel(services.db)
          .find({ status: 'active' }, { type: 1 })
          .sort({ _id: 1 })
          .lean<{ _id: Types.ObjectId; type: string }[]>(),
        csatChannelSettingModel(services.db).find({}).lean(),
      ]);
      const chosen = new Map(settings.map((setting) => [setting.channelAccountId.toHexString(), setting.enabled]));
      return {
        items: accounts.map((account) => {
          const id = account._id.toHexString();
          const enabled = chosen.get(id);
          return enabled === undefined
            ? {
                channelAccountId: id,
                enabled: csatByDefault(services.config, account.type),
                source: 'default' as const,
              }
            : { channelAccountId: id, enabled, source: 'setting' as const };
        }),
      };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/csat/channels/:id',
    summary: 'Turn client ratings on or off for one channel account (overrides CSAT_CHANNELS for it)',
    tag: 'csat',
    access: 'channels.manage',
    params: z.strictObject({ id: objectIdSchema }),
    body: z.strictObject({ enabled: z.boolean() }),
    response: channelSettingSchema,
    async handler({ params, body, user, services }) {
      const account = await channelAccountModel(services.db)
        .findOne({ _id: new Types.ObjectId(params.id), status: 'active' }, { type: 1 })
        .lean<{ _id: Types.ObjectId; type: string }>();
      if (!account) throw notFound('Channel');
      const before = await csatEnabledFor(services, { channelAccountId: params.id, channel: account.type });
      await csatChannelSettingModel(services.db).updateOne(
        { channelAccountId: account._id },
        { $set: { enabled: body.enabled, updatedAt: new Date() } },
        { upsert: true },
      );
      await recordAudit(services, {
        actor: user,
        action: 'csat.channel',
        entity: 'channel',
        entityId: params.id,
        before: { csat: before },
        after: { csat: body.enabled },
      });
      return { channelAccountId: params.id, enabled: body.enabled, source: 'setting' as const };
    },
  }),
];
