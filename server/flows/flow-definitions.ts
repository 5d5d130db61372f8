import type { Connection } from 'mongoose';
import type { FlowDefinition } from '../../flows/index.js';
import { flowDefinitionModel, type FlowDefinitionRecord } from './flow-definition-model.js';

/** The stored record as the engine runs it: the switch in the store wins over the file's `enabled`. */
export function toDefinition(record: FlowDefinitionRecord): FlowDefinition {
  return { ...record.definition, version: record.version, enabled: record.enabled };
}

/** The newest version of every flow: the ones that enroll. */
export async function latestDefinitions(db: Connection): Promise<FlowDefinitionRecord[]> {
  const Definition = await flowDefinitionModel(db);
  const records = await Definition.find({}).sort({ flowId: 1, version: -1 }).lean<FlowDefinitionRecord[]>();
  return records.filter((record, index) => index === 0 || records[index - 1]?.flowId !== record.flowId);
}

/** The version a run is pinned to. */
export async function pinnedDefinition(
  db: Connection,
  flowId: string,
  version: number,
): Promise<FlowDefinition | undefined> {
  const Definition = await flowDefinitionModel(db);
  const record = await Definition.findOne({ flowId, version }).lean<FlowDefinitionRecord>();
  return record ? toDefinition(record) : undefined;
}
