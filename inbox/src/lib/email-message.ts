/** An e-mail as the messages API lists it (`content.kind === 'email'`). */
export interface EmailContentView {
  kind: 'email';
  subject: string;
  /** The new words of the mail, without quoted history and signature. */
  text: string;
  from: { address: string; name?: string };
  to: { address: string; name?: string }[];
  cc: { address: string; name?: string }[];
  /** Set by autoresponders (out-of-office): not an answer from the person. */
  autoReply?: boolean;
  attachments: { kind: string; state: string; fileName?: string; mimeType?: string; size?: number; url?: string }[];
  /** There is more than `text`: the whole text or an HTML version. */
  full: boolean;
}

/** The whole mail, read on "show full message". `html` is sanitised by the server. */
export interface EmailBody {
  subject: string;
  text: string;
  html?: string;
}

/** Reads the whole mail of a message from the API. */
export async function fetchEmailBody(conversationId: string, messageId: string): Promise<EmailBody> {
  const response = await fetch(`/api/v1/conversations/${conversationId}/messages/${messageId}/email`, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`The mail could not be read: ${response.status}`);
  return (await response.json()) as EmailBody;
}

/**
 * The document a mail's HTML is shown in: an iframe with `sandbox` and no `allow-scripts` runs
 * no script and cannot reach the inbox, and this policy blocks every remote load (tracking
 * pixels, fonts, style sheets) on top of the server's sanitising. Links open in a new tab.
 */
export function emailDocument(html: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<base target="_blank">',
    '<style>body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#111827;word-wrap:break-word}img{max-width:100%;height:auto}</style>',
    '</head><body>',
    html,
    '</body></html>',
  ].join('');
}
