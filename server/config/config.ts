import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { scrubUrl } from '../observability/scrub-url.js';
import { PROJECT_ROOT } from '../paths.js';

/**
 * Every setting the server reads, from the environment (and `.env` when present). The README's
 * configuration table lists the same variables; keep them together.
 */
const port = (fallback: number) => {
  const message = 'must be a whole number from 1 to 65535';
  return z.coerce.number({ error: message }).int(message).min(1, message).max(65535, message).default(fallback);
};

const urlWithScheme = (schemes: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol.replace(':', ''));
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    );

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port(3000),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).optional()),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  MONGODB_URI: z.preprocess(emptyAsUndefined, urlWithScheme(['mongodb', 'mongodb+srv']).optional()),
  REDIS_URL: z.preprocess(emptyAsUndefined, urlWithScheme(['redis', 'rediss']).optional()),
  TRUST_PROXY: z.string().trim().min(1).default('loopback'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000')
    .max(120_000, 'must be at most 120000')
    .default(10_000),
  // Against a disloyal employee copying the base: contact cards one user may read in an hour
  // before admins get an alert, and whether the alert also deactivates the account.
  READ_BURST_LIMIT: z.coerce
    .number({ error: 'must be a number of contact cards' })
    .int('must be a whole number of contact cards')
    .min(1, 'must be at least 1')
    .default(500),
  // Auto-assignment gives an operator new conversations only while they have fewer open ones than this.
  INBOX_OPERATOR_CAPACITY: z.coerce
    .number({ error: 'must be a number of conversations' })
    .int('must be a whole number of conversations')
    .min(1, 'must be at least 1')
    .default(10),
  // The marketing frequency cap: a contact gets at most this many broadcast messages in
  // BROADCAST_CAP_DAYS days; a broadcast skips them beyond it.
  BROADCAST_CAP: z.coerce
    .number({ error: 'must be a number of messages' })
    .int('must be a whole number of messages')
    .min(1, 'must be at least 1')
    .default(2),
  BROADCAST_CAP_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .default(7),
  // Channels whose clients are asked to rate a conversation when a person resolves it (CSAT), comma-separated; empty turns it off.
  CSAT_CHANNELS: z
    .string()
    .default('webchat,telegram')
    .transform((value) =>
      value
        .split(',')
        .map((channel) => channel.trim())
        .filter(Boolean),
    ),
  READ_BURST_LOCK: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  // 32 random bytes, base64: encrypts channel tokens and app secrets at rest. Without it a key is
  // generated once under DATA_DIR (fine on one machine; several app processes must share one).
  CHANNEL_SECRETS_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .refine(
        (value) => Buffer.from(value, 'base64').length === 32,
        'must be 32 random bytes in base64 (openssl rand -base64 32)',
      )
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(
    emptyAsUndefined,
    urlWithScheme(['http', 'https']).default('https://api.telegram.org'),
  ),
  WHATSAPP_GRAPH_URL: z.preprocess(
    emptyAsUndefined,
    urlWithScheme(['http', 'https']).default('https://graph.facebook.com/v21.0'),
  ),
  // Where VK API methods are called: <root>/<method>, e.g. https://api.vk.com/method/messages.send.
  VK_API_ROOT: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).default('https://api.vk.com/method')),
  // Where the SMS and call providers are called: Twilio's REST API (messages, recordings), SMS.ru's
  // HTTP API (sms/send) and Zadarma's API (recording links); a local stand-in in tests.
  TWILIO_API_ROOT: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).default('https://api.twilio.com')),
  SMSRU_API_ROOT: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).default('https://sms.ru')),
  ZADARMA_API_ROOT: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).default('https://api.zadarma.com')),
  // The bot's language model: any OpenAI-compatible chat completions API. Without a key the bot
  // reads messages with its offline Russian/English extractor and answers from the knowledge base
  // by full-text search; a slow or broken model falls back to the same after OPENAI_TIMEOUT_MS.
  OPENAI_API_KEY: z.preprocess(emptyAsUndefined, z.string().trim().min(1).optional()),
  OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).optional()),
  OPENAI_MODEL: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('gpt-4o-mini')),
  OPENAI_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(500, 'must be at least 500')
    .max(120_000, 'must be at most 120000')
    .default(8000),
  // Where received and uploaded files are kept (default DATA_DIR/files); every app and worker
  // process of one installation must see the same folder.
  FILES_DIR: z.preprocess(emptyAsUndefined, z.string().trim().min(1).optional()),
  FILES_MAX_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .min(1024, 'must be at least 1024')
    .default(25 * 1024 * 1024),
  // With S3_BUCKET the files are kept in an S3-compatible bucket (AWS S3, MinIO, Yandex Object
  // Storage, Selectel) instead of FILES_DIR; the combinations are checked after the object.
  S3_BUCKET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/,
        'must be the name of the bucket alone, not a URL (letters, digits, dots, hyphens, underscores)',
      )
      .optional(),
  ),
  // e.g. http://127.0.0.1:9000 (MinIO), https://storage.yandexcloud.net; AWS's own when unset.
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, urlWithScheme(['http', 'https']).optional()),
  S3_REGION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^[a-z0-9-]+$/, 'must be a region name such as us-east-1 or ru-central1')
      .default('us-east-1'),
  ),
  S3_ACCESS_KEY_ID: z.preprocess(emptyAsUndefined, z.string().trim().min(1).optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().trim().min(1).optional()),
  // MinIO and other servers without a host name per bucket need endpoint/bucket/key URLs.
  S3_FORCE_PATH_STYLE: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  ),
  // An environment variable is text: only the two literal spellings, so 'false' never reads as true.
  DEMO_DATA: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
});

