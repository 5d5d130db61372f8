import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { userModels } from '../users/user-models.js';
import { DEMO_SEED_MARKER_ID, demoSeedMarkerModel } from './demo-seed-marker.js';

/** A seed takes about a second; one begun this long ago and never finished died on the way. */
const ABANDONED_AFTER_MS = 5 * 60 * 1000;

export type DemoSeedClaim = 'claimed' | 'already-seeded' | 'in-progress' | 'interrupted' | 'users-exist';

/**
 * Decides whether this process seeds the demo: never once the store has users (a real install,
 * or a demo people already work in), never twice. Inserting the marker is the claim: its unique
 * `_id` lets one process win however many start at once. A claim that never completed is
 * reported as interrupted, so the start can say how to get a clean demo.
 */
export async function claimDemoSeed(db: Connection, now: Date): Promise<DemoSeedClaim> {
  const Marker = demoSeedMarkerModel(db);
  const markedState = async (): Promise<Exclude<DemoSeedClaim, 'claimed' | 'users-exist'> | undefined> => {
    const marker = await Marker.findById(DEMO_SEED_MARKER_ID).lean();
    if (!marker) return undefined;
    if (marker.completedAt) return 'already-seeded';
    return now.getTime() - marker.startedAt.getTime() > ABANDONED_AFTER_MS ? 'interrupted' : 'in-progress';
  };
  const marked = await markedState();
  if (marked) return marked;
  if (await userModels(db).User.exists({})) return 'users-exist';
  try {
    await Marker.create({ _id: DEMO_SEED_MARKER_ID, startedAt: now });
    return 'claimed';
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await markedState()) ?? 'in-progress';
  }
}
