import type { ChannelAdapter, ChannelCapabilities } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import type { CallProvider } from './call-provider.js';
import { createTwilioVoiceProvider } from './twilio-voice-provider.js';
import {
  checkVoiceAccount,
  voiceSecretsSchema,
  voiceSettingsSchema,
  type VoiceAccount,
  type VoiceProviderName,
  type VoiceSecrets,
  type VoiceSettings,
} from './voice-schemas.js';
import { createZadarmaProvider } from './zadarma-provider.js';

const capabilities: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonTextLength: 0,
  maxTextLength: 0,
  media: false,
  // Nothing is sent, so no rate applies; the queue still needs a positive one.
  defaultRatePerSecond: 1,
  readOnly: true,
};

/**
 * Phone calls, recorded by the company's telephony (Twilio Voice or Zadarma): every finished call
 * becomes one entry on the caller's timeline, with its recording when there is one. Calls are
 * records, so nothing is sent on this channel.
 */
export function createVoiceAdapter(options: {
  twilioApiRoot: string;
  zadarmaApiRoot: string;
}): ChannelAdapter<VoiceSettings, VoiceSecrets> {
  const providers: Record<VoiceProviderName, CallProvider> = {
    twilio: createTwilioVoiceProvider({ apiRoot: options.twilioApiRoot.replace(/\/+$/, '') }),
    zadarma: createZadarmaProvider({ apiRoot: options.zadarmaApiRoot.replace(/\/+$/, '') }),
  };
  const providerOf = (account: VoiceAccount) => providers[account.settings.provider];
  return {
    type: 'voice',
    capabilities,
    settingsSchema: voiceSettingsSchema,
    secretsSchema: voiceSecretsSchema,
    leadSource: 'call',
    checkAccount: checkVoiceAccount,
    webhookReplyFor: (account) => providerOf(account).webhookReply,
    handshake: (request, account) => providerOf(account).handshake?.(request),
    verify: (request, account) => providerOf(account).verify(request, account),
    parse: (request, account) => providerOf(account).parse(request, account),
    async send() {
      throw new SendError('permanent', 'Calls are records: nothing can be sent on a voice channel');
    },
    downloadMedia: (fileRef, account) => providerOf(account).downloadRecording(fileRef, account),
  };
}
