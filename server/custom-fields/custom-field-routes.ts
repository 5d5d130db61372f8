import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { customFieldModels, type CustomFieldRecord } from './custom-field-models.js';
import {
  customFieldInputSchema,
  customFieldListQuerySchema,
  customFieldPatchSchema,
  customFieldViewSchema,
} from './custom-field-schemas.js';
import { toCustomFieldView } from './to-custom-field-view.js';
import { initModel } from '../db/init-model.js';

const idParams = z.strictObject({ id: objectIdSchema });
const TAG = 'custom fields';

export const customFieldRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/custom-fields',
    summary: 'List custom field definitions, optionally for one entity',
    tag: TAG,
    // Every role renders contact and deal cards, so every role reads the definitions.
    access: 'authenticated',
    query: customFieldListQuerySchema,
    response: z.object({ items: z.array(customFieldViewSchema) }),
    async handler({ query, services }) {
      const { CustomField } = customFieldModels(services.db);
      const fields = await CustomField.find(query.entity ? { entity: query.entity } : {})
        .sort({ entity: 1, position: 1, key: 1 })
        .lean<CustomFieldRecord[]>();
      return { items: fields.map(toCustomFieldView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/custom-fields',
    summary: 'Define a custom field (409 when the key exists for the entity)',
    tag: TAG,
    access: 'custom-fields.manage',
    body: customFieldInputSchema,
    response: customFieldViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      const { CustomField } = customFieldModels(services.db);
      await initModel(CustomField);
      const created = toCustomFieldView((await CustomField.create(body)).toObject());
      await recordAudit(services, {
        actor: user,
        action: 'custom-field.create',
        entity: 'custom-field',
        entityId: created.id,
        after: created,
      });
      return created;
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/custom-fields/:id',
    summary: 'Change the label, options or position of a custom field',
    tag: TAG,
    access: 'custom-fields.manage',
    params: idParams,
    body: customFieldPatchSchema,
    response: customFieldViewSchema,
    async handler({ params, body, user, services }) {
      const { CustomField } = customFieldModels(services.db);
      const before = await CustomField.findById(params.id).lean<CustomFieldRecord>();
      if (!before) throw notFound('Custom field');
      const after = await CustomField.findByIdAndUpdate(
        params.id,
        { $set: body },
        { returnDocument: 'after' },
      ).lean<CustomFieldRecord>();
      if (!after) throw notFound('Custom field');
      const view = toCustomFieldView(after);
      await recordAudit(services, {
        actor: user,
        action: 'custom-field.update',
        entity: 'custom-field',
        entityId: params.id,
        before: toCustomFieldView(before),
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/custom-fields/:id',
    summary: 'Remove a custom field definition (values already stored stay on the records)',
    tag: TAG,
    access: 'custom-fields.manage',
    params: idParams,
    async handler({ params, user, services }) {
      const { CustomField } = customFieldModels(services.db);
      const removed = await CustomField.findByIdAndDelete(params.id).lean<CustomFieldRecord>();
      if (!removed) throw notFound('Custom field');
      await recordAudit(services, {
        actor: user,
        action: 'custom-field.delete',
        entity: 'custom-field',
        entityId: params.id,
        before: toCustomFieldView(removed),
      });
      return undefined;
    },
  }),
];
