import { Types } from 'mongoose';
import { z } from 'zod';
import { badRequest, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { escapeRegex } from '../db/escape-regex.js';
import { MAX_IMPORT_BODY_BYTES } from '../imports/import-schemas.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { countSegment } from './count-segment.js';
import { createSegmentExport } from './create-segment-export.js';
import { createStaticSegment } from './create-static-segment.js';
import { previewSegment } from './preview-segment.js';
import { readStaticList } from './read-static-list.js';
import { segmentModel, type SegmentRecord } from './segment-model.js';
import {
  segmentDetailSchema,
  segmentExportQuerySchema,
  segmentInputSchema,
  segmentListQuerySchema,
  segmentPatchSchema,
  segmentPreviewRequestSchema,
  segmentPreviewSchema,
  segmentViewSchema,
  staticSegmentRequestSchema,
  staticSegmentResultSchema,
} from './segment-schemas.js';
import { toSegmentView } from './to-segment-view.js';
import { sendExportFile } from '../exports/send-export-file.js';

const TAG = 'segments';
const idParams = z.strictObject({ id: objectIdSchema });

/** A segment that is not deleted; 404 otherwise. */
async function findSegment(services: Pick<ApiServices, 'db'>, id: string): Promise<SegmentRecord> {
  const found = await segmentModel(services.db)
    .findOne({ _id: new Types.ObjectId(id), deletedAt: null })
    .lean<SegmentRecord>();
  if (!found) throw notFound('Segment');
  return found;
}

/**
 * Audiences for broadcasts and campaigns: saved filters over contacts and their deals, and static
 * lists from a CSV. Counts and previews are company-wide, as the broadcasts that use them are.
 * The fixed paths (preview, static) come before '/segments/:id'.
 */
export const segmentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/segments',
    summary: 'Saved segments, newest first; q matches the name, kind filters filter / static ones',
    tag: TAG,
    access: 'segments.manage',
    query: segmentListQuerySchema,
    async handler({ query, services }) {
      const cursor = decodeCursor(query.cursor);
      const rows = await segmentModel(services.db)
        .find({
          deletedAt: null,
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.q ? { name: { $regex: escapeRegex(query.q), $options: 'i' } } : {}),
          ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}),
        })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<SegmentRecord[]>();
      return pageOf(rows.map(toSegmentView), query.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/segments',
    summary: 'Save a filter segment: conditions on contact fields, tags, consent, channels, deals and activity',
    tag: TAG,
    access: 'segments.manage',
    body: segmentInputSchema,
    response: segmentViewSchema,
    status: 201,
    async handler({ body, user, services }) {
      const created = await segmentModel(services.db).create({
        name: body.name,
        kind: 'filter',
        definition: body.definition,
        createdById: new Types.ObjectId(user.id),
      });
      const view = toSegmentView(created.toObject());
      await recordAudit(services, {
        actor: user,
        action: 'segment.create',
        entity: 'segment',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/segments/preview',
    summary: "The builder's live count and first rows for a definition that is not saved yet",
    tag: TAG,
    access: 'segments.manage',
    body: segmentPreviewRequestSchema,
    response: segmentPreviewSchema,
    async handler({ body, services }) {
      return previewSegment(services.db, body.definition, body.limit);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/segments/static',
    summary:
      'Save a static segment from a CSV: rows join the active contact their phone or e-mail belongs to; ' +
      'invalid rows are reported with their line numbers',
    tag: TAG,
    access: 'segments.manage',
    body: staticSegmentRequestSchema,
    response: staticSegmentResultSchema,
    status: 201,
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    async handler({ body, user, services }) {
      const list = readStaticList(body);
      return createStaticSegment(services, user, body.name, list);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/segments/:id',
    summary: 'A segment with the number of active contacts it reaches now',
    tag: TAG,
    access: 'segments.manage',
    params: idParams,
    response: segmentDetailSchema,
    async handler({ params, services }) {
      const segment = await findSegment(services, params.id);
      return { ...toSegmentView(segment), count: await countSegment(services.db, segment) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/segments/:id',
    summary: "Rename a segment or change a filter segment's definition",
    tag: TAG,
    access: 'segments.manage',
    params: idParams,
    body: segmentPatchSchema,
    response: segmentViewSchema,
    async handler({ params, body, user, services }) {
      const current = await findSegment(services, params.id);
      if (body.definition && current.kind === 'static') throw badRequest(errorTexts.say('staticSegmentFile'));
      const updated = await segmentModel(services.db)
        .findOneAndUpdate(
          { _id: current._id, deletedAt: null },
          {
            $set: {
              ...(body.name ? { name: body.name } : {}),
              ...(body.definition ? { definition: body.definition } : {}),
            },
          },
          { returnDocument: 'after' },
        )
        .lean<SegmentRecord>();
      if (!updated) throw notFound('Segment');
      const view = toSegmentView(updated);
      await recordAudit(services, {
        actor: user,
        action: 'segment.update',
        entity: 'segment',
        entityId: view.id,
        before: toSegmentView(current),
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/segments/:id',
    summary: 'Delete a segment (kept for the broadcasts already sent to it)',
    tag: TAG,
    access: 'segments.manage',
    params: idParams,
    status: 204,
    async handler({ params, user, services }) {
      const current = await findSegment(services, params.id);
      await segmentModel(services.db).updateOne({ _id: current._id }, { $set: { deletedAt: new Date() } });
      await recordAudit(services, {
        actor: user,
        action: 'segment.delete',
        entity: 'segment',
        entityId: params.id,
        before: toSegmentView(current),
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/segments/:id/export',
    summary:
      "Download a segment's contacts as CSV (UTF-8 with BOM) or XLSX; needs the export right and is written to the audit log",
    tag: TAG,
    access: 'exports.create',
    params: idParams,
    query: segmentExportQuerySchema,
    async handler({ params, query, user, services, res }) {
      const segment = await findSegment(services, params.id);
      const file = await createSegmentExport(services, user, segment, query);
      return sendExportFile(res, file);
    },
  }),
];
