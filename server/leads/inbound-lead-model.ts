import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { initModel } from '../db/init-model.js';

export const INBOUND_LEAD_VIA = ['form', 'partner'] as const;
export type InboundLeadVia = (typeof INBOUND_LEAD_VIA)[number];

export interface Bilingual {
  ru: string;
  en?: string;
}

export interface LeadUtm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

/** One answer of a web form, with the label the person saw. */
export interface LeadAnswer {
  key: string;
  label: Bilingual;
  value: string;
}

/**
 * A lead that arrived outside a conversation: a web form submission or a partner's API call. It is
 * the lead's one record (unique `key`: the form and submission id, or the partner's idempotency
 * key), the timeline entry of its contact, and the progress of turning it into a contact and a
 * deal (`contactId`, `dealId` are set as each step lands, so a retry resumes instead of redoing).
 */
export interface InboundLeadRecord {
  _id: Types.ObjectId;
  key: string;
  via: InboundLeadVia;
  formId?: Types.ObjectId;
  formName?: string;
  partner?: string;
  /** As recorded on the contact and the deal: 'form:<form name>' or '<source>:<partner>'. */
  source: string;
  answers: LeadAnswer[];
  /** How the person can be reached, as the lead gave it (phone in E.164). */
  person: { name?: string; phone?: string; email?: string };
  comment?: string;
  utm?: LeadUtm;
  referrer?: string;
  landingPage?: string;
  language?: 'ru' | 'en';
  /** The user whose API token handed the lead in (partner leads). */
  receivedById?: Types.ObjectId;
  contactId?: Types.ObjectId;
  contactCreated?: boolean;
  dealId?: Types.ObjectId;
  createdAt: Date;
}

const bilingualSchema = new Schema<Bilingual>({ ru: { type: String, required: true }, en: String }, { _id: false });

const inboundLeadSchema = new Schema<InboundLeadRecord>(
  {
    key: { type: String, required: true },
    via: { type: String, enum: INBOUND_LEAD_VIA, required: true },
    formId: Schema.Types.ObjectId,
    formName: String,
    partner: String,
    source: { type: String, required: true },
    answers: {
      type: [{ _id: false, key: { type: String, required: true }, label: bilingualSchema, value: String }],
      default: [],
    },
    person: { type: new Schema({ name: String, phone: String, email: String }, { _id: false }), default: {} },
    comment: String,
    utm: new Schema(
      { source: String, medium: String, campaign: String, term: String, content: String },
      { _id: false },
    ),
    referrer: String,
    landingPage: String,
    language: { type: String, enum: ['ru', 'en'] },
    receivedById: Schema.Types.ObjectId,
    contactId: Schema.Types.ObjectId,
    contactCreated: Boolean,
    dealId: Schema.Types.ObjectId,
    createdAt: { type: Date, default: () => new Date() },
  },
  // 'leads' is among the collections a contact merge moves to the survivor (by contactId).
  { versionKey: false, minimize: false, collection: 'leads' },
);
// One record per submission or partner key: the race guard of two identical requests.
inboundLeadSchema.index({ key: 1 }, { unique: true });
// The contact's timeline reads its leads newest first.
inboundLeadSchema.index({ contactId: 1, _id: -1 });
inboundLeadSchema.index({ formId: 1, _id: -1 });

/** The inbound leads on this connection, the unique key index built before the first lead relies on it. */
export async function inboundLeadModel(db: Connection): Promise<Model<InboundLeadRecord>> {
  const model: Model<InboundLeadRecord> =
    db.models.InboundLead ?? db.model<InboundLeadRecord>('InboundLead', inboundLeadSchema);
  await initModel(model);
  return model;
}
