/** A Telegram user as the Bot API describes one (https://core.telegram.org/bots/api#user). */
export interface TelegramSandboxUser {
  id: number;
  is_bot?: false;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** An inline keyboard button as the bot sent it (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export interface SandboxButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** One line of a chat as a Telegram app would show it. */
export interface SandboxChatEntry {
  /** Grows with every line of every chat of the bot: what a reader asks for lines after. */
  seq: number;
  chatId: number;
  messageId: number;
  from: 'bot' | 'user';
  /** Unix time, seconds. */
  date: number;
  text?: string;
  buttons?: SandboxButton[][];
  media?: { kind: string; fileName?: string };
}

export interface SandboxChatSummary {
  chatId: number;
  user?: TelegramSandboxUser;
  lastSeq: number;
}

/** Lines kept per chat and chats kept per bot: the sandbox lives in memory. */
const MAX_ENTRIES_PER_CHAT = 300;
const MAX_CHATS = 2000;

interface Chat {
  user?: TelegramSandboxUser;
  entries: SandboxChatEntry[];
  lastMessageId: number;
}

/**
 * What one bot's chats look like from the person's side: the lines in order, message ids per chat
 * (a private chat's ids count both sides' messages, https://core.telegram.org/bots/api#message),
 * the user on the other end. Bounded; the oldest chat goes first.
 */
export class SandboxChats {
  private readonly chats = new Map<number, Chat>();
  private seq = 0;

  private chat(chatId: number): Chat {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { entries: [], lastMessageId: 0 };
      this.chats.set(chatId, chat);
      if (this.chats.size > MAX_CHATS) this.chats.delete(this.chats.keys().next().value!);
    }
    return chat;
  }

  nextMessageId(chatId: number): number {
    const chat = this.chat(chatId);
    chat.lastMessageId += 1;
    return chat.lastMessageId;
  }

  userOf(chatId: number): TelegramSandboxUser | undefined {
    return this.chats.get(chatId)?.user;
  }

  meet(user: TelegramSandboxUser): void {
    this.chat(user.id).user = user;
  }

  record(entry: Omit<SandboxChatEntry, 'seq'>): SandboxChatEntry {
    const chat = this.chat(entry.chatId);
    const full = { ...entry, seq: ++this.seq };
    chat.entries.push(full);
    if (chat.entries.length > MAX_ENTRIES_PER_CHAT) chat.entries.shift();
    chat.lastMessageId = Math.max(chat.lastMessageId, entry.messageId);
    return full;
  }

  find(chatId: number, messageId: number): SandboxChatEntry | undefined {
    return this.chats.get(chatId)?.entries.find((entry) => entry.messageId === messageId);
  }

  entries(chatId: number, afterSeq = 0): SandboxChatEntry[] {
    return (this.chats.get(chatId)?.entries ?? []).filter((entry) => entry.seq > afterSeq);
  }

  list(): SandboxChatSummary[] {
    return [...this.chats.entries()].map(([chatId, chat]) => ({
      chatId,
      ...(chat.user ? { user: chat.user } : {}),
      lastSeq: chat.entries.at(-1)?.seq ?? 0,
    }));
  }
}
