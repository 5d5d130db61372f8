import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface FileRecord {
  _id: Types.ObjectId;
  /** Where the bytes are in the file store. */
  storageKey: string;
  /** The type found in the bytes (what we serve), not what the sender claimed. */
  mimeType: string;
  fileName: string;
  size: number;
  sha256: string;
  /** Who may read it: whoever may see this conversation (unset for files not yet on a message). */
  conversationId?: Types.ObjectId;
  contactId?: Types.ObjectId;
  /** The inbox user who uploaded it; until it is on a message only they (and managers) may read it. */
  uploadedById?: Types.ObjectId;
  /** `<channel account>:<visitor id>` of a site visitor's upload: only that visitor may attach it. */
  visitorKey?: string;
  createdAt: Date;
}

const fileSchema = new Schema<FileRecord>(
  {
    storageKey: { type: String, required: true },
    mimeType: { type: String, required: true },
    fileName: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    conversationId: Schema.Types.ObjectId,
    contactId: Schema.Types.ObjectId,
    uploadedById: Schema.Types.ObjectId,
    visitorKey: String,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
fileSchema.index({ conversationId: 1 });

function defineModel(db: Connection) {
  return db.model<FileRecord>('File', fileSchema);
}

const byConnection = new WeakMap<Connection, Model<FileRecord>>();

export function fileModel(db: Connection): Model<FileRecord> {
  let model = byConnection.get(db);
  if (!model) {
    model = defineModel(db);
    byConnection.set(db, model);
  }
  return model;
}
