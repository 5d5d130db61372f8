import type { Connection } from 'mongoose';
import type { ChannelAccounts } from '../channels/channel-accounts.js';
import type { Config } from '../config/config.js';
import type { DemoTelegram } from '../demo/telegram-sandbox/demo-telegram.js';
import type { DomainEvents } from '../events/domain-events.js';
import type { FileStore } from '../files/file-store.js';
import type { FileLinkSigner } from '../files/signed-file-url.js';
import type { InboundBatcher } from '../messaging/inbound-batcher.js';
import type { Logger } from '../observability/logger.js';
import type { QueueRegistry } from '../queues/queue-registry.js';
import type { RedisConnections } from '../redis/redis-connections.js';

/**
 * What API handlers, webhooks and workers may use: the data layer's connection (models hang off
 * it), Redis and the queues, channel accounts, kept files, domain events, logs, settings.
 */
export interface ApiServices {
  db: Connection;
  config: Config;
  redis: RedisConnections;
  logger: Logger;
  queues: QueueRegistry;
  channels: ChannelAccounts;
  files: FileStore;
  /** Signed links to kept files for people outside the inbox (site visitors, providers). */
  fileLinks: FileLinkSigner;
  events: DomainEvents;
  /** Stores inbound messages, batching concurrent ones (see ingestEvents). */
  inbound: InboundBatcher;
  /** The demo's Telegram sandbox (DEMO_DATA on only): where the demo bot's Bot API calls go. */
  demoTelegram?: DemoTelegram;
}
