import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { pageOf } from '../api/pagination.js';
import { countContactReads } from '../security/count-contact-reads.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { contactListFilter } from './contact-list-filter.js';
import { contactModels, type ContactRecord } from './contact-models.js';
import {
  contactCreateSchema,
  contactListQuerySchema,
  contactPatchSchema,
  contactViewSchema,
  mergeBodySchema,
} from './contact-schemas.js';
import { contactIsVisible, contactScope } from './contact-scope.js';
import { createContact } from './create-contact.js';
import { deleteContact } from './delete-contact.js';
import { DuplicateContactError } from './duplicate-contact-error.js';
import { linkContactKeys } from './link-contact-keys.js';
import { mergeContacts } from './merge-contacts.js';
import { toContactView } from './to-contact-view.js';
import { updateContact } from './update-contact.js';

const idParams = z.strictObject({ id: objectIdSchema });
const TAG = 'contacts';

export const contactRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/contacts',
    summary: 'List contacts, newest first; q searches names, phones in any format, e-mails and company names',
    tag: TAG,
    access: 'contacts.read',
    query: contactListQuerySchema,
    response: z.object({ items: z.array(contactViewSchema), nextCursor: z.string().optional() }),
    async handler({ query, user, services }) {
      const rows = await contactModels(services.db)
        .Contact.find(await contactListFilter(services.db, query, user))
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<ContactRecord[]>();
      const page = pageOf(rows.map(toContactView), query.limit);
      await countContactReads(services, user, page.items.length);
      return page;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/contacts',
    summary: 'Add a contact; a duplicate phone, e-mail or identity answers 409 with the existing id',
    tag: TAG,
    access: 'contacts.write',
    body: contactCreateSchema,
    response: contactViewSchema,
    status: 201,
    async handler({ body, user, services, res }) {
      const { onDuplicate, ...input } = body;
      try {
        return toContactView(await createContact(services, input, user));
      } catch (error) {
        // Someone outside the user's scope keeps the 409: linking would hand over their card.
        if (!(error instanceof DuplicateContactError) || onDuplicate !== 'return-existing') throw error;
        if (!contactIsVisible(user, error.existing)) throw error;
        const linked = await linkContactKeys(services, error.existing, input, user);
        res.status(200).json(toContactView(linked));
        return undefined;
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/contacts/:id',
    summary: 'A contact (a merged one shows mergedInto: the survivor to open instead)',
    tag: TAG,
    access: 'contacts.read',
    params: idParams,
    response: contactViewSchema,
    async handler({ params, user, services }) {
      const contact = await contactModels(services.db)
        .Contact.findOne({ _id: params.id, status: { $in: ['active', 'merged'] }, ...contactScope(user) })
        .lean<ContactRecord>();
      if (!contact) throw notFound('Contact');
      await countContactReads(services, user, 1);
      return toContactView(contact);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/contacts/:id',
    summary: 'Change a contact; lists replace, null clears a field or a custom field',
    tag: TAG,
    access: 'contacts.write',
    params: idParams,
    body: contactPatchSchema,
    response: contactViewSchema,
    handler: ({ params, body, user, services }) => updateContact(services, params.id, body, user),
  }),
  defineRoute({
    method: 'delete',
    path: '/contacts/:id',
    summary: 'Delete a contact (kept for history, gone from lists)',
    tag: TAG,
    access: 'contacts.write',
    params: idParams,
    handler: ({ params, user, services }) => deleteContact(services, params.id, user),
  }),
  defineRoute({
    method: 'post',
    path: '/contacts/:id/merge',
    summary: 'Merge another contact (sourceId) into this one; safe to retry',
    tag: TAG,
    access: 'contacts.merge',
    params: idParams,
    body: mergeBodySchema,
    response: contactViewSchema,
    handler: ({ params, body, user, services }) => mergeContacts(services, params.id, body.sourceId, user),
  }),
];
