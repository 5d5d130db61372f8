import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { forgetKeptDaysOfClients, touchesKeptClientFields } from '../reports/forget-kept-deal-days.js';
import { CHANNELS, type Channel } from './normalize-identity.js';

export type ContactStatus = 'active' | 'merged' | 'deleted';

export interface StoredIdentity {
  channel: Channel;
  accountId?: string;
  externalId: string;
  /** identityKey(channel, accountId, externalId): what the unique index compares. */
  key: string;
}

export interface StoredConsent {
  status: 'opted-in' | 'opted-out';
  at: Date;
  /**
   * How the person changed it themselves (server/consent): a keyword such as STOP or START, the
   * unsubscribe link of a mail, blocking or unblocking the bot. Absent: set on the card or by the API.
   */
  via?: 'keyword' | 'link' | 'block';
}

export interface ContactRecord {
  _id: Types.ObjectId;
  status: ContactStatus;
  name: string;
  phones: { raw: string; e164: string }[];
  emails: string[];
  identities: StoredIdentity[];
  companyId?: Types.ObjectId;
  ownerId?: Types.ObjectId;
  teamIds: Types.ObjectId[];
  tags: string[];
  region?: string;
  customFields: Record<string, unknown>;
  source?: string;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  firstTouchAt?: Date;
  consent: Partial<Record<Channel, StoredConsent>>;
  language?: 'ru' | 'en';
  mergedInto?: Types.ObjectId;
  mergedAt?: Date;
  deletedAt?: Date;
  createdById?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const contactSchema = new Schema<ContactRecord>(
  {
    status: { type: String, enum: ['active', 'merged', 'deleted'], default: 'active', required: true },
    name: { type: String, default: '' },
    phones: {
      type: [{ _id: false, raw: { type: String, required: true }, e164: { type: String, required: true } }],
      default: [],
    },
    emails: { type: [String], default: [] },
    identities: {
      type: [
        {
          _id: false,
          channel: { type: String, enum: CHANNELS, required: true },
          accountId: String,
          externalId: { type: String, required: true },
          key: { type: String, required: true },
        },
      ],
      default: [],
    },
    companyId: Schema.Types.ObjectId,
    ownerId: Schema.Types.ObjectId,
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    tags: { type: [String], default: [] },
    region: String,
    customFields: { type: Schema.Types.Mixed, default: () => ({}) },
    source: String,
    utm: new Schema(
      { source: String, medium: String, campaign: String, term: String, content: String },
      { _id: false },
    ),
    firstTouchAt: Date,
    consent: { type: Schema.Types.Mixed, default: () => ({}) },
    language: { type: String, enum: ['ru', 'en'] },
    mergedInto: Schema.Types.ObjectId,
    mergedAt: Date,
    deletedAt: Date,
    createdById: Schema.Types.ObjectId,
  },
  { versionKey: false, timestamps: true, minimize: false },
);

/*
 * The race guards of deduplication: among active contacts a phone, an e-mail and a channel
 * identity each belong to one contact. Merged and deleted contacts keep their data for history
 * but leave these indexes (partial filter), so a merge survivor can take over their keys and a
 * deleted contact does not block a new one.
 */
contactSchema.index(
  { 'phones.e164': 1 },
  { unique: true, partialFilterExpression: { status: 'active', 'phones.e164': { $exists: true } } },
);
contactSchema.index(
  { emails: 1 },
  { unique: true, partialFilterExpression: { status: 'active', emails: { $type: 'string' } } },
);
contactSchema.index(
  { 'identities.key': 1 },
  { unique: true, partialFilterExpression: { status: 'active', 'identities.key': { $exists: true } } },
);
contactSchema.index({ status: 1, _id: -1 });
contactSchema.index({ companyId: 1 });
contactSchema.index({ ownerId: 1 });
contactSchema.index({ teamIds: 1 });
contactSchema.index({ tags: 1 });
contactSchema.index({ mergedInto: 1 });

// The reports keep a client's source, UTM and region with each day's deals: whichever path
// changes them, the kept days are forgotten first (one home for it, whatever the write path).
contactSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate'], async function () {
  if (!touchesKeptClientFields(this.getUpdate())) return;
  // Read through the model: the filter is cast as the update's will be (ids given as text).
  const contacts = await this.model.find(this.getFilter(), { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
  await forgetKeptDaysOfClients(
    this.model.db,
    contacts.map((contact) => contact._id),
  );
});

export interface ContactModels {
  Contact: Model<ContactRecord>;
}

const byConnection = new WeakMap<Connection, ContactModels>();

/** The contacts domain's model on one connection, defined once per connection. */
export function contactModels(db: Connection): ContactModels {
  let models = byConnection.get(db);
  if (!models) {
    models = { Contact: db.model<ContactRecord>('Contact', contactSchema) };
    byConnection.set(db, models);
  }
  return models;
}
