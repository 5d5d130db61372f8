import type { OpenQuestion } from '../../../flows/index.js';
import type { Extraction, QUANTITY_UNITS } from '../extract/extraction-schema.js';

type Unit = (typeof QUANTITY_UNITS)[number];

/*
 * Which part of an understood message answers a question, read from where the answer is saved:
 * a number saved to `deal.fields.budget` is a budget, to `deal.fields.house_area` square metres,
 * to `deal.fields.window_count` a count of things; a text saved to an address or district field
 * is the address the client named. Other texts are never guessed from a whole message.
 */
const BUDGET = /budget|price|amount|cost|бюджет/i;
const AREA = /area|size|sqm|square|площад/i;
const PLOT = /plot|sotk|участ/i;
const ADDRESS = /address|district|location|region|адрес|район/i;
const AREA_UNITS: Unit[] = ['sqm', 'sotka'];

/** The answer one understood message gives to an open question, or undefined when it gives none. */
export function answerFromExtraction(
  question: Pick<OpenQuestion, 'answer' | 'saveTo' | 'buttons'>,
  extraction: Extraction,
): string | number | undefined {
  const { saveTo } = question;
  switch (question.answer) {
    case 'phone':
      return extraction.phones.length === 1 ? extraction.phones[0] : undefined;
    case 'email':
      return extraction.emails.length === 1 ? extraction.emails[0] : undefined;
    case 'name':
      return extraction.name;
    case 'date':
      return whenOf(extraction);
    case 'number':
      return numberFor(saveTo, extraction);
    case 'choice': {
      // Choices whose ids are intents ("windows", "rent") are picked by what the client said they want.
      const ids = question.buttons.flatMap((button) => (button.id ? [button.id] : []));
      const chosen = ids.filter((id) => extraction.intents.some((intent) => intent === id));
      return chosen.length === 1 ? chosen[0] : undefined;
    }
    case 'text':
      return ADDRESS.test(saveTo) ? extraction.address : undefined;
  }
}

function numberFor(saveTo: string, extraction: Extraction): number | undefined {
  if (BUDGET.test(saveTo)) return extraction.budget?.amount;
  const unit = (wanted: Unit) => extraction.quantities.find((quantity) => quantity.unit === wanted)?.value;
  if (PLOT.test(saveTo)) return unit('sotka');
  if (AREA.test(saveTo)) return unit('sqm');
  const counted = extraction.quantities.filter((quantity) => !AREA_UNITS.includes(quantity.unit));
  return counted.length === 1 ? counted[0]!.value : undefined;
}

/** The date the client named, unless its words are the house number of their address ("at 12 Baker Street"). */
function whenOf({ when, address }: Extraction): string | undefined {
  if (!when) return undefined;
  const words = when.text.replace(/^(?:at|on|в|на)\s+/iu, '');
  if (address?.includes(words)) return undefined;
  return when.time ? when.at : when.date;
}
