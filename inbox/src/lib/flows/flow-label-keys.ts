import type { flowsRu } from '../messages/flows.js';

/** A key of the Flows section's messages. */
type FlowsKey = keyof typeof flowsRu;

/** Step types as flows/schema/step-schema.ts names them, with their wording in the inbox. */
export const STEP_LABELS: Record<string, FlowsKey> = {
  send: 'flows.step.send',
  ask: 'flows.step.ask',
  book: 'flows.step.book',
  branch: 'flows.step.branch',
  split: 'flows.step.split',
  wait: 'flows.step.wait',
  waitFor: 'flows.step.waitFor',
  setField: 'flows.step.setField',
  addTag: 'flows.step.addTag',
  removeTag: 'flows.step.removeTag',
  moveStage: 'flows.step.moveStage',
  copyDeal: 'flows.step.copyDeal',
  markWon: 'flows.step.markWon',
  markLost: 'flows.step.markLost',
  createTask: 'flows.step.createTask',
  assign: 'flows.step.assign',
  handoff: 'flows.step.handoff',
  notify: 'flows.step.notify',
  webhook: 'flows.step.webhook',
  enroll: 'flows.step.enroll',
  leave: 'flows.step.leave',
  end: 'flows.step.end',
};

/** Trigger types as flows/schema/trigger-schema.ts names them. */
export const TRIGGER_LABELS: Record<string, FlowsKey> = {
  'message.received': 'flows.trigger.messageReceived',
  'message.sent': 'flows.trigger.messageSent',
  'stage.entered': 'flows.trigger.stageEntered',
  'stage.left': 'flows.trigger.stageLeft',
  'field.changed': 'flows.trigger.fieldChanged',
  'form.submitted': 'flows.trigger.formSubmitted',
  'lead.created': 'flows.trigger.leadCreated',
  'payment.received': 'flows.trigger.paymentReceived',
  'payment.overdue': 'flows.trigger.paymentOverdue',
  date: 'flows.trigger.date',
  'task.overdue': 'flows.trigger.taskOverdue',
  'task.completed': 'flows.trigger.taskCompleted',
  noReply: 'flows.trigger.noReply',
  'appointment.upcoming': 'flows.trigger.appointmentUpcoming',
  manual: 'flows.trigger.manual',
  webhook: 'flows.trigger.webhook',
  'conversation.takenOver': 'flows.trigger.takenOver',
};

/** Why a run stopped (EXIT_REASONS in flows/engine/run-state-schema.ts). */
export const EXIT_LABELS: Record<string, FlowsKey> = {
  goal: 'flows.exit.goal',
  'stage-left': 'flows.exit.stageLeft',
  'opted-out': 'flows.exit.optedOut',
  'taken-over': 'flows.exit.takenOver',
  'exit-condition': 'flows.exit.condition',
  left: 'flows.exit.left',
  're-enrolled': 'flows.exit.reEnrolled',
  'step-limit': 'flows.exit.stepLimit',
};
