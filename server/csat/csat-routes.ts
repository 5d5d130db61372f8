import { Types } from 'mongoose';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { objectIdSchema } from '../users/user-schemas.js';
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

/** Client ratings of resolved conversations, for managers reviewing the team's work. */
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
];
