const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The page a plain HTML form (no embed script) lands on after posting: the thank-you text, or
 * what to fix, and a link back to the page the form was on.
 */
export function renderFormResultPage(page: {
  language: 'ru' | 'en';
  title: string;
  lines: string[];
  backUrl?: string;
  backLabel: string;
}): string {
  const back = page.backUrl ? `<p><a href="${escape(page.backUrl)}">${escape(page.backLabel)}</a></p>` : '';
  return `<!doctype html><html lang="${page.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(page.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:36rem;padding:0 1rem;color:#1f2937}</style>
</head><body><h1>${escape(page.title)}</h1>${page.lines.map((line) => `<p>${escape(line)}</p>`).join('')}${back}</body></html>`;
}
