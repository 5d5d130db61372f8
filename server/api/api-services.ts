import type { Connection } from 'mongoose';
import type { Logger } from '../observability/logger.js';
import type { RedisConnections } from '../redis/redis-connections.js';

/** What API handlers may use: the data layer's connection (models hang off it), Redis, logs. */
export interface ApiServices {
  db: Connection;
  redis: RedisConnections;
  logger: Logger;
}
