import { z } from 'zod';
import type { SendContext, SendResult } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import type { OutboundMessage } from '../channels/channel-events.js';
import { callGraphApi, type GraphTarget } from './call-graph-api.js';
import { toWhatsappSendError } from './to-whatsapp-send-error.js';
import { uploadWhatsappMedia } from './upload-whatsapp-media.js';
import { whatsappMessageBodies, type WhatsappMessageBody } from './whatsapp-message-bodies.js';

const sendResponseSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

/**
 * Sends one outbound message through the Cloud API, uploading its file first. Any failure comes out
 * as a classified SendError.
 */
export async function sendWhatsappMessage(
  target: GraphTarget,
  phoneNumberId: string,
  message: OutboundMessage,
  context: SendContext,
): Promise<SendResult> {
  try {
    const bodies = await whatsappMessageBodies(message, async (media) =>
      uploadWhatsappMedia(target, phoneNumberId, media, await context.openFile(media)),
    );
    let externalMessageId = '';
    // When a message takes two WhatsApp messages, the last one is what the person answers, so its
    // id is the one whose statuses the inbox follows.
    for (const body of bodies) {
      externalMessageId = await postMessage(target, phoneNumberId, context.chatId, body);
    }
    return { externalMessageId };
  } catch (error) {
    throw toWhatsappSendError(error);
  }
}

async function postMessage(
  target: GraphTarget,
  phoneNumberId: string,
  chatId: string,
  body: WhatsappMessageBody,
): Promise<string> {
  const response = await callGraphApi(`${target.graphUrl}/${phoneNumberId}/messages`, target.accessToken, {
    method: 'POST',
    json: true,
    body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: chatId, ...body }),
  });
  const answer = sendResponseSchema.safeParse(await response.json().catch(() => undefined));
  // Meta accepted the request, so the message may well be on its way: retrying could send it twice.
  if (!answer.success) throw new SendError('permanent', 'WhatsApp accepted the message but returned no message id');
  return answer.data.messages[0]?.id ?? '';
}
