import type { PipelineRecord } from './pipeline-model.js';
import type { PipelineView } from './pipeline-schema.js';

/** A stored pipeline as the API shows it: string id, stages in order. */
export function toPipelineView(pipeline: PipelineRecord): PipelineView {
  return {
    id: String(pipeline._id),
    name: pipeline.name,
    kind: pipeline.kind,
    ...(pipeline.systemKey ? { systemKey: pipeline.systemKey } : {}),
    stages: [...pipeline.stages]
      .sort((a, b) => a.order - b.order)
      .map(({ id, name, kind, order }) => ({ id, name, kind, order })),
    lostReasons: pipeline.lostReasons,
    archived: pipeline.archived,
    createdAt: pipeline.createdAt,
    updatedAt: pipeline.updatedAt,
  };
}
