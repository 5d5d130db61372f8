import { errorText } from '../error-text';
import { translate, type MessageKey } from '../i18n.svelte';
import type { SendResult } from '../send-json';

type Failure = Extract<SendResult<unknown>, { ok: false }>;

/** The refusals only the segment and broadcast routes give, by code (server/broadcasts/launch-broadcast.ts…). */
const BY_CODE: Record<string, MessageKey> = {
  whatsapp_template_required: 'broadcasts.error.whatsappTemplate',
  segment_gone: 'broadcasts.error.segmentGone',
  segment_not_found: 'broadcasts.error.segmentGone',
  no_channel_account: 'broadcasts.error.noAccount',
  account_not_found: 'broadcasts.error.noAccount',
  media_gone: 'broadcasts.error.mediaGone',
};

function outsideWindow(details: unknown): number {
  const count = (details as { outsideWindow?: unknown } | undefined)?.outsideWindow;
  return typeof count === 'number' ? count : 0;
}

/**
 * A refused segment or broadcast request in the marketer's language: the campaign codes here, the
 * rest as every form words them (errorText). A refused form lists the fields the server named,
 * so "check the fields" says which.
 */
export function campaignErrorText(failure: Failure, fallback: MessageKey): string {
  const known = failure.code ? BY_CODE[failure.code] : undefined;
  if (known) return translate(known, { count: outsideWindow(failure.details) });
  const text = errorText(failure, fallback);
  const fields = Object.entries(failure.fields).map(([path, message]) => `${path}: ${message}`);
  return fields.length ? `${text} (${fields.slice(0, 3).join('; ')})` : text;
}
