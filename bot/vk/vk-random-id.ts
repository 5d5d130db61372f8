import { createHash } from 'node:crypto';

/**
 * The `random_id` of messages.send for one of our messages: VK's "unique identifier to avoid
 * resending the message" (https://dev.vk.com/method/messages.send). VK does not send again a message
 * whose random_id it already has in the dialog, so deriving it from our message id, rather than
 * drawing it, makes a resend after a lost answer or a worker crash harmless. 31 bits keep it a
 * positive int32, which every API version takes; 0 would switch the check off.
 */
export function vkRandomId(messageId: string): number {
  const value = createHash('sha256').update(`vk-message:${messageId}`, 'utf8').digest().readUInt32BE(0) & 0x7fffffff;
  return value === 0 ? 1 : value;
}
