import type { Connection } from 'mongoose';
import type { Role } from '../auth/permissions.js';
import type { PipelineRecord } from '../pipelines/pipeline-model.js';
import type { PublicUser } from '../users/user-schemas.js';

/** What the demo's writers share: the database, the default pipelines by systemKey, the accounts by role. */
export interface DemoWriteContext {
  db: Connection;
  pipelines: Record<string, PipelineRecord>;
  users: Record<Role, PublicUser>;
}
