import type { Connection } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { pinnedDefinition } from './flow-definitions.js';
import type { FlowRunRecord } from './flow-run-model.js';

/**
 * A run's flow as the author of what it changes: stage history, tasks and notifications show the
 * flow's name (in the workspace language, as it was when the run acted) where a person's would be.
 */
export async function flowActor(db: Connection, run: Pick<FlowRunRecord, 'flowId' | 'flowVersion'>): Promise<Actor> {
  const definition = await pinnedDefinition(db, run.flowId, run.flowVersion);
  const name = definition ? (definition.name[definition.language] ?? definition.name.ru) : run.flowId;
  return { kind: 'automation', id: `flow:${run.flowId}`, name };
}
