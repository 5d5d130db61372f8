/**
 * The flow engine's contract for the executor (server/): read flow files, decide enrollments,
 * run steps, keep the timers the triggers need. Everything here is pure; the executor performs
 * the effects and delivers the events.
 */
export { flowDefinitionSchema, flowFileSchema, type FlowDefinition, type FlowFile } from './schema/flow-schema.js';
export { workspaceSetup, type WorkspaceSetup } from './schema/workspace-setup.js';
export { parseFlowFile, toFlowDefinitions, validateFlowFile } from './validate/parse-flow-file.js';
export { FlowFileError, formatFlowIssue, type FlowIssue } from './validate/flow-file-error.js';
export { flowEventSchema, type DomainFlowEvent, type FlowEvent } from './engine/flow-event-schema.js';
export { snapshotSchema, type Snapshot } from './engine/snapshot-schema.js';
export {
  runStateSchema,
  RUN_STATE_VERSION,
  type ExitReason,
  type PendingWait,
  type RunState,
} from './engine/run-state-schema.js';
export { effectSchema, type Effect, type EffectOf } from './engine/effect-schema.js';
export { exitRun, startRun, step, type Clock, type StepResult } from './engine/step.js';
export { runSubjectKey, shouldEnroll, type EnrollmentDecision, type PriorRun } from './engine/should-enroll.js';
export {
  listensFor,
  listTimedTriggers,
  timedTriggerAnchorRange,
  timedTriggerFireAt,
  type TimedTrigger,
  type TimedTriggerSpec,
} from './engine/timed-triggers.js';
export { FlowEngineError } from './engine/flow-engine-error.js';
export {
  defaultAnswerParser,
  parseAnswer,
  type AnswerContext,
  type AnswerParser,
  type OpenQuestion,
  type ParsedAnswer,
} from './engine/parse-answer.js';
