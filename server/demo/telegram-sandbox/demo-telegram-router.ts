import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { createSlidingWindowLimit } from '../../../bot/webchat/sliding-window-limit.js';
import { LOCALES } from '../../../bot/webchat/visitor-payloads.js';
import type { SandboxBot } from '../../../bot/telegram/sandbox/sandbox-bot.js';
import type { ApiServices } from '../../api/api-services.js';
import { DEMO_TELEGRAM_BOT_API_PATH } from './demo-telegram.js';
import { DEMO_TELEGRAM_PAGE_SCRIPT } from './demo-telegram-page-script.js';
import { renderDemoTelegramPage } from './render-demo-telegram-page.js';

/** A Telegram user id: positive, and within what JavaScript and the Bot API carry exactly (52 bits). */
const chatIdSchema = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 52);
const pageQuerySchema = z.object({ lang: z.enum(LOCALES).catch('ru') });
const readQuerySchema = z.object({ after: z.coerce.number().int().min(0).default(0) });
const writeSchema = z.strictObject({
  text: z.string().trim().min(1).max(4096),
  /** How a new person is called in Telegram; taken from the chat when it is already known. */
  firstName: z.string().trim().min(1).max(64).optional(),
});
const tapSchema = z.strictObject({
  messageId: z.number().int().positive(),
  data: z.string().min(1).max(64),
});

/** What every visitor together may send a minute: the sandbox is a demo tool, not an open relay. */
const WRITES_PER_MINUTE = 120;

class DemoTelegramError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DemoTelegramError';
  }
}

/**
 * The demo's Telegram: `/demo/telegram/bot-api/bot<token>/<method>`, the sandbox's Bot API the demo
 * bot's adapter calls; `/demo/telegram`, a page where a visitor is a Telegram user chatting with
 * the bot, and the JSON it reads and writes (`/demo/telegram/api/…`): what they write becomes a
 * `message` update, a tapped button a `callback_query`, each delivered by the sandbox to the bot's
 * webhook like Telegram's. With the demo off there is no sandbox: everything here answers 404.
 */
export function createDemoTelegramRouter(services: () => ApiServices | undefined): Router {
  const router = Router();
  const writes = createSlidingWindowLimit(WRITES_PER_MINUTE, 60_000);

  const demoBot = (): SandboxBot => {
    const sandbox = services()?.demoTelegram?.sandbox;
    const bot = sandbox?.bots()[0];
    if (!bot)
      throw new DemoTelegramError(404, 'not_found', 'The Telegram sandbox runs only in the demo (DEMO_DATA=true)');
    return bot;
  };

  router.use('/demo/telegram', (_req, _res, next) => {
    // Everything under the path exists only while the demo is on; checked per request, as boot finishes late.
    if (!services()?.demoTelegram?.sandbox)
      return next(
        new DemoTelegramError(404, 'not_found', 'There is no demo Telegram sandbox: the demo is off (DEMO_DATA=false)'),
      );
    next();
  });

  router.use(DEMO_TELEGRAM_BOT_API_PATH, (req, res) => {
    void services()!.demoTelegram!.sandbox!.handle(req, res, req.url);
  });

  router.get('/demo/telegram', (req, res) => {
    const { lang } = pageQuerySchema.parse(req.query);
    const bot = demoBot();
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(renderDemoTelegramPage({ locale: lang, botName: bot.me.first_name, botUsername: bot.me.username }));
  });

  router.get('/demo/telegram/page.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').send(DEMO_TELEGRAM_PAGE_SCRIPT);
  });

  router.get('/demo/telegram/api/chats', (_req, res) => {
    const bot = demoBot();
    const chats = bot.chats
      .list()
      .flatMap((chat) =>
        chat.user
          ? [{ id: chat.chatId, name: [chat.user.first_name, chat.user.last_name].filter(Boolean).join(' ') }]
          : [],
      );
    res.json({ bot: { name: bot.me.first_name, username: bot.me.username }, chats });
  });

  router.get('/demo/telegram/api/chats/:chatId/messages', (req, res) => {
    const chatId = parse(chatIdSchema, req.params.chatId, 'chat id');
    const { after } = parse(readQuerySchema, req.query, 'query');
    res.json({ messages: demoBot().chats.entries(chatId, after) });
  });

  router.post('/demo/telegram/api/chats/:chatId/messages', express.json({ limit: '16kb' }), (req, res) => {
    const chatId = parse(chatIdSchema, req.params.chatId, 'chat id');
    const body = parse(writeSchema, req.body, 'message');
    const bot = demoBot();
    const known = bot.chats.userOf(chatId);
    if (!known && !body.firstName)
      throw new DemoTelegramError(400, 'first_name_required', 'A new Telegram user needs a first name');
    takeWrite(writes);
    const user = known ?? { id: chatId, first_name: body.firstName!, language_code: 'ru' };
    const { updateId, entry } = bot.userWrites(user, body.text);
    res.status(202).json({ updateId, message: entry });
  });

  router.post('/demo/telegram/api/chats/:chatId/taps', express.json({ limit: '4kb' }), (req, res) => {
    const chatId = parse(chatIdSchema, req.params.chatId, 'chat id');
    const body = parse(tapSchema, req.body, 'button tap');
    const bot = demoBot();
    const user = bot.chats.userOf(chatId);
    if (!user) throw new DemoTelegramError(404, 'unknown_chat', 'There is no such chat with the bot');
    takeWrite(writes);
    const updateId = bot.userTaps(user, body.messageId, body.data);
    if (updateId === undefined)
      throw new DemoTelegramError(404, 'unknown_button', 'The bot sent no such button in this chat');
    res.status(202).json({ updateId });
  });

  router.use('/demo/telegram', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof DemoTelegramError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    // express.json's own refusals (malformed JSON, too large) carry their status.
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 0;
    if (status >= 400 && status < 500) {
      res
        .status(status)
        .json({ error: { code: 'bad_request', message: 'The body must be JSON of the documented shape' } });
      return;
    }
    next(error);
  });

  return router;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new DemoTelegramError(400, 'invalid_input', `Invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function takeWrite(limit: ReturnType<typeof createSlidingWindowLimit>): void {
  if (limit.take() !== undefined)
    throw new DemoTelegramError(429, 'rate_limited', 'Too many messages to the demo bot; try again in a minute');
}
