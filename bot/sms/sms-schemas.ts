import { z } from 'zod';
import { validationTexts } from '../../server/api/validation-texts.js';
import type { ChannelAccount } from '../channels/channel-adapter.js';

const { say } = validationTexts;

export const SMS_PROVIDERS = ['twilio', 'smsru'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** The non-secret fields of one SMS sender: which provider, and what texts come from. */
export const smsSettingsSchema = z
  .strictObject({
    provider: z.enum(SMS_PROVIDERS, { error: say('smsProvider') }),
    /** Twilio: the Account SID (AC…) from the Console's dashboard. */
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, say('twilioAccountSid'))
      .optional(),
    /**
     * Twilio: the number texts come from in E.164 (+7…, +1…) or a Messaging Service SID (MG…).
     * SMS.ru: a sender name approved in the SMS.ru account; its default sender when absent.
     */
    from: z.string().trim().min(1).max(40).optional(),
  })
  .superRefine((settings, context) => {
    const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
    if (settings.provider === 'twilio') {
      if (!settings.accountSid) problem('accountSid', say('smsTwilioSid'));
      if (!settings.from) problem('from', say('smsTwilioFromRequired'));
      else if (!E164.test(settings.from) && !MESSAGING_SERVICE_SID.test(settings.from)) {
        problem('from', say('smsTwilioFrom'));
      }
    }
    if (
      settings.provider === 'smsru' &&
      settings.from &&
      !/^[A-Za-z0-9 ._-]{1,11}$|^\+?\d{1,15}$/.test(settings.from)
    ) {
      problem('from', say('smsRuFrom'));
    }
  });
export type SmsSettings = z.infer<typeof smsSettingsSchema>;

/** The secret of whichever provider the account uses; checkSmsAccount demands the right one. */
export const smsSecretsSchema = z.strictObject({
  /** Twilio: the Auth Token, which signs every webhook (X-Twilio-Signature) and authorizes sends. */
  authToken: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{32}$/, say('twilioAuthToken'))
    .optional(),
  /** SMS.ru: the api_id from the SMS.ru account, which authorizes sends and signs callbacks. */
  apiId: z.string().trim().min(8, say('smsRuApiId')).max(100).optional(),
});
export type SmsSecrets = z.infer<typeof smsSecretsSchema>;

export type SmsAccount = ChannelAccount<SmsSettings, SmsSecrets>;

/** The secret the account's provider cannot work without. */
export function checkSmsAccount(settings: SmsSettings, secrets: SmsSecrets): { path: string; message: string }[] {
  switch (settings.provider) {
    case 'twilio':
      return secrets.authToken ? [] : [{ path: 'authToken', message: say('smsTwilioToken') }];
    case 'smsru':
      return secrets.apiId ? [] : [{ path: 'apiId', message: say('smsRuApiIdRequired') }];
  }
}
