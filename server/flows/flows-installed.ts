import type { Connection } from 'mongoose';
import { flowDefinitionModel } from './flow-definition-model.js';

// A flow installed by another process is seen within this time; this process's own installs at once.
const RECHECK_MS = 5_000;

const known = new WeakMap<Connection, { at: number; answer: Promise<boolean> }>();

/**
 * Whether any flow definition exists. Without one no event can start or move a run, so the intake
 * hands nothing to the flow queue: an installation that does not use flows pays nothing per message.
 */
export function anyFlowsInstalled(db: Connection): Promise<boolean> {
  const cached = known.get(db);
  if (cached && Date.now() - cached.at < RECHECK_MS) return cached.answer;
  const answer = flowDefinitionModel(db).then(async (Definition) => (await Definition.exists({})) !== null);
  known.set(db, { at: Date.now(), answer });
  answer.catch(() => known.delete(db));
  return answer;
}

/** After a definition is stored here, the next event asks the store again. */
export function forgetFlowsInstalled(db: Connection): void {
  known.delete(db);
}
