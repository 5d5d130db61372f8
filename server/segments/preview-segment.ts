import type { Connection } from 'mongoose';
import type { Channel } from '../contacts/normalize-identity.js';
import { reachableChannels } from './channel-reach.js';
import { countSegment } from './count-segment.js';
import { segmentContacts, type SegmentTarget } from './segment-contacts.js';

export interface SegmentPreviewRow {
  id: string;
  name: string;
  channels: Channel[];
  tags: string[];
}

export interface SegmentPreview {
  count: number;
  rows: SegmentPreviewRow[];
}

const PREVIEW_PROJECTION = { _id: 1, name: 1, identities: 1, phones: 1, emails: 1, tags: 1 } as const;

/** The builder's live answer: how many contacts match and the first `limit` of them. */
export async function previewSegment(db: Connection, target: SegmentTarget, limit = 20): Promise<SegmentPreview> {
  const now = new Date();
  const first = async (): Promise<SegmentPreviewRow[]> => {
    const batches = segmentContacts(db, target, { projection: PREVIEW_PROJECTION, batchSize: limit, now });
    const result = await batches.next();
    await batches.return(undefined);
    const batch = result.done ? [] : result.value;
    return batch.map((contact) => ({
      id: contact._id.toHexString(),
      name: contact.name,
      channels: reachableChannels(contact),
      tags: contact.tags,
    }));
  };
  const [count, rows] = await Promise.all([countSegment(db, target, now), first()]);
  return { count, rows };
}
