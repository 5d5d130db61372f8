import { z } from 'zod';
import type { SendContext, SendResult } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import type { OutboundMessage } from '../channels/channel-events.js';
import { callVkApi, type VkTarget } from './call-vk-api.js';
import { toVkSendError } from './to-vk-send-error.js';
import { uploadVkMedia } from './upload-vk-media.js';
import { vkKeyboard } from './vk-keyboard.js';
import { vkRandomId } from './vk-random-id.js';

/** messages.send takes a text of up to 9000 characters (https://dev.vk.com/method/messages.send); more is error 914. */
export const MAX_TEXT_LENGTH = 9000;

/**
 * Sends one outbound message with messages.send: text, a file uploaded first and attached, and
 * buttons as an inline keyboard all go in one VK message. Any failure comes out as a classified
 * SendError.
 */
export async function sendVkMessage(
  target: VkTarget,
  message: OutboundMessage,
  context: SendContext,
): Promise<SendResult> {
  try {
    if (message.template) permanent('VK has no message templates: the message needs text or a file');
    const text = message.text?.trim() ? message.text : undefined;
    if (text && text.length > MAX_TEXT_LENGTH) permanent(`VK text is at most ${MAX_TEXT_LENGTH} characters`);
    // Built before any upload, so a message VK would refuse uploads nothing.
    const keyboard = message.buttons?.length ? vkKeyboard(message.buttons) : undefined;
    if (!text && !message.media) permanent('The message has nothing VK can send');
    const upload = message.media
      ? await uploadVkMedia(target, context.chatId, message.media, await context.openFile(message.media))
      : undefined;
    const answer = await callVkApi(target, 'messages.send', {
      peer_id: context.chatId,
      random_id: vkRandomId(context.messageId),
      message: text,
      attachment: upload?.attachment,
      keyboard,
    });
    const id = z.number().int().nonnegative().safeParse(answer);
    // VK accepted the request, so the message may well be on its way: retrying could send it twice.
    if (!id.success) permanent('VK accepted the message but returned no message id');
    return { externalMessageId: String(id.data) };
  } catch (error) {
    throw toVkSendError(error);
  }
}

function permanent(reason: string): never {
  throw new SendError('permanent', reason);
}
