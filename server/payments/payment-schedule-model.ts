import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { Actor } from '../deals/actor-schema.js';
import { initModel } from '../db/init-model.js';

export const PAYMENT_METHODS = ['cash', 'card', 'bank-transfer', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Installment {
  dueAt: Date;
  amount: number;
}

export interface Payment {
  paidAt: Date;
  amount: number;
  method: PaymentMethod;
  /** The bank or receipt number; a payment with a known reference is recorded once. */
  reference?: string;
  recordedBy: Actor;
}

export interface PaymentScheduleRecord {
  _id: Types.ObjectId;
  dealId: Types.ObjectId;
  contactId?: Types.ObjectId;
  currency: string;
  installments: Installment[];
  payments: Payment[];
  createdBy: Actor;
  createdAt: Date;
  updatedAt: Date;
}

const actorSchema = new Schema<Actor>(
  { kind: { type: String, enum: ['user', 'automation'], required: true }, id: { type: String, required: true } },
  { _id: false },
);

const paymentScheduleSchema = new Schema<PaymentScheduleRecord>(
  {
    dealId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId },
    currency: { type: String, default: 'RUB' },
    installments: {
      type: [
        new Schema<Installment>(
          { dueAt: { type: Date, required: true }, amount: { type: Number, required: true } },
          { _id: false },
        ),
      ],
      required: true,
    },
    payments: {
      type: [
        new Schema<Payment>(
          {
            paidAt: { type: Date, required: true },
            amount: { type: Number, required: true },
            method: { type: String, enum: PAYMENT_METHODS, required: true },
            reference: { type: String },
            recordedBy: { type: actorSchema, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    createdBy: { type: actorSchema, required: true },
  },
  { timestamps: true, collection: 'payment_schedules' },
);
// One schedule per deal: a retried creation answers 409 instead of doubling the debt.
paymentScheduleSchema.index({ dealId: 1 }, { unique: true });
paymentScheduleSchema.index({ contactId: 1 });

/** The PaymentSchedule model on this connection, its unique index built before the first insert. */
export async function paymentScheduleModel(db: Connection): Promise<Model<PaymentScheduleRecord>> {
  const model: Model<PaymentScheduleRecord> =
    db.models.PaymentSchedule ?? db.model<PaymentScheduleRecord>('PaymentSchedule', paymentScheduleSchema);
  await initModel(model);
  return model;
}
