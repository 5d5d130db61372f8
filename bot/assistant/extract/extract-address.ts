/*
 * Where an address or district begins: a street word, "адрес", "район", or a preposition that
 * takes a place. The client writes it as they like, so it is kept as free text.
 */
const START = new RegExp(
  [
    String.raw`(?:по\s+)?адрес[уа]?\s*[:\-—]?`,
    String.raw`(?:ул\.|улиц[аеы]|просп\.|проспект[еа]?|пр-т|пр-кт|пер\.|переул[ок][кеа]?|шоссе|бульвар[еа]?|б-р|наб\.|набережн\p{L}*|мкр\.?|микрорайон[еа]?|пос\.|пос[её]л[оке]\p{L}*|деревн\p{L}*|снт|кп|жк)`,
    String.raw`(?:в\s+)?район[еау]?\s+(?=\p{Lu})`,
    String.raw`\p{Lu}\p{L}+(?:ий|ый|ой|ом)\s+район\p{L}*`,
    String.raw`(?:живу|живём|живем|находимся|дом|квартира|участок)\s+(?:в|на)`,
    String.raw`(?:address(?:\s+is)?\s*:?|(?:at|on)\s+(?=\d+\s+\p{Lu})|in\s+the\s+\p{Lu}\p{L}+\s+district|district)`,
  ].join('|'),
  'iu',
);
/* Abbreviations that end with a dot inside an address and do not end it. */
const ABBREVIATION = /(?:ул|д|кв|корп|стр|пр|пер|г|мкр|наб|пос|обл|р-н|st|ave|apt|rd)$/iu;

function cutAtSentenceEnd(rest: string): string {
  let end = rest.length;
  // A comma goes on only into another part of the address (house, flat, building, street, town).
  const stop =
    /[!?\n;]|\.(?=\s+\p{Lu})|,(?!\s*(?:д\.|дом|кв\.|квартир|корп|стр\.|строение|под[ъь]езд|этаж|ул\.|улиц|г\.|город|пр-т|просп|пер\.|шоссе|мкр|обл|р-н|apt|suite|unit|\d+(?!\d|\s*(?:ок|двер|балк|этаж|комн|сот|м2|шт|млн|тыс|win|door|room|floor))))/giu;
  for (const match of rest.matchAll(stop)) {
    const before = rest.slice(0, match.index).trim();
    if (match[0] === '.' && ABBREVIATION.test(before.split(/\s+/).pop() ?? '')) continue;
    end = match.index;
    break;
  }
  return rest
    .slice(0, end)
    .trim()
    .replace(/[.,:;\s]+$/u, '');
}

/** The address or district as written, from its first marker to the end of that clause. */
export function extractAddress(text: string): string | undefined {
  const match = START.exec(text);
  if (!match) return undefined;
  const startsWithLabel =
    /^(?:по\s+)?адрес|^address|^(?:в\s+)?район[еау]?\s|^(?:живу|живём|живем|находимся|дом|квартира|участок)|^(?:at|on)\s/iu;
  const from = startsWithLabel.test(match[0]) ? match.index + match[0].length : match.index;
  const address = cutAtSentenceEnd(text.slice(from).replace(/^[\s:—-]+/u, ''));
  return address.length >= 3 ? address : undefined;
}
