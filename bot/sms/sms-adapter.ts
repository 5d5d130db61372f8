import type { ChannelAdapter, ChannelCapabilities } from '../channels/channel-adapter.js';
import { createSmsruProvider } from './smsru-provider.js';
import {
  checkSmsAccount,
  smsSecretsSchema,
  smsSettingsSchema,
  type SmsAccount,
  type SmsProviderName,
  type SmsSecrets,
  type SmsSettings,
} from './sms-schemas.js';
import type { SmsProvider } from './sms-provider.js';
import { smsText } from './sms-text.js';
import { createTwilioSmsProvider } from './twilio-sms-provider.js';

const capabilities: ChannelCapabilities = {
  // No buttons on SMS: choices are listed in the text.
  maxButtons: 0,
  maxButtonTextLength: 60,
  // Twilio's limit for one Message's Body; SMS.ru refuses more than 8 SMS (code 205) on its own.
  maxTextLength: 1600,
  media: false,
  // Twilio posts sent / delivered / undelivered / failed, SMS.ru its status codes, for every send.
  reportsDeliveryStatus: true,
  // One message a second is what a Twilio long code number sends
  // (https://help.twilio.com/articles/115002943027); raise ratePerSecond for a short code or SMS.ru.
  defaultRatePerSecond: 1,
  // STOP, СТОП and the words carriers act on (CANCEL, END, QUIT…).
  optOutKeywords: 'carrier',
};

/** Texts to and from a phone number, through Twilio or SMS.ru as each account says. */
export function createSmsAdapter(options: {
  twilioApiRoot: string;
  smsruApiRoot: string;
  /** PUBLIC_URL: Twilio is told per message where to post its statuses. */
  publicUrl: string;
}): ChannelAdapter<SmsSettings, SmsSecrets> {
  const providers: Record<SmsProviderName, SmsProvider> = {
    twilio: createTwilioSmsProvider({ apiRoot: options.twilioApiRoot.replace(/\/+$/, '') }),
    smsru: createSmsruProvider({ apiRoot: options.smsruApiRoot.replace(/\/+$/, '') }),
  };
  const providerOf = (account: SmsAccount) => providers[account.settings.provider];
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  return {
    type: 'sms',
    capabilities,
    settingsSchema: smsSettingsSchema,
    secretsSchema: smsSecretsSchema,
    checkAccount: checkSmsAccount,
    webhookReplyFor: (account) => providerOf(account).webhookReply,
    verify: (request, account) => providerOf(account).verify(request, account),
    parse: (request, account) => providerOf(account).parse(request, account),
    send: async (message, context, account) =>
      providerOf(account).send(smsText(message), context.chatId, account, {
        webhookUrl: `${publicUrl}/hooks/sms/${account.id}`,
      }),
    downloadMedia: (fileRef, account) => providerOf(account).downloadMedia(fileRef, account),
  };
}
