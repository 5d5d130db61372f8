import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { OperatorPresence } from './operator-presence.js';

const TAG = 'presence';
const presenceViewSchema = z.object({ status: z.enum(['online', 'away', 'offline']) });

/** An operator's own availability for auto-assignment: online while the inbox is open, unless away. */
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
    summary: 'Set yourself away (no new conversations are auto-assigned to you) or back online',
    tag: TAG,
    access: 'conversations.reply',
    body: z.strictObject({ status: z.enum(['online', 'away']) }),
    response: presenceViewSchema,
    async handler({ body, user, services }) {
      const presence = new OperatorPresence(services.redis);
      await presence.setAway(user.id, body.status === 'away');
      const statuses = await presence.statusOf([user.id]);
      return { status: statuses.get(user.id) ?? 'offline' };
    },
  }),
];
