import type { Locale } from '../../../bot/webchat/visitor-payloads.js';
import { DEMO_TELEGRAM_PAGE_STYLES } from './demo-telegram-page-styles.js';
import { DEMO_TELEGRAM_PAGE_TEXTS } from './demo-telegram-page-texts.js';

export interface DemoTelegramPageOptions {
  locale: Locale;
  botName: string;
  botUsername: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * GET /demo/telegram: a small Telegram-like chat with the demo bot. The page is static; its script
 * (/demo/telegram/page.js, no inline script under the app's policy) reads the texts from a JSON
 * element and talks to /demo/telegram/api.
 */
export function renderDemoTelegramPage({ locale, botName, botUsername }: DemoTelegramPageOptions): string {
  const t = DEMO_TELEGRAM_PAGE_TEXTS[locale];
  const e = escapeHtml;
  const other: Locale = locale === 'ru' ? 'en' : 'ru';
  // JSON in a script element: only "<" could end it early, so it is escaped.
  const texts = JSON.stringify({ ...t, locale }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t.title!)}</title>
<link rel="icon" href="data:,">
<style>${DEMO_TELEGRAM_PAGE_STYLES}</style>
</head>
<body>
<header class="top">
  <a href="/demo?lang=${locale}">${e(t.back!)}</a>
  <span class="badge">${e(t.badge!)}</span>
  <a href="/">${e(t.inbox!)}</a>
  <a href="?lang=${other}" hreflang="${other}">${e(t.switchLanguage!)}</a>
</header>
<p class="intro">${e(t.intro!)}</p>
<main class="app">
  <aside class="side" aria-label="${e(t.chats!)}">
    <h2>${e(t.chats!)}</h2>
    <label class="name">${e(t.yourName!)}<input id="first-name" maxlength="64" autocomplete="given-name"></label>
    <ul id="chats" role="list"></ul>
  </aside>
  <section class="chat" aria-label="${e(botName)}">
    <div class="chat-head">
      <span class="avatar" aria-hidden="true">${e(botName.slice(0, 1))}</span>
      <div><strong>${e(botName)}</strong> <span class="muted">@${e(botUsername)} · ${e(t.bot!)}</span></div>
      <span class="muted as" id="writing-as"></span>
    </div>
    <ol id="messages" class="messages" aria-live="polite"></ol>
    <form id="composer" class="composer">
      <input id="text" name="text" maxlength="4096" autocomplete="off" placeholder="${e(t.message!)}" aria-label="${e(t.message!)}" required>
      <button type="submit">${e(t.send!)}</button>
    </form>
    <p id="error" class="error" role="alert" hidden></p>
  </section>
</main>
<script type="application/json" id="texts">${texts}</script>
<script src="/demo/telegram/page.js" defer></script>
</body>
</html>
`;
}
