import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { escapeRegex } from '../db/escape-regex.js';
import { admitFormOrigin } from './admit-form-origin.js';
import { checkFormTargets } from './check-form-targets.js';
import { formEmbedScript } from './form-embed-script.js';
import { formModel, type FormRecord } from './form-model.js';
import {
  formIdParamsSchema,
  formInputSchema,
  formListQuerySchema,
  formPatchSchema,
  formViewSchema,
  submissionBodySchema,
} from './form-schemas.js';
import { submitForm } from './submit-form.js';
import { toFormView } from './to-form-view.js';

const TAG = 'forms';
// A form's answers are short; the long ones are a textarea's 5000 characters (6 bytes each when urlencoded Cyrillic).
const MAX_SUBMISSION_BYTES = 64 * 1024;

const submissionResponseSchema = z.object({ received: z.literal(true), message: z.string() });

export const formRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/forms',
    summary: 'List web forms, newest first; q searches names',
    tag: TAG,
    access: 'forms.manage',
    query: formListQuerySchema,
    response: z.object({ items: z.array(formViewSchema), nextCursor: z.string().optional() }),
    async handler({ query, services }) {
      const before = decodeCursor(query.cursor);
      const rows = await formModel(services.db)
        .find({
          ...(before ? { _id: { $lt: before } } : {}),
          ...(query.q ? { name: { $regex: escapeRegex(query.q), $options: 'i' } } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<FormRecord[]>();
      return pageOf(
        rows.map((form) => toFormView(form, services.config.publicUrl)),
        query.limit,
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/forms',
    summary: 'Define a web form: fields, where answers go, the target pipeline, thank-you text, allowed sites',
    tag: TAG,
    access: 'forms.manage',
    body: formInputSchema,
    response: formViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      const ownerId = body.ownerId ?? user.id;
      await checkFormTargets(services.db, { ...body, ownerId });
      const created = await formModel(services.db).create({ ...body, ownerId, createdById: user.id });
      const view = toFormView(created.toObject<FormRecord>(), services.config.publicUrl);
      await recordAudit(services, {
        actor: user,
        action: 'form.create',
        entity: 'form',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/forms/:id',
    summary: 'A web form with the snippet to paste into a site page',
    tag: TAG,
    access: 'forms.manage',
    params: formIdParamsSchema,
    response: formViewSchema,
    async handler({ params, services }) {
      const form = await formModel(services.db).findById(params.id).lean<FormRecord>();
      if (!form) throw notFound('Form');
      return toFormView(form, services.config.publicUrl);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/forms/:id',
    summary: 'Change a web form; sites showing it pick the change up on their next page load',
    tag: TAG,
    access: 'forms.manage',
    params: formIdParamsSchema,
    body: formPatchSchema,
    response: formViewSchema,
    async handler({ params, body, user, services }) {
      const Form = formModel(services.db);
      const before = await Form.findById(params.id).lean<FormRecord>();
      if (!before) throw notFound('Form');
      const { stageId, thankYou, submitLabel, ...plain } = body;
      const merged = {
        fields: plain.fields ?? before.fields,
        pipelineId: plain.pipelineId ?? before.pipelineId.toHexString(),
        stageId: stageId === null ? undefined : (stageId ?? (plain.pipelineId ? undefined : before.stageId)),
        ownerId: plain.ownerId ?? before.ownerId.toHexString(),
      };
      await checkFormTargets(services.db, merged);
      const after = await Form.findByIdAndUpdate(
        params.id,
        {
          $set: {
            ...plain,
            ...(thankYou ? { thankYou: { ...before.thankYou, ...thankYou } } : {}),
            ...(submitLabel ? { submitLabel: { ...before.submitLabel, ...submitLabel } } : {}),
            ...(merged.stageId ? { stageId: merged.stageId } : {}),
          },
          ...(merged.stageId ? {} : { $unset: { stageId: '' } }),
        },
        { returnDocument: 'after' },
      ).lean<FormRecord>();
      if (!after) throw notFound('Form');
      const view = toFormView(after, services.config.publicUrl);
      await recordAudit(services, {
        actor: user,
        action: 'form.update',
        entity: 'form',
        entityId: params.id,
        before: toFormView(before, services.config.publicUrl),
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/forms/:id',
    summary: 'Remove a web form: sites showing it stop taking submissions; its leads stay',
    tag: TAG,
    access: 'forms.manage',
    params: formIdParamsSchema,
    async handler({ params, user, services }) {
      const removed = await formModel(services.db).findByIdAndDelete(params.id).lean<FormRecord>();
      if (!removed) throw notFound('Form');
      await recordAudit(services, {
        actor: user,
        action: 'form.delete',
        entity: 'form',
        entityId: params.id,
        before: toFormView(removed, services.config.publicUrl),
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/forms/:id/submissions',
    summary:
      "A site visitor's submission (JSON or an HTML form; from the form's sites only): becomes a contact, a deal and a timeline entry once",
    tag: TAG,
    access: 'public',
    sessionless: true,
    cors: admitFormOrigin,
    bodyKind: 'json-or-form',
    maxBodyBytes: MAX_SUBMISSION_BYTES,
    params: formIdParamsSchema,
    body: submissionBodySchema,
    response: submissionResponseSchema,
    async handler({ params, body, services, req, res }) {
      await submitForm(services, params.id, body, req, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/forms/:id/embed.js',
    summary: 'The script that renders the form on a site page (what the snippet loads)',
    tag: TAG,
    access: 'public',
    sessionless: true,
    params: formIdParamsSchema,
    async handler({ params, services, res }) {
      const form = await formModel(services.db).findById(params.id).lean<FormRecord>();
      // Any site may load the script; where it may send answers is checked on submission.
      res.set({ 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'public, max-age=60' });
      if (!form?.active) {
        const warning = 'Funnel Inbox: this form does not exist or is switched off / Такой формы нет или она выключена';
        res
          .status(404)
          .type('text/javascript')
          .send(`console.warn(${JSON.stringify(warning)});\n`);
        return undefined;
      }
      res.type('text/javascript').send(formEmbedScript(form, services.config.publicUrl));
      return undefined;
    },
  }),
];
