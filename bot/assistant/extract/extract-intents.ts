import type { Intent } from './extraction-schema.js';

/*
 * Keyword stems per intent, Russian and English. Stems rather than words: Russian inflects
 * ("окно", "окна", "окон", "окнами"), and a client writes fast and with typos.
 */
const KEYWORDS: [Intent, RegExp][] = [
  ['windows', /(?<!\p{L})(?:ок(?:н|он)\p{L}*|стеклопакет\p{L}*|подоконник\p{L}*|windows?)(?!\p{L})/iu],
  ['balcony', /(?<!\p{L})(?:балкон\p{L}*|лодж\p{L}*|balcon(?:y|ies)|loggia)(?!\p{L})/iu],
  ['doors', /(?<!\p{L})(?:двер\p{L}*|doors?)(?!\p{L})/iu],
  // "дом" alone is too often part of an address ("дом 3"): a house to build is named with more.
  [
    'house',
    /(?<!\p{L})(?:построить|постро[ий]\p{L}*|строительств\p{L}*|коттедж\p{L}*|каркасн\p{L}*|эко-?дом\p{L}*|дом(?:а|ик)?\s+(?:из|под\s+ключ|\d+\s*(?:м|кв))|участ(?:ок|ка)|build\s+a\s+house|houses?|cottage)(?!\p{L})/iu,
  ],
  ['buy', /(?<!\p{L})(?:купить|куплю|покупк\p{L}*|покупаю|приобрести|ищу\s+квартиру|buy|buying|purchase)(?!\p{L})/iu],
  ['sell', /(?<!\p{L})(?:продать|продаю|продажу\s+(?:квартиры|дома|комнаты)|sell|selling)(?!\p{L})/iu],
  [
    'rent',
    /(?<!\p{L})(?:аренд\p{L}*|снять|сниму|сним[еа]\p{L}*|сдать|сдаю|сдам|сда[её]м|съ[её]м|rent|renting|lease)(?!\p{L})/iu,
  ],
  [
    'price',
    /(?:сколько\s+стоит|сколько\s+будет\s+стоить|почём|почем|цен[аыуе]|стоимост\p{L}*|прайс|расценк\p{L}*|how\s+much|price|cost)/iu,
  ],
  ['warranty', /(?:гаранти\p{L}*|warrant\p{L}*|guarantee)/iu],
  [
    'installments',
    /(?:рассрочк\p{L}*|в\s+кредит|частями|ипотек\p{L}*|installments?|instalments?|pay\s+in\s+parts|mortgage|financing)/iu,
  ],
  [
    'hours',
    /(?:часы\s+работы|график\s+работы|режим\s+работы|до\s+скольки|во\s+сколько\s+(?:вы\s+)?(?:открыва|работа)|когда\s+(?:вы\s+)?работаете|работаете\s+(?:ли\s+)?(?:в\s+)?(?:выходн|суббот|воскресень)|opening\s+hours|working\s+hours|business\s+hours|are\s+you\s+open|when\s+are\s+you\s+open)/iu,
  ],
  ['measurement', /(?:замер\p{L}*|measur\p{L}*)/iu],
  ['delivery', /(?:доставк\p{L}*|привез\p{L}*|deliver\p{L}*|shipping)/iu],
  [
    'booking',
    /(?:записат\p{L}*|запиши\p{L}*|консультаци\p{L}*|встреч\p{L}*|book(?:ing)?\b|appointment|consultation)/iu,
  ],
  [
    'human',
    /(?:(?<!\p{L})оператор\p{L}*|(?<!\p{L})человек(?:ом|у|а)?(?!\p{L})|живо(?:й|го|му)\s+(?:человек|менеджер|сотрудник)|позовите|соедините|\/human|(?<!\p{L})operator|real\s+person|human|talk\s+to\s+(?:a\s+)?(?:person|manager|someone)|agent)/iu,
  ],
];

/** Every intent whose keywords the text contains, in the table's order. */
export function extractIntents(text: string): Intent[] {
  return KEYWORDS.filter(([, pattern]) => pattern.test(text)).map(([intent]) => intent);
}
