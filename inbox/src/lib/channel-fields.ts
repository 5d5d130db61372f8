/**
 * The fields of each channel type's account, as the adapters' schemas take them
 * (bot/<type>/<type>-schemas.ts, bot/webchat/webchat-settings.ts). `secret` fields are write-only:
 * the API shows them by their last characters, and on an edit an empty one keeps its value.
 */
export type ChannelFieldKind = 'text' | 'secret' | 'number' | 'checkbox' | 'select' | 'lines';

/** Every field name of every type, so each has its label (`settings.channelField.<name>`). */
export type ChannelFieldName =
  | 'allowedOrigins'
  | 'title'
  | 'color'
  | 'greeting.ru'
  | 'greeting.en'
  | 'token'
  | 'botUsername'
  | 'mode'
  | 'webhookSecret'
  | 'phoneNumberId'
  | 'businessAccountId'
  | 'accessToken'
  | 'appSecret'
  | 'verifyToken'
  | 'groupId'
  | 'confirmationCode'
  | 'secretKey'
  | 'provider'
  | 'from'
  | 'accountSid'
  | 'authToken'
  | 'apiId'
  | 'timeZone'
  | 'apiKey'
  | 'apiSecret'
  | 'address'
  | 'username'
  | 'password'
  | 'imapHost'
  | 'imapPort'
  | 'imapSecure'
  | 'smtpHost'
  | 'smtpPort'
  | 'smtpSecure'
  | 'mailbox';

export interface ChannelField {
  /** The request's key; `greeting.ru` is the `ru` of the `greeting` object. */
  name: ChannelFieldName;
  kind: ChannelFieldKind;
  required?: boolean;
  options?: readonly string[];
  /** What a new account starts with. */
  initial?: string | boolean;
  placeholder?: string;
}

export const CHANNEL_FORM_TYPES = ['webchat', 'telegram', 'whatsapp', 'vk', 'sms', 'voice', 'email'] as const;
export type ChannelFormType = (typeof CHANNEL_FORM_TYPES)[number];

export const CHANNEL_FIELDS: Record<ChannelFormType, readonly ChannelField[]> = {
  webchat: [
    { name: 'allowedOrigins', kind: 'lines', required: true, placeholder: 'https://example.ru' },
    { name: 'title', kind: 'text' },
    { name: 'color', kind: 'text', placeholder: '#1f6feb' },
    { name: 'greeting.ru', kind: 'text' },
    { name: 'greeting.en', kind: 'text' },
  ],
  telegram: [
    { name: 'token', kind: 'secret', required: true, placeholder: '123456789:AAH…' },
    { name: 'botUsername', kind: 'text', placeholder: 'ecodom_bot' },
    { name: 'mode', kind: 'select', options: ['webhook', 'polling'], initial: 'webhook' },
    { name: 'webhookSecret', kind: 'secret' },
  ],
  whatsapp: [
    { name: 'phoneNumberId', kind: 'text', required: true },
    { name: 'businessAccountId', kind: 'text' },
    { name: 'accessToken', kind: 'secret', required: true },
    { name: 'appSecret', kind: 'secret', required: true },
    { name: 'verifyToken', kind: 'secret', required: true },
  ],
  vk: [
    { name: 'groupId', kind: 'text', required: true, placeholder: 'club123456' },
    { name: 'confirmationCode', kind: 'text', required: true },
    { name: 'accessToken', kind: 'secret', required: true },
    { name: 'secretKey', kind: 'secret', required: true },
  ],
  sms: [
    { name: 'provider', kind: 'select', options: ['twilio', 'smsru'], required: true, initial: 'smsru' },
    { name: 'from', kind: 'text' },
    { name: 'accountSid', kind: 'text' },
    { name: 'authToken', kind: 'secret' },
    { name: 'apiId', kind: 'secret' },
  ],
  voice: [
    { name: 'provider', kind: 'select', options: ['twilio', 'zadarma'], required: true, initial: 'zadarma' },
    { name: 'timeZone', kind: 'text', placeholder: 'Europe/Moscow' },
    { name: 'accountSid', kind: 'text' },
    { name: 'authToken', kind: 'secret' },
    { name: 'apiKey', kind: 'secret' },
    { name: 'apiSecret', kind: 'secret' },
  ],
  email: [
    { name: 'address', kind: 'text', required: true, placeholder: 'sales@example.ru' },
    { name: 'username', kind: 'text', required: true },
    { name: 'password', kind: 'secret', required: true },
    { name: 'imapHost', kind: 'text', required: true, placeholder: 'imap.example.ru' },
    { name: 'imapPort', kind: 'number', initial: '993' },
    { name: 'imapSecure', kind: 'checkbox', initial: true },
    { name: 'smtpHost', kind: 'text', required: true, placeholder: 'smtp.example.ru' },
    { name: 'smtpPort', kind: 'number', initial: '465' },
    { name: 'smtpSecure', kind: 'checkbox', initial: true },
    { name: 'mailbox', kind: 'text', initial: 'INBOX' },
  ],
};

