import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { BusinessHours } from '../../flows/schema/workspace-schema.js';
import { contactModels, type ContactRecord } from '../../server/contacts/contact-models.js';
import { dealModel, type DealRecord } from '../../server/deals/deal-model.js';
import { FLOW_WORKSPACE_ID, flowWorkspaceModel } from '../../server/flows/flow-workspace-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { conversationModel, type ConversationRecord } from '../../server/messaging/conversation-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import type { SentRecord } from '../channels/adapter-fixture.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * The running app with a flow template installed (the window maker's unless named) and a Telegram bot connected to
 * the Bot API stand-in: what the front-door bot's dialogue tests share. `env` adds configuration
 * (the OpenAI stand-in's address, a WhatsApp Graph URL).
 */
export interface FrontDoorApp {
  api: TestApi;
  telegram: TelegramBotApiStandIn;
  bot: { id: string; secret: string };
  /** The team whose conversations the bot's chats are (auto-assignment picks from its members). */
  teamId: string;
  close(): Promise<void>;
}

export async function startFrontDoorApp(
  env: Record<string, string> = {},
  options: { template?: string } = {},
): Promise<FrontDoorApp> {
  const telegram = await startTelegramBotApi();
  // A Redis database of the suite's own, so another suite's app never takes this one's jobs.
  const api = await startTestApi({
    env: { TELEGRAM_API_ROOT: telegram.apiRoot, REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`, ...env },
  });
  await installFlowTemplate(api.db, pino({ level: 'silent' }), options.template);
  const admin = await api.as('admin');
  const team = await admin.post('/teams', { name: `Команда ${randomBytes(4).toString('hex')}` });
  expect(team.status).toBe(201);
  const secret = randomBytes(18).toString('base64url');
  const created = await admin.post('/channels', {
    type: 'telegram',
    name: `Bot ${randomBytes(3).toString('hex')}`,
    token: telegram.token,
    webhookSecret: secret,
    teamIds: [team.body.id],
  });
  expect(created.status).toBe(201);
  return {
    api,
    telegram,
    bot: { id: created.body.id, secret },
    teamId: team.body.id,
    async close() {
      await api.close();
      await telegram.close();
    },
  };
}

/** Sets the workspace's business hours (the handoff reads them): open around the clock, or never today. */
export async function setBusinessHours(api: TestApi, hours: BusinessHours): Promise<void> {
  const Workspace = await flowWorkspaceModel(api.db);
  await Workspace.updateOne({ _id: FLOW_WORKSPACE_ID }, { $set: { 'workspace.businessHours': hours } });
}

export const ALWAYS_OPEN: BusinessHours = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59' }];

/**
 * One Telegram user chatting with the bot: documented updates
 * (https://core.telegram.org/bots/api#update) posted to the app's webhook, and what the bot sent
 * them as the Bot API stand-in received it.
 */
export class TelegramClient {
  readonly chatId = randomInt(100_000_000, 999_999_999);
  private readonly from: Record<string, unknown>;
  private readonly chat: Record<string, unknown>;
  private static nextUpdateId = randomInt(1_000_000, 2_000_000);
  private static nextMessageId = randomInt(1_000, 100_000);

  constructor(
    private readonly app: FrontDoorApp,
    options: { firstName?: string; languageCode?: string } = {},
  ) {
    const firstName = options.firstName ?? `Test${randomBytes(3).toString('hex')}`;
    this.from = {
      id: this.chatId,
      is_bot: false,
      first_name: firstName,
      ...(options.languageCode ? { language_code: options.languageCode } : {}),
    };
    this.chat = { id: this.chatId, first_name: firstName, type: 'private' };
  }

  /** The person writes a text message. */
  write(text: string): Promise<void> {
    return this.post({
      update_id: TelegramClient.nextUpdateId++,
      message: {
        message_id: TelegramClient.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        from: this.from,
        chat: this.chat,
        text,
        ...(text.startsWith('/')
          ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
          : {}),
      },
    });
  }

  /** The person taps the inline button with this caption (its callback_data is the flow's button id). */
  press(caption: string, data: string): Promise<void> {
    const sent = this.received()
      .filter((message) => message.buttons?.includes(caption))
      .at(-1) as (SentRecord & { messageId: number }) | undefined;
    if (!sent) throw new Error(`The bot sent no button "${caption}"`);
    return this.post({
      update_id: TelegramClient.nextUpdateId++,
      callback_query: {
        id: String(randomInt(1e9, 9e9)),
        from: this.from,
        chat_instance: '-8675309',
        data,
        message: {
          message_id: sent.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: this.chat,
          text: sent.text,
          reply_markup: { inline_keyboard: [[{ text: caption, callback_data: data }]] },
        },
      },
    });
  }

  /** Everything the bot sent this person so far, in order. */
  received(): SentRecord[] {
    return this.app.telegram.sent().filter((message) => message.chatId === String(this.chatId));
  }

  /** Waits until the bot has sent `count` messages in all, and returns them. */
  waitForMessages(count: number): Promise<SentRecord[]> {
    return waitUntil(`${count} bot messages`, () => {
      const received = this.received();
      return received.length >= count ? received : undefined;
    });
  }

  /** Waits for the next bot message after those seen so far and returns its text. */
  async reply(seen: number): Promise<SentRecord> {
    const received = await this.waitForMessages(seen + 1);
    return received[seen]!;
  }

  private async post(update: unknown): Promise<void> {
    const response = await fetch(`${this.app.api.baseUrl}/hooks/telegram/${this.app.bot.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': this.app.bot.secret },
      body: JSON.stringify(update),
    });
    expect(response.status).toBe(200);
  }
}

/** The contact, its newest deal and its conversation behind a chat id, read from the store. */
export async function recordsOf(
  api: TestApi,
  chatId: string,
): Promise<{ contact: ContactRecord; deal: DealRecord | null; conversation: ConversationRecord }> {
  const conversation = await conversationModel(api.db).findOne({ chatId }).lean<ConversationRecord>();
  if (!conversation) throw new Error(`No conversation with ${chatId}`);
  const contact = await contactModels(api.db).Contact.findById(conversation.contactId).lean<ContactRecord>();
  if (!contact) throw new Error(`No contact for ${chatId}`);
  const deal = await (
    await dealModel(api.db)
  )
    .findOne({ contactId: new Types.ObjectId(String(contact._id)) })
    .sort({ createdAt: -1 })
    .lean<DealRecord>();
  return { contact, deal, conversation };
}
