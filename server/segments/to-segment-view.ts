import type { SegmentRecord } from './segment-model.js';
import type { SegmentView } from './segment-schemas.js';

export function toSegmentView(record: SegmentRecord): SegmentView {
  return {
    id: record._id.toHexString(),
    name: record.name,
    kind: record.kind,
    ...(record.definition ? { definition: record.definition } : {}),
    ...(record.memberCount !== undefined ? { memberCount: record.memberCount } : {}),
    createdById: record.createdById.toHexString(),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
