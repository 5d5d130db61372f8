import { KNOWN_PROPERTIES } from '../engine/snapshot-schema.js';
import { isValidTemplateRef, listTemplateRefs } from '../engine/render-template.js';
import { followingStepId, stepEdges, WAITING_STEP_TYPES } from '../engine/step-graph.js';
import type { Condition } from '../schema/condition-schema.js';
import type { Language } from '../schema/define-texts.js';
import { flowFileTexts, type FlowFileWords } from '../schema/flow-file-texts.js';
import type { Flow, FlowFile } from '../schema/flow-schema.js';
import { dateTriggerFieldProblem } from './date-trigger-field-problem.js';
import type { DescribedIssue } from './describe-zod-issues.js';

type Path = PropertyKey[];

/**
 * What the schema cannot see: references (steps, stages, pipelines, lost reasons, fields, teams,
 * flows) that point nowhere, duplicate ids, steps no path reaches, and loops with no wait in them
 * (they would spin forever within one event).
 */
export function checkFlowFile(file: FlowFile, language: Language = 'en'): DescribedIssue[] {
  const issues: DescribedIssue[] = [];
  const report: Report = (path, message) => issues.push({ path, message });
  const words = flowFileTexts.words(language);
  const { workspace } = file;

  reportDuplicates(
    workspace.pipelines.map((pipeline) => pipeline.key),
    ['workspace', 'pipelines'],
    'key',
    'duplicatePipeline',
    words,
    report,
  );
  workspace.pipelines.forEach((pipeline, index) => {
    const at = ['workspace', 'pipelines', index];
    reportDuplicates(
      pipeline.stages.map((stage) => stage.id),
      [...at, 'stages'],
      'id',
      'duplicateStage',
      words,
      report,
    );
    reportDuplicates(
      pipeline.lostReasons.map((reason) => reason.id),
      [...at, 'lostReasons'],
      'id',
      'duplicateLostReason',
      words,
      report,
    );
  });
  reportDuplicates(
    workspace.fields.map((field) => `${field.entity}.${field.key}`),
    ['workspace', 'fields'],
    'key',
    'duplicateField',
    words,
    report,
  );
  reportDuplicates(
    workspace.teams.map((team) => team.key),
    ['workspace', 'teams'],
    'key',
    'duplicateTeam',
    words,
    report,
  );
  reportDuplicates(
    file.flows.map((flow) => flow.id),
    ['flows'],
    'id',
    'duplicateFlow',
    words,
    report,
  );

  const refs = new References(file, words);
  file.flows.forEach((flow, index) => checkFlow(flow, ['flows', index], refs, report));
  return issues;
}

type Report = (path: Path, message: string) => void;

type DuplicateText =
  | 'duplicatePipeline'
  | 'duplicateStage'
  | 'duplicateLostReason'
  | 'duplicateField'
  | 'duplicateTeam'
  | 'duplicateFlow'
  | 'duplicateStep'
  | 'duplicateGoal'
  | 'duplicateButton';

function reportDuplicates(
  values: string[],
  at: Path,
  key: string,
  text: DuplicateText,
  words: FlowFileWords,
  report: Report,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report([...at, index, key], words(text, { value }));
    seen.add(value);
  });
}

/** Lookups into the workspace and the file's flows. */
class References {
  readonly stages = new Map<string, Set<string>>();
  readonly lostReasons = new Map<string, Set<string>>();
  readonly fields: Set<string>;
  readonly teams: Set<string>;
  readonly flows: Set<string>;
  readonly workspace: FlowFile['workspace'];

  constructor(
    file: FlowFile,
    readonly words: FlowFileWords,
  ) {
    this.workspace = file.workspace;
    for (const pipeline of file.workspace.pipelines) {
      this.stages.set(pipeline.key, new Set(pipeline.stages.map((stage) => stage.id)));
      this.lostReasons.set(pipeline.key, new Set(pipeline.lostReasons.map((reason) => reason.id)));
    }
    this.fields = new Set(file.workspace.fields.map((field) => `${field.entity}.fields.${field.key}`));
    this.teams = new Set(file.workspace.teams.map((team) => team.key));
    this.flows = new Set(file.flows.map((flow) => flow.id));
  }

