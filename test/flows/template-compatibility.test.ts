import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceSetup } from '../../flows/schema/workspace-setup.js';
import { parseFlowFile } from '../../flows/validate/parse-flow-file.js';
import { customFieldInputSchema } from '../../server/custom-fields/custom-field-schemas.js';
import { DEFAULT_PIPELINES } from '../../server/pipelines/ensure-default-pipelines.js';
import { createPipelineSchema } from '../../server/pipelines/pipeline-schema.js';

const TEMPLATES = ['ecostroy', 'windows', 'realty'];

function setupOf(name: string) {
  const text = readFileSync(join(import.meta.dirname, `../../flows/templates/${name}.yaml`), 'utf8');
  return workspaceSetup(parseFlowFile(text, `${name}.yaml`).file.workspace);
}

describe('template workspace setup', () => {
  it.each(TEMPLATES)('should give %s pipelines the server accepts', (name) => {
    for (const pipeline of setupOf(name).pipelines) {
      const { systemKey: _key, ...input } = pipeline;
      expect(createPipelineSchema.safeParse(input).error).toBeUndefined();
    }
  });

  it.each(TEMPLATES)('should give %s custom fields the server accepts', (name) => {
    for (const field of setupOf(name).customFields)
      expect(customFieldInputSchema.safeParse(field).error?.issues, field.key).toBeUndefined();
  });

  it('should set up the window maker exactly as the product seeds it (keys, stage ids, names, reasons)', () => {
    const seeded = DEFAULT_PIPELINES.map((pipeline) => ({
      systemKey: pipeline.systemKey,
      name: pipeline.name,
      kind: pipeline.kind,
      stages: pipeline.stages.map((stage) => ({ id: stage.id, name: stage.name, kind: stage.kind })),
      lostReasons: pipeline.lostReasons,
    }));
    expect(setupOf('windows').pipelines).toEqual(seeded);
  });
});

describe('template goals', () => {
  // The follow-up results list each goal by its name; an unnamed one showed its id (measurement-booked).
  it.each(TEMPLATES)('should name every goal of %s in Russian and English', (name) => {
    const text = readFileSync(join(import.meta.dirname, `../../flows/templates/${name}.yaml`), 'utf8');
    const goals = parseFlowFile(text, `${name}.yaml`).file.flows.flatMap((flow) =>
      flow.goals.map((goal) => ({ flow: flow.id, goal: goal.id, ru: goal.name?.ru, en: goal.name?.en })),
    );
    expect(goals.filter((goal) => !goal.ru || !goal.en)).toEqual([]);
  });
});
