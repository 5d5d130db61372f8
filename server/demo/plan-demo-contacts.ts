import type { z } from 'zod';
import type { contactInputSchema } from '../contacts/contact-schemas.js';
import type { DemoTeamKey } from './demo-accounts.js';
import { DEMO_COMPANIES } from './demo-companies.js';
import { DEMO_DEAL_SLOTS, type DemoDealSlot } from './demo-deal-slots.js';
import { DEMO_NAMES } from './demo-names.js';
import type { Prng } from './create-prng.js';
import { transliterate } from './transliterate.js';

export type DemoObject = 'house' | 'flat' | 'dacha' | 'townhouse' | 'company';

export interface DemoContactPlan {
  /** What the contacts domain takes (before parsing); company, owner and teams are added as ids. */
  input: z.input<typeof contactInputSchema>;
  owner: 'operator' | 'manager';
  teams: DemoTeamKey[];
  /** Index into DEMO_COMPANIES for a company's contact person. */
  companyIndex?: number;
  /** What the client glazes: picks the deal's title and price. */
  object: DemoObject;
  /** Where measurements take place. */
  address: string;
  firstTouchAt: Date;
  slot?: DemoDealSlot;
}

export const DEMO_CONTACT_COUNT = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

// Client companies' contact persons among the clients with deals, suppliers' and agents' after them.
const COMPANY_AT: ReadonlyMap<number, number> = new Map([
  [3, 0],
  [6, 1],
  [9, 2],
  [12, 3],
  [15, 4],
  [18, 5],
  [21, 6],
  [24, 7],
  [27, 8],
  [30, 0],
  [34, 9],
  [38, 10],
  [42, 11],
  [46, 12],
]);

/** Where the clients come from, with a share each; UTM tags where an ad or a post brought them. */
const SOURCES: readonly { source: string; weight: number; utm?: Record<string, string>; marketing?: true }[] = [
  {
    source: 'Яндекс.Директ',
    weight: 25,
    utm: { source: 'yandex', medium: 'cpc', campaign: 'okna_eco_dom', term: 'пластиковые окна в частный дом' },
    marketing: true,
  },
  { source: 'Сайт', weight: 20, utm: { source: 'google', medium: 'organic' } },
  {
    source: 'Авито',
    weight: 10,
    utm: { source: 'avito', medium: 'classified', campaign: 'okna_pvh' },
    marketing: true,
  },
  {
    source: 'ВКонтакте',
    weight: 10,
    utm: { source: 'vk', medium: 'social', campaign: 'rassrochka_0', content: 'post_balkon' },
    marketing: true,
  },
  { source: 'Рекомендация', weight: 15 },
  { source: 'Выставка «Загородный дом»', weight: 8 },
  { source: 'Telegram', weight: 7, marketing: true },
  { source: 'Входящий звонок', weight: 5 },
];

const REGIONS = [
  { region: 'Москва', weight: 45, towns: ['г. Москва'] },
  {
    region: 'Московская область',
    weight: 40,
    towns: ['г. Истра', 'г. Красногорск', 'г. Одинцово', 'г. Дмитров', 'г. Пушкино', 'г. Раменское'],
  },
  { region: 'Тульская область', weight: 8, towns: ['г. Тула'] },
  { region: 'Калужская область', weight: 7, towns: ['г. Калуга', 'г. Обнинск'] },
];

const STREETS = ['Садовая', 'Лесная', 'Центральная', 'Школьная', 'Молодёжная', 'Парковая', 'Полевая', 'Луговая'];
const MOBILE_CODES = ['903', '905', '909', '910', '915', '916', '917', '925', '926', '929', '977', '985', '999'];
const MAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'list.ru'];
const OBJECTS: readonly { object: DemoObject; weight: number; tag: string }[] = [
  { object: 'house', weight: 45, tag: 'частный дом' },
  { object: 'flat', weight: 35, tag: 'квартира' },
  { object: 'dacha', weight: 12, tag: 'дача' },
  { object: 'townhouse', weight: 8, tag: 'таунхаус' },
];

function weighted<T extends { weight: number }>(prng: Prng, items: readonly T[]): T {
  let left = prng.next() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) {
    left -= item.weight;
    if (left < 0) return item;
  }
  return items[items.length - 1]!;
}

/**
 * A new mobile number: as the client typed it (one of the spellings people use; dedupe and search
 * see through all of them) and as WhatsApp's wa_id (country code and digits, no '+').
 */
function newPhone(prng: Prng, used: Set<string>): { typed: string; waId: string } {
  let code: string;
  let rest: string;
  do {
    code = prng.pick(MOBILE_CODES);
    rest = String(prng.int(1_000_000, 9_999_999));
  } while (used.has(code + rest));
  used.add(code + rest);
  const [a, b, c] = [rest.slice(0, 3), rest.slice(3, 5), rest.slice(5)];
  const typed = prng.pick([
    `+7 (${code}) ${a}-${b}-${c}`,
    `8 ${code} ${a}-${b}-${c}`,
    `8${code}${rest}`,
    `+7${code}${rest}`,
    `+7 ${code} ${a} ${b} ${c}`,
  ]);
  return { typed, waId: `7${code}${rest}` };
}