  checkStage(pipeline: string | undefined, stage: string | undefined, at: Path, report: Report): void {
    if (pipeline !== undefined && !this.stages.has(pipeline)) {
      const known = [...this.stages.keys()].join(', ') || this.words('none');
      report([...at, 'pipeline'], this.words('unknownPipelineOf', { pipeline, known }));
      return;
    }
    if (stage === undefined) return;
    const known =
      pipeline === undefined
        ? [...this.stages.values()].some((ids) => ids.has(stage))
        : this.stages.get(pipeline)?.has(stage);
    if (known) return;
    if (pipeline) report([...at, 'stage'], this.words('unknownStageIn', { stage, pipeline }));
    else report([...at, 'stage'], this.words('unknownStage', { stage }));
  }

  /** A date trigger's field must be a date the executor can find records by. */
  checkDateField(field: string, at: Path, report: Report): void {
    const problem = dateTriggerFieldProblem(field, this.workspace, this.words);
    if (problem) report(at, problem);
  }

  checkPath(path: string, at: Path, report: Report): void {
    const [root = '', property = '', key] = path.split('.');
    if (property === 'fields' && (root === 'contact' || root === 'deal') && key !== undefined) {
      if (this.fields.size > 0 && !this.fields.has(`${root}.fields.${key}`))
        report(at, this.words('unknownField', { path }));
      return;
    }
    const known = KNOWN_PROPERTIES[root];
    if (known && !known.includes(property))
      report(at, this.words('unknownProperty', { property, root, known: known.join(', ') }));
  }
}

function checkFlow(flow: Flow, at: Path, refs: References, report: Report): void {
  const ids = new Set(flow.steps.map((step) => step.id));
  reportDuplicates(
    flow.steps.map((step) => step.id),
    [...at, 'steps'],
    'id',
    'duplicateStep',
    refs.words,
    report,
  );
  reportDuplicates(
    flow.goals.map((goal) => goal.id),
    [...at, 'goals'],
    'id',
    'duplicateGoal',
    refs.words,
    report,
  );

  flow.triggers.forEach((trigger, index) => {
    const triggerAt = [...at, 'triggers', index];
    if (trigger.type === 'stage.entered' || trigger.type === 'stage.left')
      refs.checkStage(trigger.pipeline, trigger.stage, triggerAt, report);
    if (trigger.type === 'date') refs.checkDateField(trigger.field, [...triggerAt, 'field'], report);
  });

  flow.steps.forEach((step, index) => {
    const stepAt = [...at, 'steps', index];
    for (const edge of stepEdges(step, followingStepId(flow, step.id)))
      if (!ids.has(edge.target)) report([...stepAt, ...edge.key], refs.words('unknownStep', { step: edge.target }));
    switch (step.type) {
      case 'moveStage':
        refs.checkStage(step.pipeline, step.stage, stepAt, report);
        break;
      case 'copyDeal':
        refs.checkStage(step.pipeline, step.stage, stepAt, report);
        break;
      case 'waitFor':
        if (step.event.type === 'stage.entered' || step.event.type === 'stage.left')
          refs.checkStage(step.event.pipeline, step.event.stage, [...stepAt, 'event'], report);
        if (step.event.type === 'date') refs.checkDateField(step.event.field, [...stepAt, 'event', 'field'], report);
        break;
      case 'markLost':
        if (![...refs.lostReasons.values()].some((reasons) => reasons.has(step.reason)))
          report([...stepAt, 'reason'], refs.words('unknownLostReason', { reason: step.reason }));
        break;
      case 'enroll':
        if (step.flow === flow.id) report([...stepAt, 'flow'], refs.words('enrollsItself'));
        else if (!refs.flows.has(step.flow))
          report([...stepAt, 'flow'], refs.words('unknownFlow', { flow: step.flow }));
        break;
      case 'leave':
        if (!refs.flows.has(step.flow)) report([...stepAt, 'flow'], refs.words('unknownFlow', { flow: step.flow }));
        break;
      case 'ask':
      case 'send':
        reportDuplicates(
          (step.buttons ?? []).flatMap((button) => (button.id ? [button.id] : [])),
          [...stepAt, 'buttons'],
          'id',
          'duplicateButton',
          refs.words,
          report,
        );
        break;
      default:
        break;
    }
  });

  walk(flow, at, (value, key, path) => checkValue(value, key, path, refs, report));
  checkReachability(flow, at, refs.words, report);
  checkLoops(flow, at, refs.words, report);
}

