import type { Connection } from 'mongoose';
import type { FlowDefinition } from '../../flows/index.js';
import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { latestDefinitions, toDefinition } from '../flows/flow-definitions.js';
import type { FollowUpFlow } from './follow-up-schemas.js';

const { sayWith } = errorTexts;

function summary(definition: FlowDefinition): FollowUpFlow {
  return {
    id: definition.id,
    name: definition.name,
    runsPer: definition.runsPer,
    goals: definition.goals.map((goal) => ({ id: goal.id, ...(goal.name ? { name: goal.name } : {}) })),
    splits: definition.steps.flatMap((step) =>
      step.type === 'split' ? [{ step: step.id, variants: step.variants.map((variant) => variant.id) }] : [],
    ),
  };
}

/** A person may start a flow only when its triggers say `manual` (flows/engine/should-enroll.ts). */
const startsByHand = (definition: FlowDefinition) =>
  definition.enabled && definition.triggers.some((trigger) => trigger.type === 'manual');

/** The flows a follow-up campaign can run: the newest version of each enabled flow with a manual trigger. */
export async function followUpFlows(db: Connection): Promise<FollowUpFlow[]> {
  return (await latestDefinitions(db)).map(toDefinition).filter(startsByHand).map(summary);
}

/** The flow a campaign names, or a 422 that says why it cannot run it. */
export async function usableFollowUpFlow(db: Connection, flowId: string): Promise<FollowUpFlow> {
  const record = (await latestDefinitions(db)).find((candidate) => candidate.flowId === flowId);
  if (!record) throw new ApiError(422, 'flow_not_found', sayWith('noSuchFlow', { flow: flowId }));
  const definition = toDefinition(record);
  if (!definition.enabled) throw new ApiError(422, 'flow_disabled', sayWith('flowSwitchedOff', { flow: flowId }));
  if (!startsByHand(definition)) throw new ApiError(422, 'flow_not_manual', sayWith('flowNotManual', { flow: flowId }));
  return summary(definition);
}

/** The flow of a stored campaign as it is now (it may have been removed or changed since). */
export async function followUpFlowOf(db: Connection, flowId: string): Promise<FollowUpFlow | undefined> {
  const record = (await latestDefinitions(db)).find((candidate) => candidate.flowId === flowId);
  return record && summary(toDefinition(record));
}
