import type { FlowDefinition, OpenQuestion } from '../../flows/index.js';
import { isSet, resolvePath, type Scope } from '../../flows/engine/resolve-path.js';

/**
 * The flow's ask steps whose answer is not known yet and that skip when it is: what a client's
 * message may answer in advance (AnswerParser.findAnswers). `scope` is what the run knows
 * (`contact`, `deal`, `vars`, …).
 */
export function openQuestions(definition: FlowDefinition, scope: Scope): OpenQuestion[] {
  return definition.steps.flatMap((step) =>
    step.type === 'ask' && step.saveTo && step.skipIfAnswered && !isSet(resolvePath(scope, step.saveTo))
      ? [
          {
            stepId: step.id,
            answer: step.answer,
            saveTo: step.saveTo,
            question: step.question,
            buttons: step.buttons ?? [],
          },
        ]
      : [],
  );
}
