import { describe, expect, it } from 'vitest';
import {
  contactForm,
  contactPatch,
  fieldValue,
  showFieldValue,
  splitList,
  type CustomFieldDefinition,
} from '../../inbox/src/lib/crm/contact-form.js';
import type { ContactView } from '../../inbox/src/lib/inbox-views.js';

const field = (key: string, type: CustomFieldDefinition['type'], extra: Partial<CustomFieldDefinition> = {}) => ({
  id: key,
  key,
  label: { ru: key },
  type,
  options: [],
  position: 0,
  ...extra,
});

const DEFINITIONS: CustomFieldDefinition[] = [
  field('budget', 'number'),
  field('house', 'select', {
    options: [
      { value: 'brus', label: { ru: 'Брус', en: 'Timber' } },
      { value: 'brick', label: { ru: 'Кирпич' } },
    ],
  }),
  field('mortgage', 'boolean'),
  field('visit', 'date'),
];

const CONTACT: ContactView = {
  id: 'c'.repeat(24),
  name: 'Ирина Ковалёва',
  phones: [{ raw: '+7 916 555-44-33', e164: '+79165554433' }],
  emails: ['irina@example.ru'],
  identities: [],
  tags: ['vip'],
  customFields: { budget: 6_000_000, house: 'brus', visit: '2026-12-01' },
};

describe('the contact editor', () => {
  it('should fill the inputs from the contact as it is', () => {
    expect(contactForm(CONTACT, DEFINITIONS)).toEqual({
      name: 'Ирина Ковалёва',
      phones: '+7 916 555-44-33',
      emails: 'irina@example.ru',
      custom: { budget: '6000000', house: 'brus', mortgage: false, visit: '2026-12-01' },
    });
  });

  it('should send only what changed, lists whole, a cleared field as null', () => {
    const form = contactForm(CONTACT, DEFINITIONS);
    expect(contactPatch(form, CONTACT, DEFINITIONS)).toEqual({});
    form.name = '  Ирина Петрова ';
    form.phones = '+7 916 555-44-33\n8 (903) 000-11-22, +7 916 555-44-33';
    form.custom.budget = '6 500 000,50';
    form.custom.house = '';
    form.custom.mortgage = true;
    expect(contactPatch(form, CONTACT, DEFINITIONS)).toEqual({
      name: 'Ирина Петрова',
      phones: ['+7 916 555-44-33', '8 (903) 000-11-22'],
      customFields: { budget: 6_500_000.5, house: null, mortgage: true },
    });
  });

  it('should split lists by lines, commas and semicolons, each entry once', () => {
    expect(splitList(' a@x.ru;\n\nb@x.ru , a@x.ru ')).toEqual(['a@x.ru', 'b@x.ru']);
  });

  it('should leave a number that is not one as typed, for the server to name the field', () => {
    expect(fieldValue(field('budget', 'number'), 'шесть')).toBe('шесть');
    expect(fieldValue(field('tags', 'multiselect'), [])).toBeNull();
  });

  it('should show option labels in the reader’s language and yes/no for flags', () => {
    const yesNo = { yes: 'да', no: 'нет' };
    expect(showFieldValue(DEFINITIONS[1]!, 'brus', 'en', yesNo)).toBe('Timber');
    expect(showFieldValue(DEFINITIONS[1]!, 'brick', 'en', yesNo)).toBe('Кирпич');
    expect(showFieldValue(DEFINITIONS[2]!, true, 'ru', yesNo)).toBe('да');
    expect(showFieldValue(DEFINITIONS[0]!, undefined, 'ru', yesNo)).toBeUndefined();
  });

  it('should show a day as a date and a booked moment with its time', () => {
    const yesNo = { yes: 'да', no: 'нет' };
    const when = field('when', 'date');
    expect(showFieldValue(when, '2026-12-27', 'ru', yesNo)).toBe('27.12.2026');
    expect(showFieldValue(when, '2026-12-27T00:00:00.000Z', 'ru', yesNo)).toBe('27.12.2026');
    const moment = '2026-11-28T07:00:00.000Z';
    expect(showFieldValue(when, moment, 'ru', yesNo)).toBe(
      new Date(moment).toLocaleString('ru', { dateStyle: 'medium', timeStyle: 'short' }),
    );
    expect(showFieldValue(when, moment, 'ru', yesNo)).toMatch(/28 нояб\. 2026 г\., \d{1,2}:00/);
    expect(showFieldValue(when, 'на днях', 'ru', yesNo)).toBe('на днях');
  });
});
