import type { Connection } from 'mongoose';
import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import type { RedisConnections } from '../redis/redis-connections.js';

/** What API handlers may use: the data layer's connection (models hang off it), Redis, logs, settings. */
export interface ApiServices {
  db: Connection;
  config: Config;
  redis: RedisConnections;
  logger: Logger;
}
