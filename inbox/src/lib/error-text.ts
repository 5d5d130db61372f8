import { apiErrorWording, type ApiFailure } from './api-error-wording';
import { getLocale, translate, type MessageKey } from './i18n.svelte';

/**
 * The text every form and action shows for a refused request, in the operator's language;
 * `fallback` when the server said nothing usable.
 */
export function errorText(failure: ApiFailure, fallback: MessageKey): string {
  const wording = apiErrorWording(failure, getLocale());
  if (!wording) return translate(fallback);
  return 'text' in wording ? wording.text : translate(wording.key, wording.params);
}
