import { DEMO_PAGE_CONTENT } from './demo-page-content.js';
import { DEMO_PAGE_STYLES } from './demo-page-styles.js';
import type { Locale } from './visitor-payloads.js';

export interface DemoPageOptions {
  channelId: string;
  locale: Locale;
  /** The widget's address: what a real site would paste, here relative to the demo's own server. */
  widgetSrc: string;
  /** The demo's Telegram sandbox page, when the demo runs one. */
  telegramHref?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A house among pines, drawn inline so the demo needs no image files. */
function houseIllustration(tone: string, label: string): string {
  return `<svg viewBox="0 0 320 200" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">
  <rect width="320" height="200" fill="${tone}"/>
  <circle cx="262" cy="46" r="20" fill="#fff6d8"/>
  <path d="M0 150 Q80 128 160 146 T320 138 V200 H0z" fill="#8fb996"/>
  <path d="M30 150 l18-52 18 52z M54 152 l14-40 14 40z M262 146 l16-46 16 46z M284 148 l12-32 12 32z" fill="#3d6b4f"/>
  <path d="M96 110 L160 62 L224 110z" fill="#6b4a2f"/>
  <rect x="106" y="108" width="108" height="52" fill="#c8935c"/>
  <g stroke="#a8743f" stroke-width="2">${[116, 124, 132, 140, 148, 156].map((y) => `<line x1="106" x2="214" y1="${y}" y2="${y}"/>`).join('')}</g>
  <rect x="118" y="120" width="26" height="22" fill="#fdf3d7" stroke="#6b4a2f" stroke-width="3"/>
  <rect x="176" y="120" width="26" height="22" fill="#fdf3d7" stroke="#6b4a2f" stroke-width="3"/>
  <rect x="150" y="126" width="20" height="34" fill="#6b4a2f"/>
  <rect x="96" y="158" width="128" height="6" fill="#5a3d26"/>
</svg>`;
}

/**
 * GET /demo: a made-up builder's landing page with the widget added the way a customer adds it,
 * one script tag. Everything is server-rendered and inline; the copy is escaped on the way in.
 */
export function renderDemoPage({ channelId, locale, widgetSrc, telegramHref }: DemoPageOptions): string {
  const t = DEMO_PAGE_CONTENT[locale];
  const other: Locale = locale === 'ru' ? 'en' : 'ru';
  const e = escapeHtml;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t.title)}</title>
<link rel="icon" href="data:,">
<meta name="description" content="${e(t.description)}">
<style>${DEMO_PAGE_STYLES}</style>
</head>
<body>
<header class="top">
  <div class="wrap top-row">
    <a class="logo" href="#"><span class="logo-mark">◆</span> ${locale === 'ru' ? 'ЭкоДом' : 'EcoDom'}</a>
    <nav>${t.nav.map((item) => `<a href="#">${e(item)}</a>`).join('')}</nav>
    <div class="top-right">
      <a class="phone" href="tel:+74951204567">${e(t.phone)}</a>
      <a class="lang" href="?channel=${encodeURIComponent(channelId)}&amp;lang=${other}" hreflang="${other}" title="${e(t.switchLabel)}">${other.toUpperCase()}</a>
    </div>
  </div>
</header>
<main>
  <section class="hero">
    <div class="wrap hero-grid">
      <div>
        <p class="badge">${e(t.badge)}</p>
        <h1>${e(t.heading)}</h1>
        <p class="lead">${e(t.lead)}</p>
        <p class="actions"><a class="button" href="#">${e(t.primary)}</a><a class="button ghost" href="#">${e(t.secondary)}</a></p>
        ${telegramHref ? `<p class="telegram"><a href="${e(telegramHref)}">${e(t.telegram)}</a></p>` : ''}
        <dl class="stats">${t.stats.map(([value, label]) => `<div><dt>${e(value)}</dt><dd>${e(label)}</dd></div>`).join('')}</dl>
      </div>
      <div class="hero-art">${houseIllustration('#dbeadf', t.heading)}</div>
    </div>
  </section>
  <section class="wrap block">
    <h2>${e(t.projectsTitle)}</h2>
    <div class="cards">${t.projects
      .map(
        (project) =>
          `<article class="card">${houseIllustration(project.tone, project.name)}<div class="card-body"><h3>${e(project.name)}</h3><p>${e(project.area)}</p><p class="price">${e(project.price)}</p></div></article>`,
      )
      .join('')}</div>
  </section>
  <section class="why">
    <div class="wrap block">
      <h2>${e(t.whyTitle)}</h2>
      <div class="why-grid">${t.why.map(([title, text]) => `<div><h3>${e(title)}</h3><p>${e(text)}</p></div>`).join('')}</div>
    </div>
  </section>
  <section class="wrap block">
    <h2>${e(t.stepsTitle)}</h2>
    <ol class="steps">${t.steps.map((step) => `<li>${e(step)}</li>`).join('')}</ol>
  </section>
</main>
<footer class="foot"><div class="wrap">${e(t.footer)}</div></footer>
<script src="${e(widgetSrc)}" data-channel="${e(channelId)}" async></script>
</body>
</html>
`;
}
