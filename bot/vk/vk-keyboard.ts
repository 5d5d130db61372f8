import { SendError } from '../channels/channel-errors.js';
import type { OutboundMessage } from '../channels/channel-events.js';

/**
 * Limits of an inline keyboard, one shown inside the message
 * (https://dev.vk.com/api/bots/development/keyboard): at most 10 buttons in at most 6 rows of 5,
 * labels of at most 40 characters, payloads of at most 255.
 */
export const MAX_INLINE_BUTTONS = 10;
export const MAX_LABEL_LENGTH = 40;
const MAX_ROWS = 6;
const MAX_PAYLOAD_LENGTH = 255;

interface TextButton {
  action: { type: 'text'; label: string; payload: string };
  color: 'secondary';
}

/**
 * The `keyboard` parameter of messages.send for a message's buttons: text buttons, which send their
 * label back as the person's message with the payload attached, so a tap arrives as a message_new
 * the parser turns into a button reply. One button per row while they fit in six rows, two per row
 * beyond.
 */
export function vkKeyboard(buttons: NonNullable<OutboundMessage['buttons']>): string {
  if (buttons.length > MAX_INLINE_BUTTONS) permanent(`VK shows at most ${MAX_INLINE_BUTTONS} buttons on one message`);
  const perRow = buttons.length <= MAX_ROWS ? 1 : 2;
  const rows: TextButton[][] = [];
  for (const [index, button] of buttons.entries()) {
    const payload = JSON.stringify({ button: button.id });
    if (payload.length > MAX_PAYLOAD_LENGTH) {
      permanent(
        `A VK button payload holds at most ${MAX_PAYLOAD_LENGTH} characters: the id "${button.id}" is too long`,
      );
    }
    if (index % perRow === 0) rows.push([]);
    rows[rows.length - 1]?.push({
      action: { type: 'text', label: truncate(button.text), payload },
      color: 'secondary',
    });
  }
  return JSON.stringify({ inline: true, buttons: rows });
}

/** The button id in the payload of a tapped button, when the button is one of ours. */
export function buttonIdOf(payload: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('button' in parsed)) return undefined;
  return typeof parsed.button === 'string' ? parsed.button : undefined;
}

/** Counted in code points, so an emoji is one character rather than two UTF-16 units. */
function truncate(text: string): string {
  const chars = Array.from(text.trim());
  return chars.length <= MAX_LABEL_LENGTH ? chars.join('') : `${chars.slice(0, MAX_LABEL_LENGTH - 1).join('')}…`;
}

function permanent(reason: string): never {
  throw new SendError('permanent', reason);
}
