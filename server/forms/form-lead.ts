import type { Connection } from 'mongoose';
import { ApiError } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { customFieldModels, type CustomFieldRecord } from '../custom-fields/custom-field-models.js';
import type { CustomFieldValues } from '../custom-fields/custom-field-schemas.js';
import type { NewInboundLead } from '../leads/accept-inbound-lead.js';
import { leadOwner } from '../leads/lead-owner.js';
import { leadTarget, type LeadTarget } from '../leads/lead-target.js';
import type { FormRecord } from './form-model.js';
import type { FieldMapping } from './form-schemas.js';
import { parseAmount, type FormSubmission } from './read-form-submission.js';

type Services = Pick<ApiServices, 'db' | 'logger'>;

/**
 * The form's pipeline and stage; if they were archived or removed since the form was saved, the
 * default leads pipeline: the visitor did nothing wrong, and their lead must not be lost.
 */
async function formTarget(services: Services, form: FormRecord): Promise<LeadTarget> {
  try {
    return await leadTarget(services.db, { pipelineId: form.pipelineId.toHexString(), stageId: form.stageId });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    services.logger.warn(
      { formId: String(form._id), reason: error.message },
      'form target unusable; lead goes to the leads pipeline',
    );
    return leadTarget(services.db, {});
  }
}

/**
 * Answers as custom field values of their definitions' types; an answer that no longer fits (the
 * definition changed after the form was saved) stays on the lead only, and is logged.
 */
async function customValues(
  services: Services,
  entity: 'contact' | 'deal',
  answers: { key: string; value: string }[],
): Promise<CustomFieldValues> {
  if (answers.length === 0) return {};
  const definitions = await customFieldModels(services.db)
    .CustomField.find({ entity, key: { $in: answers.map((answer) => answer.key) } })
    .lean<CustomFieldRecord[]>();
  const values: CustomFieldValues = {};
  for (const { key, value } of answers) {
    const definition = definitions.find((candidate) => candidate.key === key);
    const converted =
      definition?.type === 'text'
        ? value
        : definition?.type === 'number'
          ? parseAmount(value)
          : definition?.type === 'select' && definition.options.some((option) => option.value === value)
            ? value
            : undefined;
    if (converted === undefined) services.logger.warn({ entity, key }, 'form answer does not fit its custom field');
    else values[key] = converted;
  }
  return values;
}

/** The lead a form submission stands for, ready for the lead spine (`acceptInboundLead`). */
export async function formLead(
  services: Services,
  form: FormRecord,
  submission: FormSubmission,
  submissionKey: string,
): Promise<NewInboundLead> {
  const db: Connection = services.db;
  const answered = form.fields.flatMap((field) => {
    const value = submission.answers[field.key];
    return value ? [{ field, value }] : [];
  });
  const answerFor = (type: FieldMapping['type']) => answered.find(({ field }) => field.mapTo?.type === type)?.value;
  const customAnswers = (type: 'contact-custom' | 'deal-custom') =>
    answered.flatMap(({ field, value }) => (field.mapTo?.type === type ? [{ key: field.mapTo.key, value }] : []));
  const name = answerFor('contact-name');
  const phone = answerFor('contact-phone');
  const email = answerFor('contact-email');
  const amount = answerFor('deal-amount');
  const [target, ownerId, contactCustomFields, dealCustomFields] = await Promise.all([
    formTarget(services, form),
    leadOwner(db, form.ownerId.toHexString()),
    customValues(services, 'contact', customAnswers('contact-custom')),
    customValues(services, 'deal', customAnswers('deal-custom')),
  ]);
  return {
    key: `form:${form._id.toHexString()}:${submissionKey}`,
    via: 'form',
    form: { id: form._id.toHexString(), name: form.name },
    source: `form:${form.name}`,
    answers: answered.map(({ field, value }) => ({ key: field.key, label: field.label, value })),
    person: { name, phone, email },
    utm: submission.utm,
    referrer: submission.referrer,
    landingPage: submission.landingPage,
    language: submission.language,
    contactCustomFields,
    deal: {
      ...target,
      ownerId,
      title: (answerFor('deal-title') ?? `${form.name} — ${name ?? phone ?? email}`).slice(0, 300),
      amount: (amount && parseAmount(amount)) || 0,
      customFields: dealCustomFields,
    },
    actor: null,
  };
}
