import type { z } from 'zod';

// Shown to the person fixing the file (in the report and rejected.csv), so in both languages.
const LABELS: Record<string, { ru: string; en: string; problem: { ru: string; en: string } }> = {
  phones: { ru: 'Телефон', en: 'Phone', problem: { ru: 'не распознан', en: 'is not a valid number' } },
  emails: { ru: 'E-mail', en: 'E-mail', problem: { ru: 'с ошибкой', en: 'is not a valid address' } },
  inn: { ru: 'ИНН', en: 'INN', problem: { ru: 'неверный', en: 'is not valid (10 or 12 digits with check digits)' } },
};

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (value !== null && typeof value === 'object' ? Reflect.get(value, key) : undefined),
    input,
  );
}

/** Why a row was refused, from the issues of the schema that parsed it, naming the values at fault. */
export function rejectionReason(issues: z.core.$ZodIssue[], input: unknown): string {
  const reasons = issues.map((issue) => {
    const label = LABELS[String(issue.path[0])];
    const value = valueAt(input, issue.path);
    if (label && typeof value === 'string') {
      return `${label.ru} «${value}» ${label.problem.ru} / ${label.en} "${value}" ${label.problem.en}`;
    }
    const field = issue.path.join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  return [...new Set(reasons)].join('; ');
}
