import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { SECURITY_ALERT_KINDS } from './security-alert-models.js';

const person = z.object({ id: z.string(), name: z.string() });

export const securityAlertViewSchema = z.object({
  id: z.string(),
  kind: z.enum(SECURITY_ALERT_KINDS),
  user: person,
  count: z.number().int(),
  limit: z.number().int(),
  windowSeconds: z.number().int(),
  locked: z.boolean(),
  acknowledged: z.boolean(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: person.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const securityAlertListQuerySchema = listQuerySchema.omit({ q: true }).extend({
  acknowledged: z.enum(['true', 'false']).optional(),
  userId: objectIdSchema.optional(),
});

export type SecurityAlertView = z.infer<typeof securityAlertViewSchema>;
