import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { announcePresence } from './announce-presence.js';
import { OperatorPresence } from './operator-presence.js';

const TAG = 'presence';
const presenceViewSchema = z.object({ status: z.enum(['online', 'away', 'offline']) });

/** An operator's own availability for auto-assignment: online while the inbox is open, unless away or offline by choice. */
export const presenceRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/me/presence',
    summary: 'Your presence: online (an open inbox), away (set by you) or offline',
    tag: TAG,
    access: 'conversations.reply',
    response: presenceViewSchema,
    async handler({ user, services }) {
      const statuses = await new OperatorPresence(services.redis).statusOf([user.id]);
      return { status: statuses.get(user.id) ?? 'offline' };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/me/presence',
    summary:
      'Set yourself away or offline (no new conversations are auto-assigned to you) or back online; colleagues hear presence.changed',
    tag: TAG,
    access: 'conversations.reply',
    body: z.strictObject({ status: z.enum(['online', 'away', 'offline']) }),
    response: presenceViewSchema,
    async handler({ body, user, services }) {
      await new OperatorPresence(services.redis).choose(user.id, body.status);
      return { status: await announcePresence(services, user) };
    },
  }),
];
