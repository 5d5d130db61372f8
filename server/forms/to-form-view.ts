import type { FormRecord } from './form-model.js';
import type { FormView } from './form-schemas.js';
import { formSnippet, formUrls } from './form-snippet.js';

/** A form as admins see it, with the addresses and the snippet to put it on a site. */
export function toFormView(form: FormRecord, publicUrl: string): FormView {
  const id = form._id.toHexString();
  return {
    id,
    name: form.name,
    fields: form.fields,
    pipelineId: form.pipelineId.toHexString(),
    ...(form.stageId ? { stageId: form.stageId } : {}),
    ownerId: form.ownerId.toHexString(),
    thankYou: { ru: form.thankYou.ru, en: form.thankYou.en },
    submitLabel: { ru: form.submitLabel.ru, en: form.submitLabel.en },
    allowedOrigins: [...form.allowedOrigins],
    active: form.active,
    ...formUrls(publicUrl, id),
    snippet: formSnippet(publicUrl, id),
    createdAt: form.createdAt.toISOString(),
    updatedAt: form.updatedAt.toISOString(),
  };
}
