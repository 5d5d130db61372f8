import { z } from 'zod';
import type { ChannelAccount } from '../channels/channel-adapter.js';

export const SMS_PROVIDERS = ['twilio', 'smsru'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** The non-secret fields of one SMS sender: which provider, and what texts come from. */
export const smsSettingsSchema = z
  .strictObject({
    provider: z.enum(SMS_PROVIDERS, { error: "provider is 'twilio' or 'smsru'" }),
    /** Twilio: the Account SID (AC…) from the Console's dashboard. */
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'accountSid is the Account SID from the Twilio Console: AC and 32 hex digits')
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
      if (!settings.accountSid) problem('accountSid', 'accountSid is required for a Twilio number');
      if (!settings.from)
        problem('from', 'from is required for Twilio: the number in E.164 (+7…) or an MG… service SID');
      else if (!E164.test(settings.from) && !MESSAGING_SERVICE_SID.test(settings.from)) {
        problem('from', 'from is the Twilio number in E.164 (+79123456789) or a Messaging Service SID (MG…)');
      }
    }
    if (
      settings.provider === 'smsru' &&
      settings.from &&
      !/^[A-Za-z0-9 ._-]{1,11}$|^\+?\d{1,15}$/.test(settings.from)
    ) {
      problem('from', 'from is an SMS.ru sender name: up to 11 Latin letters, digits, dots or dashes');
    }
  });
export type SmsSettings = z.infer<typeof smsSettingsSchema>;

/** The secret of whichever provider the account uses; checkSmsAccount demands the right one. */
export const smsSecretsSchema = z.strictObject({
  /** Twilio: the Auth Token, which signs every webhook (X-Twilio-Signature) and authorizes sends. */
  authToken: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{32}$/, 'authToken is the Auth Token from the Twilio Console: 32 hex digits')
    .optional(),
  /** SMS.ru: the api_id from the SMS.ru account, which authorizes sends and signs callbacks. */
  apiId: z.string().trim().min(8, 'apiId is the api_id from the SMS.ru account settings').max(100).optional(),
});
export type SmsSecrets = z.infer<typeof smsSecretsSchema>;

export type SmsAccount = ChannelAccount<SmsSettings, SmsSecrets>;

/** The secret the account's provider cannot work without. */
export function checkSmsAccount(settings: SmsSettings, secrets: SmsSecrets): { path: string; message: string }[] {
  switch (settings.provider) {
    case 'twilio':
      return secrets.authToken ? [] : [{ path: 'authToken', message: 'authToken is required for a Twilio number' }];
    case 'smsru':
      return secrets.apiId ? [] : [{ path: 'apiId', message: 'apiId is required for an SMS.ru account' }];
  }
}
