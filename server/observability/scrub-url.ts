const CENSOR = '[redacted]';

/** Query parameters that carry a credential, e.g. WhatsApp's `hub.verify_token`, an `access_token`. */
const SECRET_PARAM = /token|secret|password|passwd|signature|api[-_]?key|^key$|^sig$|^code$/i;

/**
 * Path parts that are a credential or a capability: an unsubscribe link's token (/u/:token), a
 * broadcast's tracked link (/l/:code, it names one recipient), a
 * signed file link's signature (/files/:id/:expires/:signature), and the bot token Telegram's Bot
 * API puts in its paths (/bot<token>/<method>, https://core.telegram.org/bots/api#making-requests).
 * The part that names the thing stays.
 */
const CAPABILITY_PATHS: [RegExp, string][] = [
  [/^(\/u\/)[^/?#]+/, `$1${CENSOR}`],
  [/^(\/l\/)[^/?#]+/, `$1${CENSOR}`],
  [/^(\/files\/[^/?#]+\/[^/?#]+\/)[^/?#]+/, `$1${CENSOR}`],
  [/\/bot\d+:[\w-]+/g, `/bot${CENSOR}`],
];

/**
 * A URL (absolute, or a request's path and query) fit for a log line: credentials in the query,
 * in the user-info part and in capability paths replaced by "[redacted]". Anything else is kept,
 * so the line still says which endpoint was called.
 */
export function scrubUrl(url: string): string {
  const match = /^(?<base>[^?#]*)(?<query>\?[^#]*)?(?<hash>#.*)?$/.exec(url);
  if (!match?.groups) return CENSOR;
  let base = match.groups.base ?? '';
  // The user-info part of an absolute URL: scheme://user:password@host.
  base = base.replace(/^([a-z][a-z\d+.-]*:\/\/[^/@:]*:)[^/@]*@/i, `$1${CENSOR}@`);
  const path = /^[a-z][a-z\d+.-]*:\/\/[^/]*/i.exec(base)?.[0] ?? '';
  let pathname = base.slice(path.length);
  for (const [pattern, replacement] of CAPABILITY_PATHS) pathname = pathname.replace(pattern, replacement);
  const query = match.groups.query
    ?.slice(1)
    .split('&')
    .map((pair) => {
      const [name = '', ...value] = pair.split('=');
      return value.length > 0 && SECRET_PARAM.test(safeDecode(name)) ? `${name}=${CENSOR}` : pair;
    })
    .join('&');
  return `${path}${pathname}${query === undefined ? '' : `?${query}`}${match.groups.hash ? '#…' : ''}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
