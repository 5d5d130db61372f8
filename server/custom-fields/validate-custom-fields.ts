import type { Connection } from 'mongoose';
import { validationFailed } from '../api/api-error.js';
import { customFieldModels, type CustomFieldRecord } from './custom-field-models.js';
import type { CustomFieldEntity, CustomFieldValues } from './custom-field-schemas.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function problemWith(definition: CustomFieldRecord, value: unknown): string | undefined {
  const allowed = new Set(definition.options.map((option) => option.value));
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'must be a date as YYYY-MM-DD or an ISO date-time';
    case 'select':
      return typeof value === 'string' && allowed.has(value) ? undefined : `must be one of: ${[...allowed].join(', ')}`;
    case 'multiselect':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && allowed.has(item))
        ? undefined
        : `must be a list of: ${[...allowed].join(', ')}`;
  }
}

/**
 * Checks a record's custom field values against the entity's definitions: every key must be
 * defined and every value must fit its type and options. `null` passes (it clears a value on
 * update). Throws a 400 listing every problem, so a form can mark all wrong fields at once.
 */
export async function validateCustomFields(
  db: Connection,
  entity: CustomFieldEntity,
  values: CustomFieldValues,
): Promise<void> {
  const keys = Object.keys(values);
  if (keys.length === 0) return;
  const { CustomField } = customFieldModels(db);
  const definitions = await CustomField.find({ entity, key: { $in: keys } }).lean<CustomFieldRecord[]>();
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const problems = keys.flatMap((key) => {
    const definition = byKey.get(key);
    if (!definition)
      return [{ in: 'body', path: `customFields.${key}`, message: `No ${entity} field '${key}' is defined` }];
    const value = values[key];
    const problem = value === null ? undefined : problemWith(definition, value);
    return problem ? [{ in: 'body', path: `customFields.${key}`, message: `'${key}' ${problem}` }] : [];
  });
  if (problems.length > 0) throw validationFailed(problems);
}
