import { SendError } from '../channels/channel-errors.js';
import type { OutboundMessage } from '../channels/channel-events.js';

/**
 * What an outbound message says as one SMS. SMS has no buttons, so choices become numbered lines
 * under the text; it has no files and no templates, which the reply path refuses before queueing.
 */
export function smsText(message: OutboundMessage): string {
  if (message.media) throw new SendError('permanent', 'SMS cannot carry files');
  const choices = (message.buttons ?? []).map((button, index) => `${index + 1}. ${button.text}`);
  const text = [message.text?.trim(), ...choices].filter(Boolean).join('\n');
  if (!text) throw new SendError('permanent', 'An SMS needs text: templates are a WhatsApp feature');
  return text;
}
