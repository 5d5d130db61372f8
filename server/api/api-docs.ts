import { Router } from 'express';

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface Operation {
  summary?: string;
  tags?: string[];
  'x-permission'?: string;
}

/** A readable page of the API, grouped by tag, built from the OpenAPI description (no CDN). */
function renderPage(doc: {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      const row = `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${escape(path)}</code></td><td>${escape(op.summary ?? '')}</td><td>${escape(op['x-permission'] ?? '')}</td></tr>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  }
  const sections = [...byTag.entries()]
    .map(
      ([tag, rows]) =>
        `<h2>${escape(tag)}</h2><table><tr><th></th><th>path</th><th>what it does</th><th>permission</th></tr>${rows.join('')}</table>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#1f2937}table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
td,th{border-bottom:1px solid #e5e7eb;padding:.4rem .6rem;text-align:left}.m{font-weight:700;width:4rem}.get{color:#2563eb}.post{color:#059669}
.patch,.put{color:#d97706}.delete{color:#dc2626}code{font-size:13px}</style></head><body>
<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
<p>JSON over HTTPS. Sign in with <code>POST /api/v1/auth/login</code> (session cookie) or send <code>Authorization: Bearer &lt;token&gt;</code>.
Errors are <code>{ "error": { "code", "message", "details" } }</code>. Machine-readable: <a href="/api/docs/openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
${sections}</body></html>`;
}

export function apiDocsRouter(openApi: () => Record<string, unknown>): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi());
  });
  router.get('/', (_req, res) => {
    res.type('html').send(renderPage(openApi() as Parameters<typeof renderPage>[0]));
  });
  return router;
}
