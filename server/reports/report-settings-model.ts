import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { initModel } from '../db/init-model.js';

/** What the admin enters for the payback report; amounts in roubles. */
export const paybackSettingsSchema = z.strictObject({
  oneTimeCost: z.number().nonnegative().max(1e12),
  yearlyCost: z.number().nonnegative().max(1e12),
  currency: z.literal('RUB').default('RUB'),
  /** When the product went live: won revenue after it is compared with as many months before it. */
  goLiveAt: z.iso.datetime({ offset: true }).optional(),
  /** The share of revenue that is profit, 0–100. */
  marginPercent: z.number().min(0).max(100).optional(),
  /** A profit gain per month the admin knows better than the records (seed 000: +255,000 ₽). */
  monthlyGainOverride: z.number().max(1e12).optional(),
});
export type PaybackSettings = z.infer<typeof paybackSettingsSchema>;

export const reportSettingsSchema = z.strictObject({
  /** A first response within this many minutes counts as within the SLA. */
  slaMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  payback: paybackSettingsSchema,
});
export type ReportSettings = z.infer<typeof reportSettingsSchema>;

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  slaMinutes: 15,
  payback: { oneTimeCost: 0, yearlyCost: 0, currency: 'RUB' },
};

interface ReportSettingsRecord {
  _id: string;
  slaMinutes: number;
  payback: Omit<PaybackSettings, 'goLiveAt'> & { goLiveAt?: Date };
  updatedAt: Date;
}

/** The one settings document of the workspace. */
export const REPORT_SETTINGS_ID = 'reports';

const reportSettingsSchemaDb = new Schema<ReportSettingsRecord>(
  {
    _id: { type: String, required: true },
    slaMinutes: { type: Number, required: true },
    payback: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: false, updatedAt: true }, collection: 'report_settings', minimize: false },
);

export async function reportSettingsModel(db: Connection): Promise<Model<ReportSettingsRecord>> {
  const model: Model<ReportSettingsRecord> =
    db.models.ReportSettings ?? db.model<ReportSettingsRecord>('ReportSettings', reportSettingsSchemaDb);
  await initModel(model);
  return model;
}

/** The report settings, the defaults until an admin saves them (the SLA is read by the responses report). */
export async function readReportSettings(db: Connection): Promise<ReportSettings> {
  const Settings = await reportSettingsModel(db);
  const stored = await Settings.findById(REPORT_SETTINGS_ID).lean();
  if (!stored) return DEFAULT_REPORT_SETTINGS;
  const { goLiveAt, ...payback } = stored.payback;
  return {
    slaMinutes: stored.slaMinutes,
    payback: { ...payback, ...(goLiveAt ? { goLiveAt: new Date(goLiveAt).toISOString() } : {}) },
  };
}

/** Replaces the report settings as a whole (the form always sends all of them). */
export async function saveReportSettings(db: Connection, settings: ReportSettings): Promise<ReportSettings> {
  const Settings = await reportSettingsModel(db);
  const { goLiveAt, ...payback } = settings.payback;
  await Settings.updateOne(
    { _id: REPORT_SETTINGS_ID },
    {
      $set: {
        slaMinutes: settings.slaMinutes,
        payback: { ...payback, ...(goLiveAt ? { goLiveAt: new Date(goLiveAt) } : {}) },
      },
    },
    { upsert: true },
  );
  return readReportSettings(db);
}
