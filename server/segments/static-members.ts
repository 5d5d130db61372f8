import type { Connection, Types } from 'mongoose';
import { contactModels } from '../contacts/contact-models.js';
import { inChunks } from './in-chunks.js';
import { RELATION_WINDOW, type ContactProjection, type MatchOptions, type Projected } from './matching-contacts.js';
import { ACTIVE } from './segment-filter.js';
import { segmentMemberModel } from './segment-member-model.js';

/**
 * The active contacts on a static list, in `_id` order, in batches of `batchSize`: members are
 * paged along the (segmentId, contactId) index a window at a time and their contacts read by id.
 * Members since merged or deleted are left out.
 */
export async function* staticMembers<P extends ContactProjection>(
  db: Connection,
  segmentId: Types.ObjectId,
  options: Omit<MatchOptions<P>, 'now'>,
): AsyncGenerator<Projected<P>[]> {
  const { projection, batchSize } = options;
  let pending: Projected<P>[] = [];
  for (let after: Types.ObjectId | undefined; ;) {
    const members = await segmentMemberModel(db)
      .find({ segmentId, ...(after ? { contactId: { $gt: after } } : {}) })
      .sort({ contactId: 1 })
      .limit(RELATION_WINDOW)
      .select({ contactId: 1 })
      .lean<{ contactId: Types.ObjectId }[]>();
    if (members.length === 0) break;
    const ids = members.map((member) => member.contactId);
    for (const chunk of inChunks(ids)) {
      const contacts = await contactModels(db)
        .Contact.find({ ...ACTIVE, _id: { $in: chunk } })
        .sort({ _id: 1 })
        .select(projection)
        .lean<Projected<P>[]>();
      pending = pending.concat(contacts);
    }
    while (pending.length >= batchSize) yield pending.splice(0, batchSize);
    if (members.length < RELATION_WINDOW) break;
    after = ids[ids.length - 1];
  }
  if (pending.length > 0) yield pending;
}
