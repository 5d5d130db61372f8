import { z } from 'zod';
import { flowFileTexts } from './flow-file-texts.js';
import { clockTimeSchema, durationSchema, pathSchema, weekdaySchema } from './primitive-schemas.js';

const { say } = flowFileTexts;

/**
 * A point in time: `in` a duration from now, or relative to a date `field`, or a fixed `date`;
 * then optionally moved to a time of day (`at`) and to an allowed weekday. Days and weeks are
 * calendar days in the flow's time zone, so "1d at 10:00" stays 10:00 across a DST change.
 */
export const momentSchema = z
  .strictObject({
    in: durationSchema.optional(),
    field: pathSchema.optional(),
    date: z.iso.datetime({ offset: true, error: say('isoDateTimeExample') }).optional(),
    before: durationSchema.optional(),
    after: durationSchema.optional(),
    at: clockTimeSchema.optional(),
    weekdays: z.array(weekdaySchema).min(1).optional(),
  })
  .superRefine((moment, ctx) => {
    const anchors = [moment.in, moment.field, moment.date].filter((value) => value !== undefined).length;
    if (anchors !== 1) ctx.addIssue({ code: 'custom', message: say('oneAnchor') });
    if ((moment.before || moment.after) && !moment.field)
      ctx.addIssue({ code: 'custom', message: say('beforeAfterOnField') });
    if (moment.before && moment.after) ctx.addIssue({ code: 'custom', message: say('beforeOrAfter') });
  });

export type Moment = z.infer<typeof momentSchema>;
