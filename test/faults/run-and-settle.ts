import { runFaultScenario, type FaultScenario, type ScenarioOptions } from './fault-scenario.js';
import { settledOutcome, type Outcome, type StoredMessage } from './read-outcome.js';

/** A message the test flow's wait sent (flows store theirs under a `flow|…` dedupe key). */
export const isFollowUp = (message: StoredMessage) =>
  message.direction === 'out' && Boolean(message.dedupeKey?.startsWith('flow|'));

/** How often each value occurs. */
export function counts(values: string[]): Map<string, number> {
  const counted = new Map<string, number>();
  for (const value of values) counted.set(value, (counted.get(value) ?? 0) + 1);
  return counted;
}

/**
 * Runs the scenario, then waits for the app to settle within what is left of `budgetMs` (what is
 * not settled by then is for the assertions to report, not a hook timeout), and a little longer
 * for a replayed job to send its duplicate.
 */
export async function runAndSettle(
  options: ScenarioOptions,
  budgetMs: number,
): Promise<{ scenario: FaultScenario; outcome: Outcome }> {
  const deadline = Date.now() + budgetMs - 30_000;
  const scenario = await runFaultScenario(options);
  const started = Date.now();
  const flowContacts = scenario.load.chats.filter((chat) => chat.started).length;
  await settledOutcome(scenario, flowContacts, isFollowUp, Math.min(150_000, deadline - Date.now() - 15_000));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const outcome = await settledOutcome(scenario, flowContacts, isFollowUp, 5_000);
  scenario.timings.settle = Date.now() - started;
  console.info(
    `faults: ${scenario.faults.map((fault) => `${fault.part} down ${fault.downMs} ms`).join(', ')}; ` +
      `${scenario.load.acknowledged.length} inbound (${scenario.load.acknowledged.filter((m) => m.attempts > 1).length} re-sent), ` +
      `${scenario.replies.attempts.length} replies, ${flowContacts} flow runs; timings ${JSON.stringify(scenario.timings)}`,
  );
  return { scenario, outcome };
}
