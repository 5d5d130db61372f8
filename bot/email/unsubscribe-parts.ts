import type { SendMailOptions } from 'nodemailer';

const LABEL = 'Отписаться от рассылки / Unsubscribe';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * What a marketing mail's unsubscribe link adds (OutboundMessage.unsubscribeUrl):
 * `List-Unsubscribe: <url>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, which Gmail
 * and Yandex show as their own "Unsubscribe" and answer with a POST to the URL (RFC 2369 3.2,
 * RFC 8058 3.1), and a footer link in the text part and, when there is one, the HTML part. Without
 * a URL the mail is left as it is.
 */
export function unsubscribeParts(
  parts: { text: string; html?: string },
  url: string | undefined,
): Pick<SendMailOptions, 'text' | 'html' | 'list' | 'headers'> {
  if (!url) return parts;
  const footer = `<p style="margin-top:2em;font-size:12px;color:#6b7280"><a href="${escapeHtml(url)}">${LABEL}</a></p>`;
  const html =
    parts.html &&
    (/<\/body>/i.test(parts.html) ? parts.html.replace(/<\/body>/i, `${footer}</body>`) : parts.html + footer);
  return {
    text: `${parts.text}\n\n--\n${LABEL}: ${url}`,
    ...(html ? { html } : {}),
    list: { unsubscribe: url },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
