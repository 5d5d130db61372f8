import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { initModel } from '../db/init-model.js';

export const TASK_KINDS = ['call', 'meeting', 'measurement', 'other'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface TaskRecord {
  _id: Types.ObjectId;
  title: string;
  kind: TaskKind;
  description?: string;
  assigneeId: Types.ObjectId;
  dueAt?: Date;
  done: boolean;
  doneAt?: Date;
  result?: string;
  contactId?: Types.ObjectId;
  dealId?: Types.ObjectId;
  /**
   * Set on tasks the product creates once per event ('callback:<message id>' for a missed call),
   * so a redelivered webhook or a retry adds no second one.
   */
  sourceKey?: string;
  createdBy: Actor;
  createdAt: Date;
  updatedAt: Date;
}

const taskSchema = new Schema<TaskRecord>(
  {
    title: { type: String, required: true },
    kind: { type: String, enum: TASK_KINDS, default: 'other' },
    description: { type: String },
    assigneeId: { type: Schema.Types.ObjectId, required: true },
    dueAt: { type: Date },
    done: { type: Boolean, default: false },
    doneAt: { type: Date },
    result: { type: String },
    contactId: { type: Schema.Types.ObjectId },
    dealId: { type: Schema.Types.ObjectId },
    sourceKey: { type: String },
    createdBy: {
      type: new Schema<Actor>(
        { kind: { type: String, enum: ['user', 'automation'], required: true }, id: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
  },
  { timestamps: true, collection: 'tasks' },
);
// "My open tasks by due date" is the list every operator opens first.
taskSchema.index({ assigneeId: 1, done: 1, dueAt: 1 });
// Reports count the tasks done each day.
taskSchema.index({ doneAt: 1 });
taskSchema.index({ dealId: 1 });
taskSchema.index({ contactId: 1 });
taskSchema.index({ sourceKey: 1 }, { unique: true, partialFilterExpression: { sourceKey: { $type: 'string' } } });

/** The Task model on this connection, defined once. */
export async function taskModel(db: Connection): Promise<Model<TaskRecord>> {
  const model: Model<TaskRecord> = db.models.Task ?? db.model<TaskRecord>('Task', taskSchema);
  await initModel(model);
  return model;
}
