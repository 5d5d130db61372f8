import type { DigestContent } from './digest-content.js';
import { formatChange, formatFigure, type DigestLanguage } from './format-digest-figure.js';

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

const TEXT = {
  ru: {
    subject: (days: string) => `Итоги недели: ${days}`,
    hello: (name: string) => `Здравствуйте, ${name}!`,
    intro: (days: string, before: string) => `Итоги недели ${days} в сравнении с предыдущей (${before}).`,
    figure: 'Показатель',
    thisWeek: 'Эта неделя',
    lastWeek: 'Прошлая неделя',
    change: 'Изменение',
    was: 'было',
    topSources: 'Лучшие источники лидов',
    noSources: 'Новых лидов за неделю не было.',
    open: 'Открыть отчёты',
    why: 'Это письмо каждый понедельник получают руководители и администраторы.',
  },
  en: {
    subject: (days: string) => `Weekly digest: ${days}`,
    hello: (name: string) => `Hello, ${name},`,
    intro: (days: string, before: string) => `The week of ${days} compared with the week before (${before}).`,
    figure: 'Figure',
    thisWeek: 'This week',
    lastWeek: 'Last week',
    change: 'Change',
    was: 'was',
    topSources: 'Top lead sources',
    noSources: 'No new leads this week.',
    open: 'Open the reports',
    why: 'Managers and admins get this mail every Monday.',
  },
} as const;

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A day (YYYY-MM-DD) as the reader writes it: 16.11.2026, 16 Nov 2026. */
function formatDay(day: string, language: DigestLanguage): string {
  if (language === 'ru') return day.split('-').reverse().join('.');
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

const range = (days: { from: string; to: string }, language: DigestLanguage) =>
  `${formatDay(days.from, language)} – ${formatDay(days.to, language)}`;

function previousDays(content: DigestContent): { from: string; to: string } {
  const day = (shift: number) =>
    new Date(Date.parse(`${content.week.days.from}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-7), to: day(-1) };
}

/** A cell of the top sources table: text as it is, figures in the reader's format. */
function sourceCell(
  content: DigestContent,
  row: Record<string, string | number | null>,
  key: string,
  language: DigestLanguage,
) {
  const column = content.topSources.columns.find((candidate) => candidate.key === key)!;
  const value = row[key] ?? null;
  if (column.unit === 'text' || typeof value === 'string') return String(value ?? '—');
  return formatFigure(value, column.unit, language);
}

/**
 * The digest mail for one reader: the subject, a plain text part and an HTML part with the same
 * figures. Everything that comes from data (names, labels, sources) is escaped in the HTML.
 */
export function renderDigestMail(
  content: DigestContent,
  reader: { name: string; language: DigestLanguage },
  reportsUrl: string,
): RenderedDigest {
  const language = reader.language;
  const words = TEXT[language];
  const days = range(content.week.days, language);
  const before = range(previousDays(content), language);
  const lines = content.lines.map((line) => ({
    label: line.label[language],
    value: formatFigure(line.value, line.unit, language),
    previous: formatFigure(line.previous, line.unit, language),
    change: formatChange(line.value, line.previous, line.unit, language),
  }));
  const sourceKeys = content.topSources.columns.map((column) => column.key);
  const sources = content.topSources.rows.map((row) =>
    sourceKeys.map((key) => sourceCell(content, row, key, language)),
  );
  const sourceHeads = content.topSources.columns.map((column) => column.label[language]);

  const text = [
    words.hello(reader.name),
    '',
    words.intro(days, before),
    '',
    ...lines.map((line) => `${line.label}: ${line.value} (${words.was} ${line.previous}, ${line.change})`),
    '',
    `${words.topSources}:`,
    ...(sources.length === 0
      ? [words.noSources]
      : sources.map(
          ([name, ...figures], i) =>
            `${i + 1}. ${name} — ${figures.map((figure, j) => `${sourceHeads[j + 1]}: ${figure}`).join(', ')}`,
        )),
    '',
    `${words.open}: ${reportsUrl}`,
    '',
    words.why,
  ].join('\n');

  const cell = 'padding:6px 10px;border-bottom:1px solid #e5e7eb;';
  const head = `${cell}text-align:left;color:#6b7280;font-weight:600;`;
  const html = [
    '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#111827;font-size:14px;">',
    `<p>${escapeHtml(words.hello(reader.name))}</p>`,
    `<p>${escapeHtml(words.intro(days, before))}</p>`,
    '<table style="border-collapse:collapse;margin:12px 0;">',
    `<tr><th style="${head}">${escapeHtml(words.figure)}</th><th style="${head}">${escapeHtml(words.thisWeek)}</th>` +
      `<th style="${head}">${escapeHtml(words.lastWeek)}</th><th style="${head}">${escapeHtml(words.change)}</th></tr>`,
    ...lines.map(
      (line) =>
        `<tr><td style="${cell}">${escapeHtml(line.label)}</td><td style="${cell}font-weight:600;">${escapeHtml(line.value)}</td>` +
        `<td style="${cell}">${escapeHtml(line.previous)}</td><td style="${cell}">${escapeHtml(line.change)}</td></tr>`,
    ),
    '</table>',
    `<h3 style="font-size:15px;margin:16px 0 4px;">${escapeHtml(words.topSources)}</h3>`,
    sources.length === 0
      ? `<p>${escapeHtml(words.noSources)}</p>`
      : [
          '<table style="border-collapse:collapse;margin:4px 0 12px;">',
          `<tr>${sourceHeads.map((label) => `<th style="${head}">${escapeHtml(label)}</th>`).join('')}</tr>`,
          ...sources.map(
            (row) => `<tr>${row.map((value) => `<td style="${cell}">${escapeHtml(value)}</td>`).join('')}</tr>`,
          ),
          '</table>',
        ].join(''),
    `<p><a href="${escapeHtml(reportsUrl)}" style="color:#2563eb;">${escapeHtml(words.open)}</a></p>`,
    `<p style="color:#6b7280;font-size:12px;">${escapeHtml(words.why)}</p>`,
    '</body></html>',
  ].join('');

  return { subject: words.subject(days), text, html };
}
