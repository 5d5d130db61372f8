import type { Connection } from 'mongoose';
import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { formModel, type FormRecord } from './form-model.js';

const noSuchForm = () => new ApiError(404, 'not_found', errorTexts.say('formOff'));

/** A form that takes submissions: it exists and is active. Anything else is the same 404 to a visitor. */
export async function findActiveForm(db: Connection, id: unknown): Promise<FormRecord> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/.test(id)) throw noSuchForm();
  const form = await formModel(db).findById(id).lean<FormRecord>();
  if (!form?.active) throw noSuchForm();
  return form;
}
