import * as z from 'zod/mini';
import type { BroadcastView } from './campaign-views';

const countsSchema = z.object({
  audience: z.number(),
  planned: z.number(),
  skipped: z.number(),
  queued: z.number(),
  sent: z.number(),
  delivered: z.number(),
  read: z.number(),
  failed: z.number(),
  replied: z.number(),
  optedOut: z.number(),
  clicked: z.number(),
  leads: z.number(),
  deals: z.number(),
  won: z.number(),
  revenue: z.number(),
});

/**
 * The part of `broadcast.progress`'s `BroadcastView` the page updates from; the rest of the view is
 * kept as it came (`z.looseObject`), so a field added on the server does not drop the event.
 */
const progressSchema = z.object({
  broadcast: z.looseObject({
    id: z.string(),
    status: z.enum(['draft', 'scheduled', 'running', 'paused', 'cancelled', 'completed']),
    counts: countsSchema,
    countsByChannel: z.record(z.string(), countsSchema),
    eta: z.optional(z.nullable(z.string())),
    ratePerSecond: z.optional(z.number()),
    costPerLead: z.optional(z.nullable(z.number())),
    roi: z.optional(z.nullable(z.number())),
  }),
});

/**
 * The broadcast of a `broadcast.progress` push, merged over the one on screen; undefined when the
 * payload is not one (socket payloads are parsed at the boundary like every other input).
 */
export function progressUpdate(payload: unknown, current: BroadcastView): BroadcastView | undefined {
  const parsed = progressSchema.safeParse(payload);
  if (!parsed.success || parsed.data.broadcast.id !== current.id) return undefined;
  const { status, counts, countsByChannel, eta, ratePerSecond, costPerLead, roi } = parsed.data.broadcast;
  return {
    ...current,
    status,
    counts,
    countsByChannel,
    eta: eta ?? null,
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
    // Clicks and attributed deals keep coming after the send: the price of a lead and the ROI follow them.
    ...(costPerLead === undefined ? {} : { costPerLead }),
    ...(roi === undefined ? {} : { roi }),
  };
}

/** The id of the broadcast a push is about, for lists that refresh a row. */
export function progressBroadcastId(payload: unknown): string | undefined {
  const parsed = progressSchema.safeParse(payload);
  return parsed.success ? parsed.data.broadcast.id : undefined;
}
