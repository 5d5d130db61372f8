import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';
import type { ChannelAccount } from '../channels/channel-adapter.js';

const { say } = validationTexts;

export const VOICE_PROVIDERS = ['twilio', 'zadarma'] as const;
export type VoiceProviderName = (typeof VOICE_PROVIDERS)[number];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The non-secret fields of one telephony account: which provider, and who the extensions are. */
export const voiceSettingsSchema = z
  .strictObject({
    provider: z.enum(VOICE_PROVIDERS, { error: say('voiceProvider') }),
    /** Twilio: the Account SID (AC…) from the Console's dashboard. */
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, say('twilioAccountSid'))
      .optional(),
    /**
     * Zadarma gives call times as local wall-clock time without a zone: the zone set in the Zadarma
     * account (Settings > Time zone), Moscow by default.
     */
    timeZone: z.string().trim().refine(isTimeZone, say('voiceTimeZone')).default('Europe/Moscow'),
    /**
     * Who answers on which extension: Zadarma's PBX extension numbers (100, 101…) or Twilio Client
     * identities (`client:anna` is `anna`). A call's operator is shown as this user, and a missed call
     * that rang their extension becomes their call-back task when the contact has no owner.
     */
    operators: z
      .array(
        z.strictObject({
          extension: z.string().trim().min(1).max(100),
          userId: z.string().regex(/^[0-9a-f]{24}$/, say('voiceUserId')),
        }),
      )
      .max(500)
      .default([]),
  })
  .superRefine((settings, context) => {
    if (settings.provider === 'twilio' && !settings.accountSid) {
      context.addIssue({ code: 'custom', path: ['accountSid'], message: say('voiceTwilioSid') });
    }
  });
export type VoiceSettings = z.infer<typeof voiceSettingsSchema>;

/** The secrets of whichever provider the account uses; checkVoiceAccount demands the right ones. */
export const voiceSecretsSchema = z.strictObject({
  /** Twilio: the Auth Token, which signs every callback and fetches recordings. */
  authToken: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{32}$/, say('twilioAuthToken'))
    .optional(),
  /** Zadarma: the API key (Settings > Integrations and API > Keys and API), which asks for recordings. */
  apiKey: z.string().trim().min(8, say('zadarmaKey')).max(200).optional(),
  /** Zadarma: the API secret, which signs every notification (the Signature header). */
  apiSecret: z.string().trim().min(8, say('zadarmaSecret')).max(200).optional(),
});
export type VoiceSecrets = z.infer<typeof voiceSecretsSchema>;

export type VoiceAccount = ChannelAccount<VoiceSettings, VoiceSecrets>;

export function checkVoiceAccount(settings: VoiceSettings, secrets: VoiceSecrets): { path: string; message: string }[] {
  switch (settings.provider) {
    case 'twilio':
      return secrets.authToken ? [] : [{ path: 'authToken', message: say('voiceTwilioToken') }];
    case 'zadarma':
      return [
        ...(secrets.apiKey ? [] : [{ path: 'apiKey', message: say('zadarmaKeyRequired') }]),
        ...(secrets.apiSecret ? [] : [{ path: 'apiSecret', message: say('zadarmaSecretRequired') }]),
      ];
  }
}

/** The operator behind an extension, as the account maps it. */
export function operatorOf(settings: VoiceSettings, extension: string | undefined) {
  if (!extension) return undefined;
  const userId = settings.operators.find((operator) => operator.extension === extension)?.userId;
  return { extension, ...(userId ? { userId } : {}) };
}
