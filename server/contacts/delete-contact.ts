import { notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { contactModels, type ContactRecord } from './contact-models.js';
import { contactScope } from './contact-scope.js';
import { toContactView } from './to-contact-view.js';

/**
 * Soft-deletes a contact the user may see: the record and its history stay (seed 002 lists lost
 * client data first among why CRMs fail), it leaves lists, and its phones, e-mails and
 * identities are free for a new contact.
 */
export async function deleteContact(services: Pick<ApiServices, 'db'>, id: string, user: AuthUser): Promise<void> {
  const { Contact } = contactModels(services.db);
  const before = await Contact.findOneAndUpdate(
    { _id: id, status: 'active', ...contactScope(user) },
    { $set: { status: 'deleted', deletedAt: new Date() } },
  ).lean<ContactRecord>();
  if (!before) throw notFound('Contact');
  await recordAudit(services, {
    actor: user,
    action: 'contact.delete',
    entity: 'contact',
    entityId: id,
    before: toContactView(before),
  });
}
