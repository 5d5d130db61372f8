import type { Step } from '../schema/step-schema.js';
import type { RunContext } from './run-context.js';
import { executeBranch, executeSplit, executeWait, executeWaitFor } from './steps/logic-steps.js';
import { executeAsk, executeSend } from './steps/message-steps.js';
import { executeAssign, executeFlowLink, executeHandoff, executeNotify, executeWebhook } from './steps/people-steps.js';
import { executeCreateTask, executeDealStep, executeSetField, executeTags } from './steps/record-steps.js';
import { executeBook } from './steps/book-step.js';
import type { StepOutcome } from './steps/step-outcome.js';

/** Runs one step; `afterQuietHours` when a message held back by quiet hours may go now. */
export function executeStep(ctx: RunContext, step: Step, afterQuietHours = false): StepOutcome {
  switch (step.type) {
    case 'send':
      return executeSend(ctx, step, afterQuietHours);
    case 'ask':
      return executeAsk(ctx, step, afterQuietHours);
    case 'book':
      return executeBook(ctx, step);
    case 'branch':
      return executeBranch(ctx, step);
    case 'split':
      return executeSplit(ctx, step);
    case 'wait':
      return executeWait(ctx, step);
    case 'waitFor':
      return executeWaitFor(ctx, step);
    case 'setField':
      return executeSetField(ctx, step);
    case 'addTag':
    case 'removeTag':
      return executeTags(ctx, step);
    case 'moveStage':
    case 'copyDeal':
    case 'markWon':
    case 'markLost':
      return executeDealStep(ctx, step);
    case 'createTask':
      return executeCreateTask(ctx, step);
    case 'assign':
      return executeAssign(ctx, step);
    case 'handoff':
      return executeHandoff(ctx, step);
    case 'notify':
      return executeNotify(ctx, step);
    case 'webhook':
      return executeWebhook(ctx, step);
    case 'enroll':
    case 'leave':
      return executeFlowLink(ctx, step);
    case 'end':
      ctx.record(step.id, 'end');
      return { kind: 'end' };
  }
}