/** Checks every string by the key it sits under: paths, teams, stage conditions and {{placeholders}}. */
function checkValue(value: unknown, key: PropertyKey | undefined, path: Path, refs: References, report: Report): void {
  if (typeof value === 'string') {
    if (key === 'path' || key === 'field' || key === 'saveTo') refs.checkPath(value, path, report);
    if (key === 'team' && !refs.teams.has(value)) report(path, refs.words('unknownTeam', { team: value }));
    for (const ref of listTemplateRefs(value)) {
      if (!isValidTemplateRef(ref)) report(path, refs.words('badPlaceholder', { placeholder: ref.raw }));
      else refs.checkPath(ref.path, path, report);
    }
    return;
  }
  if (isLeaf(value)) checkStageCondition(value, path, refs, report);
}

function isLeaf(value: unknown): value is Extract<Condition, { path: string }> {
  return value !== null && typeof value === 'object' && 'path' in value && 'op' in value;
}

function checkStageCondition(
  leaf: Extract<Condition, { path: string }>,
  at: Path,
  refs: References,
  report: Report,
): void {
  if (leaf.path !== 'deal.stage' && leaf.path !== 'deal.pipeline') return;
  const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  values.forEach((value, index) => {
    if (typeof value !== 'string') return;
    const valueAt = Array.isArray(leaf.value) ? [...at, 'value', index] : [...at, 'value'];
    if (leaf.path === 'deal.pipeline' && !refs.stages.has(value))
      report(valueAt, refs.words('unknownPipeline', { pipeline: value }));
    if (leaf.path === 'deal.stage' && ![...refs.stages.values()].some((ids) => ids.has(value)))
      report(valueAt, refs.words('unknownStage', { stage: value }));
  });
}

function walk(
  value: unknown,
  at: Path,
  visit: (value: unknown, key: PropertyKey | undefined, path: Path) => void,
): void {
  visit(value, at.at(-1), at);
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...at, index], visit));
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) walk(child, [...at, key], visit);
}

function checkReachability(flow: Flow, at: Path, words: FlowFileWords, report: Report): void {
  const reached = new Set<string>();
  const queue = flow.steps[0] ? [flow.steps[0].id] : [];
  while (queue.length > 0) {
    const id = queue.shift() ?? '';
    if (reached.has(id)) continue;
    reached.add(id);
    const step = flow.steps.find((candidate) => candidate.id === id);
    if (step) queue.push(...stepEdges(step, followingStepId(flow, id)).map((edge) => edge.target));
  }
  flow.steps.forEach((step, index) => {
    if (!reached.has(step.id)) report([...at, 'steps', index, 'id'], words('neverReached', { step: step.id }));
  });
}

/** Depth-first search for a cycle through steps that do not wait; each such loop is reported once. */
function checkLoops(flow: Flow, at: Path, words: FlowFileWords, report: Report): void {
  const byId = new Map(flow.steps.map((step, index) => [step.id, { step, index }]));
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    const entry = byId.get(id);
    if (!entry || WAITING_STEP_TYPES.has(entry.step.type) || done.has(id)) return;
    const start = trail.indexOf(id);
    if (start >= 0) {
      const loop = [...trail.slice(start), id];
      report([...at, 'steps', entry.index, 'id'], words('loopWithoutWait', { loop: loop.join(' → ') }));
      return;
    }
    for (const edge of stepEdges(entry.step, followingStepId(flow, id))) visit(edge.target, [...trail, id]);
    done.add(id);
  };
  for (const step of flow.steps) visit(step.id, []);
}
