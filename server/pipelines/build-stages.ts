import { randomBytes } from 'node:crypto';
import type { Stage, StageInput } from './pipeline-schema.js';

/**
 * Turns the stages a client sent into stored ones: ordered by `order` when given (array position
 * otherwise), renumbered 0..n-1, and given ids when new. Ids are random rather than derived from
 * names because names are Russian and may be renamed while deals keep pointing at the id.
 */
export function buildStages(input: StageInput[]): Stage[] {
  return input
    .map((stage, index) => ({ stage, position: stage.order ?? index, index }))
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map(({ stage }, order) => ({
      id: stage.id ?? `s-${randomBytes(4).toString('hex')}`,
      name: stage.name,
      kind: stage.kind,
      order,
    }));
}
