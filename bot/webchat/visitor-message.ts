import { z } from 'zod';
import { MEDIA_KINDS } from '../channels/channel-events.js';

/**
 * One message of a site chat conversation as the widget shows it, both ways. The widget imports
 * only the type (zod would cost it a fifth of its size budget) and checks payloads with its own
 * guards, which are typed against this type.
 */
export const visitorMessageSchema = z.object({
  id: z.string().min(1).max(300),
  /** `in`: from the visitor; `out`: from the company (bot or operator). */
  direction: z.enum(['in', 'out']),
  text: z.string().max(20_000).optional(),
  media: z
    .object({
      url: z.string().min(1).max(2000),
      kind: z.enum(MEDIA_KINDS),
      fileName: z.string().max(300),
      mimeType: z.string().max(200),
    })
    .optional(),
  buttons: z.array(z.object({ id: z.string().min(1).max(200), text: z.string().min(1).max(200) })).optional(),
  author: z.object({ name: z.string().max(300).optional(), kind: z.enum(['contact', 'user', 'bot']) }).optional(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']).optional(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type VisitorMessage = z.infer<typeof visitorMessageSchema>;