export function isChannelFormType(type: string): type is ChannelFormType {
  return CHANNEL_FORM_TYPES.some((known) => known === type);
}

export type ChannelValues = Record<string, string | boolean>;

/** A form's starting values: a new account's defaults, or what an existing one has (secrets stay empty). */
export function channelFormValues(type: ChannelFormType, settings?: Record<string, unknown>): ChannelValues {
  const values: ChannelValues = {};
  for (const field of CHANNEL_FIELDS[type]) {
    const [head = '', sub] = field.name.split('.');
    const stored = sub ? (settings?.[head] as Record<string, unknown> | undefined)?.[sub] : settings?.[head];
    if (field.kind === 'secret') values[field.name] = '';
    else if (field.kind === 'checkbox')
      values[field.name] = typeof stored === 'boolean' ? stored : field.initial === true;
    else if (Array.isArray(stored)) values[field.name] = stored.join('\n');
    else if (stored !== undefined && stored !== null) values[field.name] = String(stored);
    else values[field.name] = typeof field.initial === 'string' ? field.initial : '';
  }
  return values;
}

/**
 * The request body of `POST /channels` (creating) or `PATCH /channels/:id` (editing) from the
 * form's values: lines become lists, numbers numbers, `a.b` nests; empty fields are left out,
 * so an edit keeps a secret nobody retyped.
 */
export function channelRequestBody(
  type: ChannelFormType,
  common: { name: string; teamIds: string[] },
  values: ChannelValues,
  creating: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...(creating ? { type } : {}),
    name: common.name.trim(),
    teamIds: common.teamIds,
  };
  for (const field of CHANNEL_FIELDS[type]) {
    const value = values[field.name];
    let converted: unknown;
    if (field.kind === 'checkbox') converted = value === true;
    else if (typeof value !== 'string' || !value.trim()) continue;
    else if (field.kind === 'lines')
      converted = value
        .split(/[\n,]/)
        .map((line) => line.trim())
        .filter(Boolean);
    else if (field.kind === 'number') converted = Number(value.trim());
    else converted = value.trim();
    const [head = '', sub] = field.name.split('.');
    if (sub) body[head] = { ...(body[head] as Record<string, unknown> | undefined), [sub]: converted };
    else body[head] = converted;
  }
  return body;
}

/** The fields a new account still misses, by name: checked before the request, the server checks again. */
export function missingChannelFields(type: ChannelFormType, values: ChannelValues, creating: boolean): string[] {
  return CHANNEL_FIELDS[type]
    .filter((field) => field.required && (creating || field.kind !== 'secret'))
    .filter((field) => {
      const value = values[field.name];
      return typeof value === 'string' && !value.trim();
    })
    .map((field) => field.name);
}
