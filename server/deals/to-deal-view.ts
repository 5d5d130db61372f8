import type { Types } from 'mongoose';
import type { DealLink, DealRecord } from './deal-model.js';
import type { DealView } from './deal-schema.js';

/** `{ [key]: "hex id" }` when the reference is set, nothing otherwise (JSON has no undefined). */
const optionalId = <K extends string>(key: K, id: Types.ObjectId | undefined) =>
  (id ? { [key]: String(id) } : {}) as Partial<Record<K, string>>;
const linkView = (link: DealLink) => ({ dealId: String(link.dealId), pipelineId: String(link.pipelineId) });

/** A stored deal as the API shows it: string ids, no internal revision counter. */
export function toDealView(deal: DealRecord): DealView {
  const conversion = deal.conversion;
  return {
    id: String(deal._id),
    title: deal.title,
    pipelineId: String(deal.pipelineId),
    stageId: deal.stageId,
    amount: deal.amount,
    currency: deal.currency,
    ownerId: String(deal.ownerId),
    ...optionalId('contactId', deal.contactId),
    ...optionalId('companyId', deal.companyId),
    customFields: deal.customFields ?? {},
    status: deal.status,
    ...(deal.lostReason ? { lostReason: deal.lostReason } : {}),
    ...(deal.closedAt ? { closedAt: deal.closedAt } : {}),
    stageHistory: deal.stageHistory.map((visit) => ({
      pipelineId: String(visit.pipelineId),
      stageId: visit.stageId,
      enteredAt: visit.enteredAt,
      ...(visit.leftAt ? { leftAt: visit.leftAt } : {}),
      movedBy: {
        kind: visit.movedBy.kind,
        id: visit.movedBy.id,
        ...(visit.movedBy.name ? { name: visit.movedBy.name } : {}),
      },
    })),
    ...(deal.copiedFrom ? { copiedFrom: linkView(deal.copiedFrom) } : {}),
    copies: deal.copies.map(linkView),
    ...optionalId('sourceLeadId', deal.sourceLeadId),
    ...(conversion
      ? {
          conversion: {
            ...optionalId('contactId', conversion.contactId),
            ...optionalId('companyId', conversion.companyId),
            ...optionalId('dealId', conversion.dealId),
            ...(conversion.convertedAt ? { convertedAt: conversion.convertedAt } : {}),
          },
        }
      : {}),
    ...optionalId('inboundLeadId', deal.inboundLeadId),
    ...(deal.source ? { source: deal.source } : {}),
    ...(deal.partner ? { partner: deal.partner } : {}),
    createdBy: { kind: deal.createdBy.kind, id: deal.createdBy.id },
    createdAt: deal.createdAt,
    updatedAt: deal.updatedAt,
  };
}
