import { getLocale } from '../i18n.svelte';
import type { LocalizedName } from './flow-views';

/** A name from a flow file in the inbox's language: English when the file gives one, else Russian. */
export function localName(name: LocalizedName): string {
  return getLocale() === 'en' && name.en ? name.en : name.ru;
}
