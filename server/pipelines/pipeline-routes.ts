import { z } from 'zod';
import { conflict, notFound } from '../api/api-error.js';
import { defineRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { dealModel } from '../deals/deal-model.js';
import { queryFlag } from '../deals/query-flag.js';
import { recordAudit } from '../audit/record-audit.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { buildStages } from './build-stages.js';
import { findPipeline } from './find-pipeline.js';
import { pipelineModel, type PipelineRecord } from './pipeline-model.js';
import { createPipelineSchema, pipelineViewSchema, updatePipelineSchema, type Stage } from './pipeline-schema.js';
import { toPipelineView } from './to-pipeline-view.js';

const idParams = z.strictObject({ id: objectIdSchema });

/** Stages that deals may sit in and that the new list drops or turns into another kind. */
function disturbedStages(before: Stage[], after: Stage[]): string[] {
  const next = new Map(after.map((stage) => [stage.id, stage]));
  return before.filter((stage) => next.get(stage.id)?.kind !== stage.kind).map((stage) => stage.id);
}

export const pipelineRoutes = [
  defineRoute({
    method: 'get',
    path: '/pipelines',
    summary: 'List pipelines with their stages (archived ones only when asked)',
    tag: 'pipelines',
    access: 'pipelines.read',
    query: z.strictObject({ includeArchived: queryFlag.optional() }),
    response: z.object({ items: z.array(pipelineViewSchema) }),
    handler: async ({ query, services }) => {
      const Pipeline = await pipelineModel(services.db);
      const filter = query.includeArchived ? {} : { archived: false };
      const pipelines = await Pipeline.find(filter).sort({ _id: 1 }).lean<PipelineRecord[]>();
      return { items: pipelines.map(toPipelineView) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/pipelines/:id',
    summary: 'One pipeline with its stages',
    tag: 'pipelines',
    access: 'pipelines.read',
    params: idParams,
    response: pipelineViewSchema,
    handler: async ({ params, services }) => toPipelineView(await findPipeline(services.db, params.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/pipelines',
    summary: 'Create a pipeline: ordered open stages, one won and one lost stage',
    tag: 'pipelines',
    access: 'pipelines.manage',
    status: 201,
    body: createPipelineSchema,
    response: pipelineViewSchema,
    handler: async ({ body, user, services }) => {
      const Pipeline = await pipelineModel(services.db);
      const created = await Pipeline.create({ ...body, stages: buildStages(body.stages), archived: false });
      const view = toPipelineView(created.toObject<PipelineRecord>());
      await recordAudit(services, {
        actor: user,
        action: 'pipeline.create',
        entity: 'pipeline',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/pipelines/:id',
    summary: 'Rename, reorder or edit stages, edit lost reasons, archive',
    tag: 'pipelines',
    access: 'pipelines.manage',
    params: idParams,
    body: updatePipelineSchema,
    response: pipelineViewSchema,
    handler: async ({ params, body, user, services }) => {
      const Pipeline = await pipelineModel(services.db);
      const before = await findPipeline(services.db, params.id);
      const stages = body.stages ? buildStages(body.stages) : undefined;
      if (stages) {
        // A deal must always stand in a stage of its pipeline whose kind matches its status.
        const disturbed = disturbedStages(before.stages, stages);
        const Deal = await dealModel(services.db);
        const occupied = disturbed.length
          ? await Deal.distinct('stageId', { pipelineId: before._id, stageId: { $in: disturbed } })
          : [];
        if (occupied.length) {
          throw conflict(errorTexts.say('stagesInUse'), {
            stageIds: occupied,
          });
        }
      }
      const after = await Pipeline.findByIdAndUpdate(
        before._id,
        { $set: { ...body, ...(stages ? { stages } : {}) } },
        { returnDocument: 'after' },
      ).lean<PipelineRecord>();
      if (!after) throw notFound('Pipeline');
      const view = toPipelineView(after);
      await recordAudit(services, {
        actor: user,
        action: 'pipeline.update',
        entity: 'pipeline',
        entityId: view.id,
        before: toPipelineView(before),
        after: view,
      });
      return view;
    },
  }),
];
