import type { ContactView } from '../inbox-views.js';

/** A custom field's definition (`GET /custom-fields?entity=contact`, `=deal`). */
export interface CustomFieldDefinition {
  id: string;
  key: string;
  label: { ru: string; en?: string };
  type: 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'boolean';
  options: { value: string; label: { ru: string; en?: string } }[];
  position: number;
}

/** What the contact editor's inputs hold: lists as one entry per line, custom fields as inputs give them. */
export interface ContactForm {
  name: string;
  phones: string;
  emails: string;
  custom: Record<string, string | boolean | string[]>;
}

/** One entry per line (or comma), trimmed, each once. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,;]/)
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
}

function inputValue(definition: CustomFieldDefinition, value: unknown): string | boolean | string[] {
  switch (definition.type) {
    case 'boolean':
      return value === true;
    case 'multiselect':
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    case 'date':
      return typeof value === 'string' ? value.slice(0, 10) : '';
    default:
      return value === undefined || value === null ? '' : String(value);
  }
}

/** The editor filled with the contact as it is. */
export function contactForm(contact: ContactView, definitions: readonly CustomFieldDefinition[]): ContactForm {
  const stored = contact.customFields ?? {};
  return {
    name: contact.name,
    phones: contact.phones.map((phone) => phone.raw).join('\n'),
    emails: contact.emails.join('\n'),
    custom: Object.fromEntries(
      definitions.map((definition) => [definition.key, inputValue(definition, stored[definition.key])]),
    ),
  };
}

/** What the API stores for an input's value; `null` clears the field. */
export function fieldValue(definition: CustomFieldDefinition, raw: string | boolean | string[]): unknown {
  switch (definition.type) {
    case 'boolean':
      return raw === true;
    case 'multiselect':
      return Array.isArray(raw) && raw.length > 0 ? raw : null;
    case 'number': {
      const text = String(raw).replace(/\s/g, '').replace(',', '.');
      // Left as typed when it is not a number, so the server's message names the field.
      return text === '' ? null : Number.isFinite(Number(text)) ? Number(text) : text;
    }
    default: {
      const text = typeof raw === 'string' ? raw.trim() : '';
      return text === '' ? null : text;
    }
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The `PATCH /contacts/:id` body for what the editor changed, nothing else (lists replace the stored ones). */
export function contactPatch(
  form: ContactForm,
  contact: ContactView,
  definitions: readonly CustomFieldDefinition[],
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (form.name.trim() !== contact.name) patch.name = form.name.trim();
  const phones = splitList(form.phones);
  if (
    !same(
      phones,
      contact.phones.map((phone) => phone.raw),
    )
  )
    patch.phones = phones;
  const emails = splitList(form.emails);
  if (!same(emails, contact.emails)) patch.emails = emails;
  const stored = contact.customFields ?? {};
  // An unset flag shows unchecked: leaving it so is no change.
  const unchanged = (definition: CustomFieldDefinition, value: unknown) =>
    same(value, stored[definition.key]) ||
    (definition.type === 'boolean' && value === false && stored[definition.key] === undefined);
  const custom = Object.fromEntries(
    definitions
      .map((definition) => ({ definition, value: fieldValue(definition, form.custom[definition.key] ?? '') }))
      .filter(({ definition, value }) => !unchanged(definition, value))
      .map(({ definition, value }) => [definition.key, value]),
  );
  if (Object.keys(custom).length > 0) patch.customFields = custom;
  return patch;
}

/** A custom field's name in the reader's language. */
export function fieldLabel(definition: CustomFieldDefinition, locale: 'ru' | 'en'): string {
  return (locale === 'en' ? definition.label.en : undefined) ?? definition.label.ru;
}

/** A custom field's value as the card shows it: option labels in the reader's language, dates in their format. */
export function showFieldValue(
  definition: CustomFieldDefinition,
  value: unknown,
  locale: 'ru' | 'en',
  yesNo: { yes: string; no: string },
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const optionLabel = (option: string) => {
    const label = definition.options.find((candidate) => candidate.value === option)?.label;
    return label ? ((locale === 'en' ? label.en : undefined) ?? label.ru) : option;
  };
  switch (definition.type) {
    case 'boolean':
      return value === true ? yesNo.yes : yesNo.no;
    case 'select':
      return optionLabel(String(value));
    case 'multiselect':
      return Array.isArray(value) && value.length
        ? value.map((item) => optionLabel(String(item))).join(', ')
        : undefined;
    case 'date': {
      if (typeof value !== 'string') return undefined;
      const at = new Date(value);
      if (Number.isNaN(at.getTime())) return value;
      // A day alone is kept as its UTC midnight; a moment (a booked measurement) shows the reader's local time too.
      const dayOnly = !value.includes('T') || /T00:00(:00(\.0+)?)?Z$/.test(value);
      return dayOnly
        ? at.toLocaleDateString(locale, { timeZone: 'UTC' })
        : at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
    }
    default:
      return String(value);
  }
}
