import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { CHANNEL_TYPES, type ChannelType } from '../../bot/channels/channel-registry.js';

/** Whether the provider knows where to deliver (Telegram's setWebhook), as last attempted. */
export interface ChannelWebhookState {
  state: 'registered' | 'failed' | 'manual' | 'polling';
  at: Date;
  url?: string;
  error?: string;
}

/**
 * How far a mailbox has been read (e-mail accounts): the highest IMAP UID that went through
 * ingest, valid while the folder keeps its UIDVALIDITY (RFC 9051 section 2.3.1.1).
 */
export interface MailboxCursor {
  mailbox: string;
  uidValidity: string;
  lastUid: number;
  /** INTERNALDATE of that mail: where a re-read starts if the folder's UIDs are renumbered. */
  lastReceivedAt?: Date;
}

export interface ChannelAccountRecord {
  _id: Types.ObjectId;
  type: ChannelType;
  name: string;
  /** The adapter's non-secret settings (phone number id, allowed origins, polling mode). */
  settings: Record<string, unknown>;
  /** The adapter's secrets as one JSON object, AES-256-GCM-sealed and bound to this record's id. */
  sealedSecrets: string;
  /** The last characters of each secret, so an admin can tell which token is configured. */
  secretHints: Record<string, string>;
  /** The teams that answer this account: new contacts from it join them (operators see their teams). */
  teamIds: Types.ObjectId[];
  /** Messages per second this account may send; the channel's default when unset. */
  ratePerSecond?: number;
  webhook?: ChannelWebhookState;
  mailboxCursor?: MailboxCursor;
  /** The demo's sandbox account (see ChannelAccount.sandbox): only the demo seed sets it. */
  sandbox?: boolean;
  status: 'active' | 'deleted';
  deletedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const channelAccountSchema = new Schema<ChannelAccountRecord>(
  {
    type: { type: String, enum: CHANNEL_TYPES, required: true },
    name: { type: String, required: true },
    settings: { type: Schema.Types.Mixed, default: () => ({}) },
    sealedSecrets: { type: String, required: true },
    secretHints: { type: Schema.Types.Mixed, default: () => ({}) },
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    ratePerSecond: Number,
    webhook: { type: Schema.Types.Mixed, default: undefined },
    mailboxCursor: { type: Schema.Types.Mixed, default: undefined },
    sandbox: Boolean,
    status: { type: String, enum: ['active', 'deleted'], default: 'active', required: true },
    deletedAt: Date,
  },
  { versionKey: false, timestamps: true, minimize: false },
);
channelAccountSchema.index({ status: 1, type: 1 });

function defineModel(db: Connection) {
  return db.model<ChannelAccountRecord>('ChannelAccount', channelAccountSchema);
}

const byConnection = new WeakMap<Connection, Model<ChannelAccountRecord>>();

export function channelAccountModel(db: Connection): Model<ChannelAccountRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = defineModel(db);
    byConnection.set(db, model);
  }
  return model;
}
