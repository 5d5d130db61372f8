import type { Workspace } from './workspace-schema.js';

export interface PipelineSetup {
  /** Stored as the pipeline's systemKey: installing a template again finds (and keeps) it. */
  systemKey: string;
  name: string;
  kind: Workspace['pipelines'][number]['kind'];
  stages: { id: string; name: string; kind: 'open' | 'won' | 'lost' }[];
  lostReasons: string[];
}

export interface WorkspaceSetup {
  pipelines: PipelineSetup[];
  customFields: Workspace['fields'];
  teams: Workspace['teams'];
}

/**
 * What installing a template creates, in the shapes the server stores (server/pipelines,
 * server/custom-fields): pipelines keep the template's stage ids and take the Russian names, as the
 * stored pipelines have one name per stage and Russian is the product's first language.
 */
export function workspaceSetup(workspace: Workspace): WorkspaceSetup {
  return {
    pipelines: workspace.pipelines.map((pipeline) => ({
      systemKey: pipeline.key,
      name: pipeline.name.ru,
      kind: pipeline.kind,
      stages: pipeline.stages.map((stage) => ({ id: stage.id, name: stage.name.ru, kind: stage.kind })),
      lostReasons: pipeline.lostReasons.map((reason) => reason.name.ru),
    })),
    customFields: workspace.fields,
    teams: workspace.teams,
  };
}
