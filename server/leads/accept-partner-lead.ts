import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { badRequest } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { idempotent, IDEMPOTENCY_KEY_PATTERN } from '../http/idempotency.js';
import { acceptInboundLead } from './accept-inbound-lead.js';
import type { PartnerLeadInput } from './inbound-lead-schema.js';
import { leadOwner } from './lead-owner.js';
import { leadTarget } from './lead-target.js';

/**
 * `POST /leads` for a partner's token: the lead spine once per Idempotency-Key (the same key and
 * body again replays the first answer, another body is a 409; keys are the token owner's own).
 * Without a key every call is a new lead. The deal belongs to the token's owner while they work
 * deals, else to an admin.
 */
export async function acceptPartnerLead(
  services: ApiServices,
  user: AuthUser,
  body: PartnerLeadInput,
  headerKey: string | undefined,
  res: Response,
): Promise<void> {
  if (headerKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(headerKey)) {
    throw badRequest(errorTexts.say('idempotencyKey'));
  }
  const key = headerKey ?? randomUUID();
  const result = await idempotent(services, { scope: `leads:${user.id}`, key, request: body }, async () => {
    const [target, ownerId] = await Promise.all([leadTarget(services.db, body), leadOwner(services.db, user.id)]);
    const reach = body.name ?? body.phone?.raw ?? body.email;
    const { lead } = await acceptInboundLead(services, {
      key: `partner:${user.id}:${key}`,
      via: 'partner',
      partner: body.partner,
      source: `${body.source}:${body.partner}`,
      answers: [],
      person: { name: body.name, phone: body.phone?.raw, email: body.email },
      comment: body.comment,
      utm: body.utm,
      referrer: body.referrer,
      landingPage: body.landingPage,
      language: body.language,
      contactCustomFields: body.customFields?.contact ?? {},
      deal: {
        ...target,
        ownerId,
        title: (body.title ?? `${body.partner} — ${reach}`).slice(0, 300),
        amount: body.amount ?? 0,
        customFields: body.customFields?.deal ?? {},
      },
      actor: user,
    });
    return {
      status: 201,
      body: {
        id: lead.id,
        contactId: lead.contactId,
        dealId: lead.dealId,
        source: lead.source,
        createdAt: lead.createdAt,
      },
    };
  });
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}
