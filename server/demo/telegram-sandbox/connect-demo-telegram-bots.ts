import { registerTelegramWebhook } from '../../../bot/telegram/register-telegram-webhook.js';
import type { SandboxBot } from '../../../bot/telegram/sandbox/sandbox-bot.js';
import { telegramSecretsSchema, telegramSettingsSchema } from '../../../bot/telegram/telegram-schemas.js';
import type { ApiServices } from '../../api/api-services.js';
import { channelAccountModel } from '../../channels/channel-account-model.js';
import type { LoadedAccount } from '../../channels/channel-accounts.js';
import { contactModels } from '../../contacts/contact-models.js';
import { conversationModel } from '../../messaging/conversation-model.js';
import { messageModel, type MessageRecord } from '../../messaging/message-model.js';
import { DEMO_TELEGRAM_BOT } from '../seed-demo-telegram.js';

/** Lines of each chat the sandbox is given back at start: what a Telegram app would still show. */
const HISTORY_PER_CHAT = 100;

/**
 * At every start in demo mode: each sandbox bot account becomes a bot of this process's sandbox,
 * its chats are filled in from the store (the sandbox lives in memory; the store is what happened),
 * and its webhook is set through the Bot API itself, as for a real bot, so the sandbox delivers
 * what a visitor writes to /hooks/telegram/<account> with the account's secret token.
 */
export async function connectDemoTelegramBots(services: ApiServices): Promise<void> {
  const demo = services.demoTelegram;
  if (!demo?.sandbox) return;
  for (const account of await services.channels.listActive('telegram')) {
    if (!account.sandbox) continue;
    const secrets = telegramSecretsSchema.parse(account.secrets);
    const bot = demo.sandbox.addBot({
      token: secrets.token,
      firstName: DEMO_TELEGRAM_BOT.firstName,
      username: String(account.settings.botUsername ?? DEMO_TELEGRAM_BOT.username),
    });
    await restoreChats(services, account, bot);
    const url = demo.webhookUrl(account.id);
    await registerTelegramWebhook(
      { ...account, settings: telegramSettingsSchema.parse(account.settings), secrets },
      demo.apiRoot,
      url,
    );
    await channelAccountModel(services.db).updateOne(
      { _id: account.id },
      { $set: { webhook: { state: 'registered', at: new Date(), url } } },
    );
  }
}

async function restoreChats(services: ApiServices, account: LoadedAccount, bot: SandboxBot): Promise<void> {
  const conversations = await conversationModel(services.db)
    .find({ channelAccountId: account.id }, { chatId: 1, contactId: 1 })
    .lean();
  for (const conversation of conversations) {
    const chatId = Number(conversation.chatId);
    if (!Number.isSafeInteger(chatId) || chatId <= 0) continue;
    const contact = await contactModels(services.db).Contact.findById(conversation.contactId, { name: 1 }).lean();
    const [firstName = 'Client', ...rest] = (contact?.name ?? '').split(' ').filter(Boolean);
    bot.chats.meet({ id: chatId, first_name: firstName, ...(rest.length ? { last_name: rest.join(' ') } : {}) });
    const messages = await messageModel(services.db)
      .find({ conversationId: conversation._id, status: { $in: ['received', 'sent', 'delivered', 'read'] } })
      .sort({ _id: -1 })
      .limit(HISTORY_PER_CHAT)
      .lean<MessageRecord[]>();
    for (const message of messages.reverse()) {
      const messageId = Number(/^-?\d+:(\d+)$/.exec(message.externalId ?? '')?.[1]);
      const text = textOf(message.content);
      if (!Number.isSafeInteger(messageId) || text === undefined) continue;
      bot.chats.record({
        chatId,
        messageId,
        from: message.direction === 'in' ? 'user' : 'bot',
        date: Math.floor(message.createdAt.getTime() / 1000),
        text,
        ...(message.buttons?.length
          ? {
              buttons: message.buttons.map((button) => [
                button.url ? { text: button.text, url: button.url } : { text: button.text, callback_data: button.id },
              ]),
            }
          : {}),
      });
    }
  }
}

function textOf(content: unknown): string | undefined {
  if (typeof content !== 'object' || content === null || !('text' in content)) return undefined;
  return typeof content.text === 'string' ? content.text : undefined;
}
