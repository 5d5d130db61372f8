import type { Connection } from 'mongoose';
import { validationFailed, type ErrorMessage } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { customFieldModels, type CustomFieldRecord } from './custom-field-models.js';
import type { CustomFieldEntity, CustomFieldValues } from './custom-field-schemas.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const { sayWith } = errorTexts;

/** The record a field belongs to, as the texts name it ("No contact field", «У контакта нет поля»). */
const ENTITY = {
  contact: { en: 'contact', ru: 'контакта' },
  company: { en: 'company', ru: 'компании' },
  deal: { en: 'deal', ru: 'сделки' },
} as const satisfies Record<CustomFieldEntity, { en: string; ru: string }>;

function problemWith(definition: CustomFieldRecord, value: unknown): ErrorMessage | undefined {
  const { key } = definition;
  const allowed = new Set(definition.options.map((option) => option.value));
  const options = [...allowed].join(', ');
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? undefined : sayWith('customFieldText', { key });
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : sayWith('customFieldNumber', { key });
    case 'boolean':
      return typeof value === 'boolean' ? undefined : sayWith('customFieldBoolean', { key });
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : sayWith('customFieldDate', { key });
    case 'select':
      return typeof value === 'string' && allowed.has(value)
        ? undefined
        : sayWith('customFieldOption', { key, options });
    case 'multiselect':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && allowed.has(item))
        ? undefined
        : sayWith('customFieldOptions', { key, options });
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
    const path = `customFields.${key}`;
    if (!definition)
      return [{ in: 'body', path, message: sayWith('customFieldUndefined', { entity: ENTITY[entity], key }) }];
    const value = values[key];
    const problem = value === null ? undefined : problemWith(definition, value);
    return problem ? [{ in: 'body', path, message: problem }] : [];
  });
  if (problems.length > 0) throw validationFailed(problems);
}
