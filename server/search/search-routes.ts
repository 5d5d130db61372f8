import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { messageSearchSchema, searchMessages } from './search-messages.js';

export const searchRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/search/messages',
    summary:
      'Full-text search over the messages of the conversations you may see; filters: channel, status, assignee, teamId, label, priority, from, to, stageId (+ pipelineId)',
    tag: 'search',
    access: 'conversations.read',
    query: messageSearchSchema,
    async handler({ query, user, services }) {
      return searchMessages(services, user, query);
    },
  }),
];
