import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { recordAudit } from '../audit/record-audit.js';
import { companyInputSchema } from '../companies/company-schemas.js';
import { createCompany } from '../companies/create-company.js';
import { contactInputSchema } from '../contacts/contact-schemas.js';
import { findOrCreateContact } from '../contacts/find-or-create-contact.js';
import { ensureDefaultPipelines } from '../pipelines/ensure-default-pipelines.js';
import { claimDemoSeed, type DemoSeedClaim } from './claim-demo-seed.js';
import { createPrng, type Prng } from './create-prng.js';
import { DEMO_COMPANIES } from './demo-companies.js';
import { DEMO_LEADS } from './demo-leads.js';
import { DEMO_SEED_MARKER_ID, demoSeedMarkerModel } from './demo-seed-marker.js';
import type { DemoWriteContext } from './demo-write-context.js';
import { makeInn } from './make-inn.js';
import { planDemoContacts } from './plan-demo-contacts.js';
import { planDemoDeals } from './plan-demo-deals.js';
import { writeDemoAccounts } from './write-demo-accounts.js';
import { writeDemoDeal } from './write-demo-deal.js';
import { writeDemoDeals } from './write-demo-deals.js';

/** The PRNG seed: the same workspace (names, phones, amounts) on every machine. */
const DEMO_PRNG_SEED = 20_240_001;
const HOUR_MS = 3600_000;

export interface DemoCounts {
  users: number;
  teams: number;
  companies: number;
  contacts: number;
  deals: number;
  leads: number;
  tasks: number;
  appointments: number;
  paymentSchedules: number;
}

export type DemoSeedResult =
  { seeded: true; counts: DemoCounts; ms: number } | { seeded: false; reason: Exclude<DemoSeedClaim, 'claimed'> };

async function writeCompanies(context: DemoWriteContext, prng: Prng): Promise<string[]> {
  const ids: string[] = [];
  for (const company of DEMO_COMPANIES) {
    const input = companyInputSchema.parse({
      name: company.name,
      inn: makeInn(prng, company.kind, company.taxOffice),
      address: company.address,
      counterpartyType: company.counterpartyType,
      ...(company.website ? { website: company.website } : {}),
      ...(company.phone ? { phones: [company.phone] } : {}),
      ...(company.email ? { emails: [company.email] } : {}),
      ownerId: context.users.manager.id,
      tags: company.tags,
    });
    ids.push((await createCompany(context, input, null))._id.toHexString());
  }
  return ids;
}

/**
 * Seeds the demo workspace of seed 001 (a window maker selling measurements, contracts and
 * installments) into an empty store: the default pipelines, two teams, the four demo accounts,
 * companies, fifty contacts, deals across every funnel with stage histories, leads, tasks,
 * appointments and payment schedules. Everything goes through the domains' own functions and
 * schemas, so the demo obeys the rules real data does. Deterministic for a given `now`; runs at
 * most once per database (see claimDemoSeed).
 */
export async function seedDemoWorkspace(db: Connection, options: { now?: Date } = {}): Promise<DemoSeedResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const claim = await claimDemoSeed(db, now);
  if (claim !== 'claimed') return { seeded: false, reason: claim };

  const prng = createPrng(DEMO_PRNG_SEED);
  const pipelines = await ensureDefaultPipelines(db);
  const { users, teamIds } = await writeDemoAccounts(db);
  const context: DemoWriteContext = { db, pipelines, users };
  const companyIds = await writeCompanies(context, prng);

  const contactPlans = planDemoContacts(prng, now);
  const contactIds: string[] = [];
  for (const plan of contactPlans) {
    const input = contactInputSchema.parse({
      ...plan.input,
      ...(plan.companyIndex === undefined ? {} : { companyId: companyIds[plan.companyIndex] }),
      ownerId: users[plan.owner].id,
      teamIds: plan.teams.map((team) => teamIds[team]),
    });
    contactIds.push((await findOrCreateContact(context, input, null)).contact.id);
  }

  const dealCounts = await writeDemoDeals(context, planDemoDeals(prng, now, contactPlans), (plan) => {
    const contact = contactPlans[plan.contactIndex]!;
    return {
      contactId: contactIds[plan.contactIndex]!,
      ownerId: users[contact.owner].id,
      ...(contact.companyIndex === undefined ? {} : { companyId: companyIds[contact.companyIndex]! }),
    };
  });

  const leads = DEMO_LEADS.map((lead) => {
    const createdAt = new Date(now.getTime() - prng.int(2, 72) * HOUR_MS);
    const decidedAt = new Date(createdAt.getTime() + prng.int(1, 2) * HOUR_MS);
    const decision = lead.stage === 'new' ? [] : [{ pipeline: 'leads', stage: lead.stage, at: decidedAt }];
    return {
      title: lead.title,
      amount: lead.amount,
      ownerId: users[lead.owner].id,
      steps: [{ pipeline: 'leads', stage: 'new', at: createdAt }, ...decision],
      ...(lead.lostReason ? { lostReason: lead.lostReason } : {}),
    };
  });
  for (const lead of leads) await writeDemoDeal(context, lead);

  const counts: DemoCounts = {
    users: Object.keys(users).length,
    teams: Object.keys(teamIds).length,
    companies: companyIds.length,
    contacts: new Set(contactIds).size,
    leads: DEMO_LEADS.length,
    ...dealCounts,
  };
  await demoSeedMarkerModel(db).updateOne(
    { _id: DEMO_SEED_MARKER_ID },
    { $set: { completedAt: new Date(), counts, contactIds } },
  );
  await recordAudit(context, { actor: null, action: 'demo.seed', entity: 'workspace', meta: { ...counts } });
  return { seeded: true, counts, ms: Math.round(performance.now() - started) };
}
