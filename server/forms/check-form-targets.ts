import type { Connection } from 'mongoose';
import { validationFailed, type ErrorMessage } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { customFieldModels, type CustomFieldRecord } from '../custom-fields/custom-field-models.js';
import { mayOwnLeads } from '../leads/lead-owner.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import type { FormField } from './form-schemas.js';

interface Problem {
  path: string;
  message: ErrorMessage;
}

const { say, sayWith } = errorTexts;

/** The record a custom field belongs to, as the texts name it ("the deal field", «поле сделки»). */
const ENTITY = { contact: { en: 'contact', ru: 'контакта' }, deal: { en: 'deal', ru: 'сделки' } } as const;

async function pipelineProblems(db: Connection, pipelineId: string, stageId: string | undefined): Promise<Problem[]> {
  const pipeline = await (await pipelineModel(db)).findById(pipelineId).lean<PipelineRecord>();
  if (!pipeline) return [{ path: 'pipelineId', message: say('thereIsNoPipeline') }];
  if (pipeline.archived)
    return [{ path: 'pipelineId', message: sayWith('pipelineArchived', { pipeline: pipeline.name }) }];
  if (!stageId) return [];
  const stage = pipeline.stages.find((candidate) => candidate.id === stageId);
  if (!stage)
    return [{ path: 'stageId', message: sayWith('noSuchStage', { pipeline: pipeline.name, stage: stageId }) }];
  return stage.kind === 'open' ? [] : [{ path: 'stageId', message: say('newDealOpenStage') }];
}

/** Whether a form field's answers fit the custom field it fills (its definition, its options). */
function customFieldProblem(
  field: FormField,
  definition: CustomFieldRecord | undefined,
  entity: keyof typeof ENTITY,
): ErrorMessage | undefined {
  const key = field.mapTo && 'key' in field.mapTo ? field.mapTo.key : '';
  if (!definition) return sayWith('formNoCustomField', { entity: ENTITY[entity], key });
  switch (definition.type) {
    case 'text':
      return undefined;
    case 'number':
      return field.type === 'text' ? undefined : sayWith('formNumberField', { entity: ENTITY[entity], key });
    case 'select': {
      const allowed = new Set(definition.options.map((option) => option.value));
      const fits = field.type === 'select' && (field.options ?? []).every((option) => allowed.has(option.value));
      return fits
        ? undefined
        : sayWith('formChoiceField', { entity: ENTITY[entity], key, options: [...allowed].join(', ') });
    }
    case 'date':
    case 'multiselect':
    case 'boolean':
      return sayWith('formCannotFill', { type: definition.type, key });
  }
}

interface CustomTarget {
  field: FormField;
  index: number;
  entity: 'contact' | 'deal';
  key: string;
}

async function customFieldProblems(db: Connection, fields: FormField[]): Promise<Problem[]> {
  const mapped = fields.flatMap((field, index): CustomTarget[] => {
    const mapping = field.mapTo;
    if (mapping?.type === 'contact-custom') return [{ field, index, entity: 'contact', key: mapping.key }];
    if (mapping?.type === 'deal-custom') return [{ field, index, entity: 'deal', key: mapping.key }];
    return [];
  });
  if (mapped.length === 0) return [];
  const definitions = await customFieldModels(db)
    .CustomField.find({ $or: mapped.map(({ entity, key }) => ({ entity, key })) })
    .lean<CustomFieldRecord[]>();
  return mapped.flatMap(({ field, index, entity, key }) => {
    const definition = definitions.find((candidate) => candidate.entity === entity && candidate.key === key);
    const message = customFieldProblem(field, definition, entity);
    return message ? [{ path: `fields.${index}.mapTo`, message }] : [];
  });
}

/**
 * What a form points at must exist and fit: an active pipeline (and an open stage of it), an
 * owner who works deals, custom fields of types a form can fill. Checked when a form is saved;
 * answers a 400 listing every problem.
 */
export async function checkFormTargets(
  db: Connection,
  form: { pipelineId: string; stageId?: string; ownerId: string; fields: FormField[] },
): Promise<void> {
  const owner: Problem[] = (await mayOwnLeads(db, form.ownerId))
    ? []
    : [{ path: 'ownerId', message: say('formOwner') }];
  const problems = [
    ...(await pipelineProblems(db, form.pipelineId, form.stageId)),
    ...owner,
    ...(await customFieldProblems(db, form.fields)),
  ];
  if (problems.length > 0) throw validationFailed(problems.map((problem) => ({ in: 'body', ...problem })));
}
