import type { ConversationHandler, ConversationStatus } from '../messaging/conversation-model.js';

/** Who writes a line: the client in the widget, the front-door bot, one of the demo's staff, or a private note. */
export type DemoChatAuthor = 'client' | 'bot' | 'operator' | 'manager';

export interface DemoChatLine {
  /** Minutes after the line before it (the first line starts the conversation). */
  after: number;
  from: DemoChatAuthor | 'note';
  text: string;
  /** The bot's buttons under its question. */
  buttons?: readonly { id: string; text: string }[];
  /** The client tapped the bot's button with this id (the line's text is its caption). */
  tapped?: string;
}

/** Where the note is written from: the staff member who writes it. */
export type DemoStaff = Extract<DemoChatAuthor, 'operator' | 'manager'>;

/** One site-chat conversation of a demo client, as it stands when the demo is opened. */
export interface DemoChatScript {
  /** The client: its place among the demo's fifty, in the order they were seeded. */
  contact: number;
  /**
   * Where the client's deal stands ('pipeline/stage' of the open deal, else of the closed one), or
   * 'none': the seed checks it, so a chat never talks about a stage the deal is not in.
   */
  deal: string;
  status: ConversationStatus;
  handler: ConversationHandler;
  assignee?: DemoStaff;
  /** Who writes the script's notes (the assignee when not said). */
  noteAuthor?: DemoStaff;
  /** Hours between the last line and the moment of seeding. */
  endedHoursAgo: number;
  /** A snoozed conversation opens by itself this many days after seeding. */
  snoozeDays?: number;
  priority?: 'high';
  labels?: string[];
  lines: readonly DemoChatLine[];
}
