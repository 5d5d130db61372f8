import type { ChannelAdapter, ChannelCapabilities } from '../channels/channel-adapter.js';
import { answerWhatsappHandshake } from './answer-whatsapp-handshake.js';
import { downloadWhatsappMedia } from './download-whatsapp-media.js';
import { parseWhatsappWebhook } from './parse-whatsapp-webhook.js';
import { sendWhatsappMessage } from './send-whatsapp-message.js';
import { verifyWhatsappSignature } from './verify-whatsapp-signature.js';
import {
  whatsappSecretsSchema,
  whatsappSettingsSchema,
  type WhatsappSecrets,
  type WhatsappSettings,
} from './whatsapp-schemas.js';

const capabilities: ChannelCapabilities = {
  // Three reply buttons, or up to ten as a list message.
  maxButtons: 10,
  // Reply-button titles; list rows allow 24, so 20 fits both.
  maxButtonTextLength: 20,
  maxTextLength: 4096,
  media: true,
  // Outside 24 hours since the person's last message only templates are delivered.
  serviceWindowHours: 24,
  // Meta posts sent / delivered / read / failed for every message we send.
  reportsDeliveryStatus: true,
  // Cloud API throughput per business number by default
  // (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput).
  defaultRatePerSecond: 80,
  // STOP, СТОП…: Meta requires honouring a person's opt-out of business messages
  // (https://developers.facebook.com/docs/whatsapp/overview/getting-opt-in).
  optOutKeywords: 'chat',
  // No perChatIntervalMs: the pair rate limit (about one message per 6 seconds to one person) lets
  // short bursts through, which is what a bot's run of replies is; a 131056 is retried after 6 s.
};

/** The WhatsApp Cloud API channel, one business number per account. */
export function createWhatsappAdapter(options: {
  graphUrl: string;
}): ChannelAdapter<WhatsappSettings, WhatsappSecrets> {
  const graphUrl = options.graphUrl.replace(/\/+$/, '');
  return {
    type: 'whatsapp',
    capabilities,
    settingsSchema: whatsappSettingsSchema,
    secretsSchema: whatsappSecretsSchema,
    handshake: (request, account) => answerWhatsappHandshake(request, account.secrets.verifyToken),
    verify: (request, account) => verifyWhatsappSignature(request, account.secrets.appSecret),
    parse: (request, account) => parseWhatsappWebhook(request.rawBody, account.settings.phoneNumberId),
    send: (message, context, account) =>
      sendWhatsappMessage(
        { graphUrl, accessToken: account.secrets.accessToken },
        account.settings.phoneNumberId,
        message,
        context,
      ),
    downloadMedia: (fileRef, account) =>
      downloadWhatsappMedia({ graphUrl, accessToken: account.secrets.accessToken }, fileRef),
  };
}
