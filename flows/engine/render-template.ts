import { PATH_PATTERN } from '../schema/primitive-schemas.js';
import { resolvePath, type Scope } from './resolve-path.js';
import { formatLocalDate, localClockTime } from './zoned-time.js';

export const TEMPLATE_FILTERS = ['default', 'date', 'time', 'datetime', 'money'] as const;

export interface TemplateRef {
  raw: string;
  path: string;
  filter?: string;
  argument?: string;
}

const PLACEHOLDER = /\{\{\s*([^{}|]+?)\s*(?:\|\s*([A-Za-z]+)\s*(?::\s*([^{}]*?))?\s*)?\}\}/g;

/** The `{{path | filter: argument}}` placeholders in a text, for validation. */
export function listTemplateRefs(text: string): TemplateRef[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => ({
    raw: match[0],
    path: match[1] ?? '',
    filter: match[2],
    argument: match[3],
  }));
}

export function isValidTemplateRef(ref: TemplateRef): boolean {
  return (
    PATH_PATTERN.test(ref.path) &&
    (ref.filter === undefined || TEMPLATE_FILTERS.some((filter) => filter === ref.filter))
  );
}

export interface RenderOptions {
  timeZone: string;
  language: 'ru' | 'en';
}

/**
 * Fills `{{contact.name}}`-style placeholders. Dates can be shown with `| date`, `| time` or
 * `| datetime` (in the flow's time zone), numbers with `| money`; `| default: text` stands in for
 * an empty value. Missing values become empty text.
 */
export function renderTemplate(text: string, scope: Scope, options: RenderOptions): string {
  return text.replace(PLACEHOLDER, (_whole, path: string, filter?: string, argument?: string) =>
    formatValue(resolvePath(scope, path), filter, argument, options),
  );
}

/**
 * A value with its type when the text is one placeholder and nothing else (`"{{event.amount}}"`
 * copies a number as a number); the rendered text otherwise.
 */
export function renderValue(text: string, scope: Scope, options: RenderOptions): unknown {
  const refs = listTemplateRefs(text);
  const only = refs[0];
  if (refs.length === 1 && only && only.raw === text.trim() && only.filter === undefined)
    return resolvePath(scope, only.path);
  return renderTemplate(text, scope, options);
}

function formatValue(
  value: unknown,
  filter: string | undefined,
  argument: string | undefined,
  options: RenderOptions,
): string {
  const empty = value === undefined || value === null || value === '';
  if (filter === 'default') return empty ? (argument ?? '').replace(/^["']|["']$/g, '') : plain(value);
  if (empty) return '';
  const date = typeof value === 'string' || value instanceof Date ? new Date(value) : undefined;
  const validDate = date && !Number.isNaN(date.getTime()) ? date : undefined;
  switch (filter) {
    case 'date':
      return validDate ? formatLocalDate(validDate, options.timeZone, options.language) : plain(value);
    case 'time':
      return validDate ? localClockTime(validDate, options.timeZone) : plain(value);
    case 'datetime':
      return validDate
        ? `${formatLocalDate(validDate, options.timeZone, options.language)} ${localClockTime(validDate, options.timeZone)}`
        : plain(value);
    case 'money':
      return typeof value === 'number'
        ? new Intl.NumberFormat(options.language === 'ru' ? 'ru-RU' : 'en-US', { maximumFractionDigits: 2 }).format(
            value,
          )
        : plain(value);
    default:
      return plain(value);
  }
}

function plain(value: unknown): string {
  if (Array.isArray(value)) return value.map(plain).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
