import { Types } from 'mongoose';
import { z } from 'zod';
import { badRequest, conflict, forbidden, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute, type AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { can, seesEverything } from '../auth/permissions.js';
import { contactModels } from '../contacts/contact-models.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { escapeRegex } from '../db/escape-regex.js';
import { findVisibleConversation } from '../messaging/find-visible-conversation.js';
import { userModels } from '../users/user-models.js';
import { objectIdSchema } from '../users/user-schemas.js';
import {
  cannedResponseModel,
  scopeKeyOf,
  toCannedResponseView,
  type CannedResponseRecord,
} from './canned-response-model.js';
import {
  cannedRenderSchema,
  cannedResponseChangeSchema,
  cannedResponseInputSchema,
  cannedResponseViewSchema,
  toLanguages,
} from './canned-response-schemas.js';
import { assertMayEditCanned, cannedResponseScope } from './canned-response-scope.js';
import { renderCannedResponse } from './render-canned-response.js';
import { initModel } from '../db/init-model.js';

const { say } = errorTexts;

const TAG = 'canned-responses';
const idParams = z.strictObject({ id: objectIdSchema });
const shortcutTaken = () => conflict(say('shortcutTaken'));

async function findUsable(services: Pick<ApiServices, 'db'>, user: AuthUser, id: string) {
  const found = await cannedResponseModel(services.db)
    .findOne({ _id: new Types.ObjectId(id), ...cannedResponseScope(user) })
    .lean<CannedResponseRecord>();
  if (!found) throw notFound('Canned response');
  return found;
}

/** Ready answers operators insert with '/shortcut': personal, for a team, or for everyone. */
export const cannedResponseRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/canned-responses',
    summary: "Canned responses the user may use (personal, their teams', everyone's); q matches the shortcut",
    tag: TAG,
    access: 'conversations.reply',
    query: listQuerySchema,
    async handler({ query, user, services }) {
      const cursor = decodeCursor(query.cursor);
      const rows = await cannedResponseModel(services.db)
        .find({
          ...cannedResponseScope(user),
          ...(query.q ? { shortcut: { $regex: `^${escapeRegex(query.q.toLowerCase())}` } } : {}),
          ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<CannedResponseRecord[]>();
      return pageOf(rows.map(toCannedResponseView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/canned-responses',
    summary: 'Add a canned response; team and everyone ones need canned.manage',
    tag: TAG,
    access: 'conversations.reply',
    body: cannedResponseInputSchema,
    response: cannedResponseViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      if (body.visibility !== 'personal' && !can(user.role, 'canned.manage')) throw forbidden(say('cannedManage'));
      if (body.teamId && !seesEverything(user.role) && !user.teamIds.includes(body.teamId))
        throw forbidden(say('cannedOwnTeams'));
      if (body.teamId && !(await userModels(services.db).Team.exists({ _id: body.teamId })))
        throw badRequest(say('noSuchTeam'));
      const Canned = cannedResponseModel(services.db);
      await initModel(Canned);
      let created: CannedResponseRecord;
      try {
        created = (
          await Canned.create({
            shortcut: body.shortcut,
            text: toLanguages(body.text),
            visibility: body.visibility,
            ...(body.teamId ? { teamId: new Types.ObjectId(body.teamId) } : {}),
            ownerId: new Types.ObjectId(user.id),
            scopeKey: scopeKeyOf(body.visibility, user.id, body.teamId),
          })
        ).toObject();
      } catch (error) {
        if (isDuplicateKeyError(error)) throw shortcutTaken();
        throw error;
      }
      const view = toCannedResponseView(created);
      await recordAudit(services, {
        actor: user,
        action: 'canned.create',
        entity: 'canned',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/canned-responses/:id',
    summary: 'Change a canned response: your personal ones, or shared ones with canned.manage',
    tag: TAG,
    access: 'conversations.reply',
    params: idParams,
    body: cannedResponseChangeSchema,
    response: cannedResponseViewSchema,
    async handler({ params, body, user, services }) {
      const current = await findUsable(services, user, params.id);
      assertMayEditCanned(user, current);
      let updated: CannedResponseRecord | null;
      try {
        updated = await cannedResponseModel(services.db)
          .findOneAndUpdate(
            { _id: current._id },
            {
              $set: {
                ...(body.shortcut ? { shortcut: body.shortcut } : {}),
                ...(body.text ? { text: toLanguages(body.text) } : {}),
              },
            },
            { returnDocument: 'after' },
          )
          .lean<CannedResponseRecord>();
      } catch (error) {
        if (isDuplicateKeyError(error)) throw shortcutTaken();
        throw error;
      }
      if (!updated) throw notFound('Canned response');
      const view = toCannedResponseView(updated);
      await recordAudit(services, {
        actor: user,
        action: 'canned.update',
        entity: 'canned',
        entityId: view.id,
        before: toCannedResponseView(current),
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/canned-responses/:id',
    summary: 'Delete a canned response: your personal ones, or shared ones with canned.manage',
    tag: TAG,
    access: 'conversations.reply',
    params: idParams,
    status: 204,
    async handler({ params, user, services }) {
      const current = await findUsable(services, user, params.id);
      assertMayEditCanned(user, current);
      await cannedResponseModel(services.db).deleteOne({ _id: current._id });
      await recordAudit(services, {
        actor: user,
        action: 'canned.delete',
        entity: 'canned',
        entityId: params.id,
        before: toCannedResponseView(current),
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/canned-responses/:id/render',
    summary:
      "The response's text for a conversation, in the contact's language, with {{contact.name}}, {{contact.phone}}, {{contact.email}}, {{agent.name}}, {{agent.email}} filled in",
    tag: TAG,
    access: 'conversations.reply',
    params: idParams,
    body: cannedRenderSchema,
    async handler({ params, body, user, services }) {
      const canned = await findUsable(services, user, params.id);
      const conversation = await findVisibleConversation(services, user, body.conversationId);
      const contact = await contactModels(services.db)
        .Contact.findById(conversation.contactId, { name: 1, phones: 1, emails: 1, language: 1 })
        .lean();
      const language = body.language ?? contact?.language ?? 'ru';
      const text = canned.text[language] ?? canned.text.ru ?? canned.text.en ?? '';
      return {
        language,
        text: renderCannedResponse(text, {
          contact: {
            name: contact?.name ?? '',
            phone: contact?.phones[0]?.e164 ?? '',
            email: contact?.emails[0] ?? '',
          },
          agent: { name: user.name, email: user.email },
        }),
      };
    },
  }),
];