/** How long ago the client first wrote: older for deals that went further down the funnel. */
function daysSinceFirstTouch(prng: Prng, slot: DemoDealSlot | undefined): number {
  if (!slot) return prng.int(10, 180);
  if (slot.installments === 'paid-off') return prng.int(150, 170);
  if (slot.installments) return prng.int(110, 140);
  const last = slot.path[slot.path.length - 1]!;
  if (last.pipeline === 'deferred') return prng.int(40, 80);
  // Plain sales are recent: the default report period (the last 30 days) shows leads taken to a win.
  if (last.stage === 'won') return prng.int(16, 28);
  return slot.path.length * 5 + prng.int(3, 15);
}

function regionOfAddress(address: string): string {
  if (address.startsWith('г. Москва')) return 'Москва';
  if (address.startsWith('Московская обл.')) return 'Московская область';
  return 'Тульская область';
}

/**
 * The demo's fifty clients, the same on every run for one PRNG seed and `now`: Russian names,
 * phones in the spellings people type, e-mails, where they came from (with UTM), regions,
 * messenger identities with consent, owners and teams. Client i gets deal slot i.
 */
export function planDemoContacts(prng: Prng, now: Date): DemoContactPlan[] {
  const surnames = [...DEMO_NAMES.surnames];
  const usedPhones = new Set<string>();
  const plans: DemoContactPlan[] = [];
  for (let i = 0; i < DEMO_CONTACT_COUNT; i++) {
    const female = prng.chance(0.5);
    const first = prng.pick(female ? DEMO_NAMES.female : DEMO_NAMES.male);
    // Each surname once, so every client is told apart by name in lists and searches.
    const surname = surnames.splice(prng.int(0, surnames.length - 1), 1)[0]!;
    const last = female ? `${surname}а` : surname;
    const companyIndex = COMPANY_AT.get(i);
    const company = companyIndex === undefined ? undefined : DEMO_COMPANIES[companyIndex];
    const source = company
      ? { source: prng.pick(['Рекомендация', 'Выставка «Загородный дом»', 'Входящий звонок']), weight: 0 }
      : weighted(prng, SOURCES);
    const place = weighted(prng, REGIONS);
    const address = company
      ? company.address
      : `${prng.pick(place.towns)}, ул. ${prng.pick(STREETS)}, д. ${prng.int(1, 120)}` +
        (place.region === 'Москва' ? `, кв. ${prng.int(1, 300)}` : '');
    const object = company ? undefined : weighted(prng, OBJECTS);
    const phone = newPhone(prng, usedPhones);
    const latin = `${transliterate(first)}.${transliterate(last)}`;
    const email = prng.chance(0.75)
      ? `${prng.chance(0.5) ? latin : `${transliterate(last)}${prng.int(70, 99)}`}@${prng.pick(MAIL_DOMAINS)}`
      : undefined;
    const slot = DEMO_DEAL_SLOTS[i];
    const firstTouchAt = new Date(
      now.getTime() - daysSinceFirstTouch(prng, slot) * DAY_MS - prng.int(0, 10) * 3600_000,
    );
    const telegram = source.source === 'Telegram' || prng.chance(0.15);
    const whatsapp = prng.chance(0.25);
    const consentAt = firstTouchAt.toISOString();
    plans.push({
      input: {
        name: `${first} ${last}`,
        phones: [phone.typed],
        ...(email ? { emails: [email] } : {}),
        identities: [
          ...(telegram
            ? [{ channel: 'telegram' as const, externalId: String(prng.int(100_000_000, 999_999_999)) }]
            : []),
          ...(whatsapp ? [{ channel: 'whatsapp' as const, externalId: phone.waId }] : []),
        ],
        tags: [
          ...(object ? [object.tag] : []),
          ...(source.source.startsWith('Выставка') ? ['выставка 2024'] : []),
          ...(slot?.installments ? ['рассрочка'] : []),
          ...(prng.chance(0.08) ? ['VIP'] : []),
        ],
        region: company ? regionOfAddress(company.address) : place.region,
        source: source.source,
        ...('utm' in source && source.utm ? { utm: source.utm } : {}),
        firstTouchAt: firstTouchAt.toISOString(),
        consent: {
          ...(telegram ? { telegram: { status: 'opted-in' as const, at: consentAt } } : {}),
          ...(whatsapp ? { whatsapp: { status: 'opted-in' as const, at: consentAt } } : {}),
          ...(prng.chance(0.06) ? { sms: { status: 'opted-out' as const, at: consentAt } } : {}),
        },
        language: 'ru',
      },
      owner: [0, 1, 3].includes(i % 5) ? 'operator' : 'manager',
      teams: 'marketing' in source && source.marketing ? ['sales', 'marketing'] : ['sales'],
      ...(companyIndex === undefined ? {} : { companyIndex }),
      object: object?.object ?? 'company',
      address,
      firstTouchAt,
      ...(slot ? { slot } : {}),
    });
  }
  return plans;
}