type RawConfig = z.infer<typeof configSchema>;

/**
 * Settings that only make sense together, checked after each one on its own (zod still runs this
 * when a single setting is wrong, so every problem is reported at once).
 */
const checkedConfigSchema = configSchema.superRefine((config, context) => {
  const problem = (name: string, message: string) => context.addIssue({ code: 'custom', path: [name], message });
  if (config.S3_BUCKET) {
    if (!config.S3_ACCESS_KEY_ID) problem('S3_ACCESS_KEY_ID', 'must be set when S3_BUCKET is set');
    if (!config.S3_SECRET_ACCESS_KEY) problem('S3_SECRET_ACCESS_KEY', 'must be set when S3_BUCKET is set');
    if (config.FILES_DIR) problem('FILES_DIR', 'must be unset when S3_BUCKET is set: files are kept in the bucket');
    return;
  }
  // Bucket settings without a bucket mean someone expects S3 while files would stay on local disk.
  const orphans = Object.entries({
    S3_ENDPOINT: config.S3_ENDPOINT,
    S3_ACCESS_KEY_ID: config.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: config.S3_SECRET_ACCESS_KEY,
    S3_FORCE_PATH_STYLE: config.S3_FORCE_PATH_STYLE || undefined,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (orphans.length > 0) {
    problem('S3_BUCKET', `must be set when ${orphans.join(', ')} ${orphans.length === 1 ? 'is' : 'are'} set`);
  }
});

export interface Config extends RawConfig {
  /** Where the app is opened, for messages and links. */
  publicUrl: string;
  /** DATA_DIR made absolute; the embedded store and a managed Redis keep their files under it. */
  dataDir: string;
  runsWeb: boolean;
  runsWorkers: boolean;
}

/** A user's configuration mistake: reported as one message, without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` from the project folder into process.env, without overriding what is set. */
export function loadDotEnv(file = join(PROJECT_ROOT, '.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Variables whose value is a credential (CHANNEL_SECRETS_KEY, METRICS_TOKEN, OPENAI_API_KEY, …). */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|_KEY$/;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const given = env[name];
        // The message goes to the terminal and the logs: a secret's value is not repeated there.
        const shown = given === undefined ? '' : SECRET_NAME.test(name) ? ' (value hidden)' : ` = '${scrubUrl(given)}'`;
        return `${name}${shown}: ${issue.message}`;
      }),
    );
  }
  const raw = parsed.data;
  const browserHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(raw.HOST) ? 'localhost' : raw.HOST;
  return {
    ...raw,
    publicUrl: raw.PUBLIC_URL ?? `http://${browserHost}:${raw.PORT}`,
    dataDir: isAbsolute(raw.DATA_DIR) ? raw.DATA_DIR : resolve(PROJECT_ROOT, raw.DATA_DIR),
    runsWeb: raw.ROLE !== 'worker',
    runsWorkers: raw.ROLE !== 'web',
  };
}
