import type { ChannelAccount, ChannelAdapter, ChannelCapabilities, WebhookReply } from '../channels/channel-adapter.js';
import { answerVkConfirmation } from './answer-vk-confirmation.js';
import { downloadVkMedia } from './download-vk-media.js';
import { parseVkCallback } from './parse-vk-callback.js';
import { MAX_TEXT_LENGTH, sendVkMessage } from './send-vk-message.js';
import { verifyVkSecret } from './verify-vk-secret.js';
import { MAX_INLINE_BUTTONS, MAX_LABEL_LENGTH } from './vk-keyboard.js';
import { vkSecretsSchema, vkSettingsSchema, type VkSecrets, type VkSettings } from './vk-schemas.js';

export type VkAccount = ChannelAccount<VkSettings, VkSecrets>;

const capabilities: ChannelCapabilities = {
  // An inline keyboard: at most 10 buttons, labels of at most 40 characters.
  maxButtons: MAX_INLINE_BUTTONS,
  maxButtonTextLength: MAX_LABEL_LENGTH,
  maxTextLength: MAX_TEXT_LENGTH,
  media: true,
  // A community token may make 20 API calls a second (https://dev.vk.com/api/api-requests).
  defaultRatePerSecond: 20,
  optOutKeywords: 'chat',
  // VK reports no delivery statuses to the community: a sent message stays `sent`.
};

const VK_WEBHOOK_REPLY: WebhookReply = { contentType: 'text/plain', body: 'ok' };

/** VK community messages: Callback API events in, API methods out, one community per account. */
export function createVkAdapter(options: { apiRoot: string }): ChannelAdapter<VkSettings, VkSecrets> {
  const apiRoot = options.apiRoot.replace(/\/+$/, '');
  return {
    type: 'vk',
    capabilities,
    settingsSchema: vkSettingsSchema,
    secretsSchema: vkSecretsSchema,
    // Whatever the event, VK counts a delivery as done only when the body is exactly `ok`.
    webhookReplyFor: () => VK_WEBHOOK_REPLY,
    handshake: (request, account) => answerVkConfirmation(request, account.settings, account.secrets),
    verify: (request, account) => verifyVkSecret(request, account.secrets.secretKey),
    parse: (request, account) => parseVkCallback(request.rawBody, account.settings.groupId),
    send: (message, context, account) =>
      sendVkMessage({ apiRoot, accessToken: account.secrets.accessToken }, message, context),
    downloadMedia: (fileRef) => downloadVkMedia(apiRoot, fileRef),
  };
}
