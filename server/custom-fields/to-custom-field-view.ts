import type { CustomFieldRecord } from './custom-field-models.js';
import type { CustomFieldView } from './custom-field-schemas.js';

export function toCustomFieldView(field: CustomFieldRecord): CustomFieldView {
  return {
    id: field._id.toHexString(),
    entity: field.entity,
    key: field.key,
    label: { ru: field.label.ru, ...(field.label.en ? { en: field.label.en } : {}) },
    type: field.type,
    options: field.options.map((option) => ({
      value: option.value,
      label: { ru: option.label.ru, ...(option.label.en ? { en: option.label.en } : {}) },
    })),
    position: field.position,
    createdAt: field.createdAt.toISOString(),
    updatedAt: field.updatedAt.toISOString(),
  };
}
