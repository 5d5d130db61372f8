import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Effect } from '../../flows/engine/effect-schema.js';
import { formatLocalDate, localClockTime } from '../../flows/engine/zoned-time.js';
import { simulate, type SimulationResult } from '../../flows/simulate/simulate.js';
import { simulationSchema, type SimulationInput } from '../../flows/simulate/simulation-schema.js';
import { parseFlowFile } from '../../flows/validate/parse-flow-file.js';

const ROOT = join(import.meta.dirname, '../..');

export type TemplateName = 'ecostroy' | 'realty' | 'windows';

/** Plays a story through flows/templates/<name>.yaml on the simulated clock, as `npm run flows -- simulate` does. */
export function playTemplate(name: TemplateName, story: SimulationInput): SimulationResult {
  const { file, definitions } = parseFlowFile(readFileSync(join(ROOT, `flows/templates/${name}.yaml`), 'utf8'), name);
  return simulate(definitions, file.workspace, simulationSchema.parse(story));
}

/** The template's own story: flows/examples/<name>.events.json (the seed's scenario). */
export function playExample(name: TemplateName): SimulationResult {
  const story: unknown = JSON.parse(readFileSync(join(ROOT, `flows/examples/${name}.events.json`), 'utf8'));
  return playTemplate(name, simulationSchema.parse(story));
}

/** "2025-03-03 10:00" in Moscow, the templates' time zone. */
export const moscow = (iso: string) => {
  const date = new Date(iso);
  return `${formatLocalDate(date, 'Europe/Moscow', 'en')} ${localClockTime(date, 'Europe/Moscow')}`;
};

export interface Done {
  at: string;
  flow: string;
  effect: Effect;
}

/** Every effect a flow had performed, with its Moscow time. */
export function done(result: SimulationResult): Done[] {
  return result.trace.flatMap((entry) =>
    entry.kind === 'effect' ? [{ at: moscow(entry.at), flow: entry.flowId, effect: entry.effect }] : [],
  );
}

/** "when flow: what" lines for one kind of effect, for readable expectations (money's no-break spaces as spaces). */
export function lines(result: SimulationResult, type: Effect['type'], flow?: string): string[] {
  return done(result)
    .filter((entry) => entry.effect.type === type && (!flow || entry.flow === flow))
    .map(({ at, flow: flowId, effect }) => {
      switch (effect.type) {
        case 'sendMessage':
          return `${at} ${flowId}: ${effect.text}`;
        case 'createTask':
          return `${at} ${flowId}: ${effect.title} → ${effect.assignee.type === 'user' ? effect.assignee.user : effect.assignee.type}${effect.dueAt ? ` by ${moscow(effect.dueAt)}` : ''}`;
        case 'moveStage':
          return `${at} ${flowId}: ${effect.pipeline ?? ''}/${effect.stage}`;
        case 'notify':
          return `${at} ${flowId}: ${effect.text}`;
        case 'enroll':
          return `${at} ${flowId}: → ${effect.flowId}`;
        case 'assign':
          return `${at} ${flowId}: ${effect.target} → ${effect.assignee.type === 'team' ? effect.assignee.team : effect.assignee.type}`;
        default:
          return `${at} ${flowId}`;
      }
    })
    .map((line) => line.replaceAll('\u00a0', ' '));
}

/** Everything one flow did, as `lines` grouped by kind of effect: a test reads as the template's steps. */
export function flowEffects(result: SimulationResult, flow: string): Partial<Record<Effect['type'], string[]>> {
  const types = new Set(done(result).flatMap((entry) => (entry.flow === flow ? [entry.effect.type] : [])));
  return Object.fromEntries([...types].map((type) => [type, lines(result, type, flow)]));
}
