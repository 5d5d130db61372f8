import type { Connection, Types } from 'mongoose';
import { recordReportEvents } from './record-report-events.js';
import { resolutionEvent, type ResolutionContext } from './resolution-event.js';

/** Records a resolution for the reports, from the conversation as it was before it was resolved. */
export async function recordResolution(
  db: Connection,
  conversation: ResolutionContext,
  resolved: { at: Date; userId?: Types.ObjectId | string },
): Promise<void> {
  await recordReportEvents(db, [resolutionEvent(conversation, resolved)]);
}
