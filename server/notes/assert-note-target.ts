import { notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { companyModels } from '../companies/company-models.js';
import { contactModels } from '../contacts/contact-models.js';
import { contactScope } from '../contacts/contact-scope.js';
import { dealModel } from '../deals/deal-model.js';
import { dealScope } from '../deals/deal-scope.js';
import type { NoteEntity } from './note-schemas.js';

/**
 * A note's record must exist and be one the user may see; otherwise 404, as for the record
 * itself (each domain's own scope: a contact's teams, a deal's owner).
 */
export async function assertNoteTarget(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  entity: NoteEntity,
  entityId: string,
): Promise<void> {
  const found = await (async () => {
    switch (entity) {
      case 'contact':
        return contactModels(services.db).Contact.exists({
          _id: entityId,
          status: { $ne: 'deleted' },
          ...contactScope(user),
        });
      case 'company':
        return companyModels(services.db).Company.exists({ _id: entityId, status: 'active' });
      case 'deal':
        return (await dealModel(services.db)).exists({ _id: entityId, ...dealScope(user) });
    }
  })();
  if (!found) throw notFound(entity === 'contact' ? 'Contact' : entity === 'company' ? 'Company' : 'Deal');
}
