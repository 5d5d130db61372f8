import { describe, expect, it } from 'vitest';
import { EXIT_REASONS } from '../../flows/engine/run-state-schema.js';
import { stepSchema } from '../../flows/schema/step-schema.js';
import { triggerSchema } from '../../flows/schema/trigger-schema.js';
import { EXIT_LABELS, STEP_LABELS, TRIGGER_LABELS } from '../../inbox/src/lib/flows/flow-label-keys.js';
import { flowsEn, flowsRu } from '../../inbox/src/lib/messages/flows.js';

const ru: Record<string, string> = flowsRu;
const en: Record<string, string> = flowsEn;

const typesOf = (schema: { options: readonly { shape: { type: { value: unknown } } }[] }) =>
  schema.options.map((option) => String(option.shape.type.value));

/** The Flows page names every step, trigger and exit reason in the inbox's languages, never by its code. */
describe('flow labels in the inbox', () => {
  it('should have words for every step type, trigger type and exit reason the engine knows', () => {
    for (const [types, labels] of [
      [typesOf(stepSchema), STEP_LABELS],
      [typesOf(triggerSchema), TRIGGER_LABELS],
      [[...EXIT_REASONS], EXIT_LABELS],
    ] as const)
      for (const type of types) {
        const key: string | undefined = labels[type];
        expect(key, type).toBeDefined();
        expect(ru[key ?? ''], type).toBeTruthy();
        expect(en[key ?? ''], type).toBeTruthy();
      }
  });
});
