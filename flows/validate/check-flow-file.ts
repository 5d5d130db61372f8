import { KNOWN_PROPERTIES } from '../engine/snapshot-schema.js';
import { isValidTemplateRef, listTemplateRefs } from '../engine/render-template.js';
import { followingStepId, stepEdges, WAITING_STEP_TYPES } from '../engine/step-graph.js';
import type { Condition } from '../schema/condition-schema.js';
import type { Flow, FlowFile } from '../schema/flow-schema.js';
import { dateTriggerFieldProblem } from './date-trigger-field-problem.js';
import type { DescribedIssue } from './describe-zod-issues.js';

type Path = PropertyKey[];

/**
 * What the schema cannot see: references (steps, stages, pipelines, lost reasons, fields, teams,
 * flows) that point nowhere, duplicate ids, steps no path reaches, and loops with no wait in them
 * (they would spin forever within one event).
 */
export function checkFlowFile(file: FlowFile): DescribedIssue[] {
  const issues: DescribedIssue[] = [];
  const report = (path: Path, message: string) => issues.push({ path, message });
  const { workspace } = file;

  reportDuplicates(
    workspace.pipelines.map((pipeline) => pipeline.key),
    ['workspace', 'pipelines'],
    'key',
    'pipeline',
    report,
  );
  workspace.pipelines.forEach((pipeline, index) => {
    const at = ['workspace', 'pipelines', index];
    reportDuplicates(
      pipeline.stages.map((stage) => stage.id),
      [...at, 'stages'],
      'id',
      'stage',
      report,
    );
    reportDuplicates(
      pipeline.lostReasons.map((reason) => reason.id),
      [...at, 'lostReasons'],
      'id',
      'lost reason',
      report,
    );
  });
  reportDuplicates(
    workspace.fields.map((field) => `${field.entity}.${field.key}`),
    ['workspace', 'fields'],
    'key',
    'field',
    report,
  );
  reportDuplicates(
    workspace.teams.map((team) => team.key),
    ['workspace', 'teams'],
    'key',
    'team',
    report,
  );
  reportDuplicates(
    file.flows.map((flow) => flow.id),
    ['flows'],
    'id',
    'flow',
    report,
  );

  const refs = new References(file);
  file.flows.forEach((flow, index) => checkFlow(flow, ['flows', index], refs, report));
  return issues;
}

type Report = (path: Path, message: string) => void;

function reportDuplicates(values: string[], at: Path, key: string, what: string, report: Report): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report([...at, index, key], `Duplicate ${what} "${value}"`);
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

  constructor(file: FlowFile) {
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
      report(
        [...at, 'pipeline'],
        `Unknown pipeline "${pipeline}"; the workspace has: ${[...this.stages.keys()].join(', ') || 'none'}`,
      );
      return;
    }
    if (stage === undefined) return;
    const known =
      pipeline === undefined
        ? [...this.stages.values()].some((ids) => ids.has(stage))
        : this.stages.get(pipeline)?.has(stage);
    if (!known) report([...at, 'stage'], `Unknown stage "${stage}"${pipeline ? ` in pipeline "${pipeline}"` : ''}`);
  }

  /** A date trigger's field must be a date the executor can find records by. */
  checkDateField(field: string, at: Path, report: Report): void {
    const problem = dateTriggerFieldProblem(field, this.workspace);
    if (problem) report(at, problem);
  }

  checkPath(path: string, at: Path, report: Report): void {
    const [root = '', property = '', key] = path.split('.');
    if (property === 'fields' && (root === 'contact' || root === 'deal') && key !== undefined) {
      if (this.fields.size > 0 && !this.fields.has(`${root}.fields.${key}`))
        report(at, `Unknown field "${path}": add it to workspace.fields`);
      return;
    }
    const known = KNOWN_PROPERTIES[root];
    if (known && !known.includes(property))
      report(at, `Unknown property "${property}" of ${root}; known: ${known.join(', ')}`);
  }
}

function checkFlow(flow: Flow, at: Path, refs: References, report: Report): void {
  const ids = new Set(flow.steps.map((step) => step.id));
  reportDuplicates(
    flow.steps.map((step) => step.id),
    [...at, 'steps'],
    'id',
    'step',
    report,
  );
  reportDuplicates(
    flow.goals.map((goal) => goal.id),
    [...at, 'goals'],
    'id',
    'goal',
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
      if (!ids.has(edge.target)) report([...stepAt, ...edge.key], `Unknown step "${edge.target}"`);
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
          report([...stepAt, 'reason'], `Unknown lost reason "${step.reason}": add it to a pipeline's lostReasons`);
        break;
      case 'enroll':
        if (step.flow === flow.id)
          report([...stepAt, 'flow'], 'A flow cannot enroll into itself; use re-enrollment or a loop');
        else if (!refs.flows.has(step.flow)) report([...stepAt, 'flow'], `Unknown flow "${step.flow}"`);
        break;
      case 'leave':
        if (!refs.flows.has(step.flow)) report([...stepAt, 'flow'], `Unknown flow "${step.flow}"`);
        break;
      case 'ask':
      case 'send':
        reportDuplicates(
          (step.buttons ?? []).flatMap((button) => (button.id ? [button.id] : [])),
          [...stepAt, 'buttons'],
          'id',
          'button',
          report,
        );
        break;
      default:
        break;
    }
  });

  walk(flow, at, (value, key, path) => checkValue(value, key, path, refs, report));
  checkReachability(flow, at, report);
  checkLoops(flow, at, report);
}

/** Checks every string by the key it sits under: paths, teams, stage conditions and {{placeholders}}. */
function checkValue(value: unknown, key: PropertyKey | undefined, path: Path, refs: References, report: Report): void {
  if (typeof value === 'string') {
    if (key === 'path' || key === 'field' || key === 'saveTo') refs.checkPath(value, path, report);
    if (key === 'team' && !refs.teams.has(value)) report(path, `Unknown team "${value}": add it to workspace.teams`);
    for (const ref of listTemplateRefs(value)) {
      if (!isValidTemplateRef(ref))
        report(path, `Bad placeholder ${ref.raw}: use {{path}} or {{path | date|time|datetime|money|default: text}}`);
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
    if (leaf.path === 'deal.pipeline' && !refs.stages.has(value)) report(valueAt, `Unknown pipeline "${value}"`);
    if (leaf.path === 'deal.stage' && ![...refs.stages.values()].some((ids) => ids.has(value)))
      report(valueAt, `Unknown stage "${value}"`);
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

function checkReachability(flow: Flow, at: Path, report: Report): void {
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
    if (!reached.has(step.id)) report([...at, 'steps', index, 'id'], `Step "${step.id}" is never reached`);
  });
}

/** Depth-first search for a cycle through steps that do not wait; each such loop is reported once. */
function checkLoops(flow: Flow, at: Path, report: Report): void {
  const byId = new Map(flow.steps.map((step, index) => [step.id, { step, index }]));
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    const entry = byId.get(id);
    if (!entry || WAITING_STEP_TYPES.has(entry.step.type) || done.has(id)) return;
    const start = trail.indexOf(id);
    if (start >= 0) {
      const loop = [...trail.slice(start), id];
      report([...at, 'steps', entry.index, 'id'], `Steps ${loop.join(' → ')} loop without a wait, ask or waitFor`);
      return;
    }
    for (const edge of stepEdges(entry.step, followingStepId(flow, id))) visit(edge.target, [...trail, id]);
    done.add(id);
  };
  for (const step of flow.steps) visit(step.id, []);
}
