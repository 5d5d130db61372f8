import type { ChannelClient } from './channel-clients.js';

/** The word in a chat's first message that starts the test flow for its contact. */
export const FLOW_KEYWORD = 'faulttest';

export interface AcknowledgedMessage {
  channel: ChannelClient['channel'];
  chatId: string;
  text: string;
  /** How many deliveries it took to get the acknowledgement. */
  attempts: number;
}

export interface LoadOptions {
  /** Pause between one acknowledged message and the next in a lane (ms). */
  intervalMs: number;
  /** Messages per chat before the lane moves on to a new person (a new contact, a new flow run). */
  messagesPerChat: number;
  /** Pause before a delivery is tried again (ms). */
  retryMs: number;
}

/**
 * A steady stream of client messages: each lane is one channel where people write one after
 * another, a new person every few messages. A message is delivered again until acknowledged, as
 * providers re-send webhooks; the lane waits for it before the next, so a chat's order holds.
 */
export class InboundLoad {
  readonly acknowledged: AcknowledgedMessage[] = [];
  /** Every chat that was opened, with whether its first message (the flow's trigger) was acknowledged. */
  readonly chats: { client: ChannelClient; started: boolean }[] = [];
  /** Messages given up on: still unanswered when the stop's deadline passed. */
  readonly unanswered: { chatId: string; text: string }[] = [];
  private stopping = false;
  private deadline = Infinity;
  private lanes: Promise<void>[] = [];

  constructor(
    private readonly clients: Record<string, () => ChannelClient>,
    private readonly options: LoadOptions,
  ) {}

  start(): void {
    this.lanes = Object.entries(this.clients).map(([lane, open]) => this.runLane(lane, open));
  }

  /** Stops starting messages; resolves once every lane's message in hand is acknowledged or `graceMs` passed. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.deadline = Date.now() + graceMs;
    await Promise.all(this.lanes);
    for (const { client } of this.chats) client.close();
  }

  private async runLane(lane: string, open: () => ChannelClient): Promise<void> {
    let sequence = 0;
    while (!this.stopping) {
      const client = open();
      const chat = { client, started: false };
      this.chats.push(chat);
      for (let index = 0; index < this.options.messagesPerChat && !this.stopping; index++) {
        const text = `${index === 0 ? `${FLOW_KEYWORD} ` : ''}${lane} ${++sequence}`;
        const message = client.compose(text);
        let attempts = 1;
        while (!(await message.attempt())) {
          if (Date.now() > this.deadline) {
            this.unanswered.push({ chatId: client.chatId, text });
            return;
          }
          attempts += 1;
          await pause(this.options.retryMs);
        }
        this.acknowledged.push({ channel: client.channel, chatId: client.chatId, text, attempts });
        if (index === 0) chat.started = true;
        await pause(this.options.intervalMs);
      }
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
