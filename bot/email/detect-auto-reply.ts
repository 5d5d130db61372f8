/**
 * Whether a mail was written by a machine rather than a person: an out-of-office notice, an
 * autoresponder's "we got your letter". Auto-Submitted is the standard (RFC 3834 section 5: any
 * value but `no`); X-Autoreply, X-Autorespond and Precedence are what older responders write
 * (RFC 3834 section 3.1.8 lists Precedence among the marks to respect).
 */
export function isAutoReply(headers: Record<string, string>): boolean {
  const autoSubmitted = headers['auto-submitted']?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return true;
  if (headers['x-autoreply'] !== undefined || headers['x-autorespond'] !== undefined) return true;
  const precedence = headers.precedence?.trim().toLowerCase();
  return precedence === 'bulk' || precedence === 'auto_reply' || precedence === 'junk';
}
