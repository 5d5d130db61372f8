import { z } from 'zod';
import { countSmsSegments } from '../../bot/sms/count-sms-segments.js';
import { ApiError } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { findVisibleConversation } from '../messaging/find-visible-conversation.js';
import { objectIdSchema } from '../users/user-schemas.js';

const segmentsViewSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number(),
  units: z.number(),
  perSegment: z.number(),
  remaining: z.number(),
  unicodeCharacters: z.array(z.string()),
});

export const smsRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/conversations/:id/sms-segments',
    summary:
      'How many SMS a reply text takes on an SMS conversation and in which encoding (GSM-7: 160, or 153 per part; UCS-2 for Cyrillic and emoji: 70, or 67 per part), for the reply box before sending',
    tag: 'conversations',
    access: 'conversations.reply',
    params: z.strictObject({ id: objectIdSchema }),
    body: z.strictObject({ text: z.string().max(20_000) }),
    response: segmentsViewSchema,
    async handler({ params, body, user, services }) {
      const conversation = await findVisibleConversation(services, user, params.id);
      if (conversation.channel !== 'sms') {
        throw new ApiError(422, 'not_sms', errorTexts.sayWith('notSms', { channel: conversation.channel }));
      }
      return countSmsSegments(body.text);
    },
  }),
];
