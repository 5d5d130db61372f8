import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const messagesDir = fileURLToPath(new URL('../../inbox/src/lib/messages/', import.meta.url));

/** Every area's dictionaries, loaded the way i18n.svelte.ts joins them. */
async function areas(): Promise<{ area: string; ru: Record<string, string>; en: Record<string, string> }[]> {
  const files = readdirSync(messagesDir).filter((file) => file.endsWith('.ts'));
  return Promise.all(
    files.map(async (file) => {
      const area = file.replace(/\.ts$/, '');
      const module: Record<string, Record<string, string>> = await import(`${messagesDir}${file}`);
      return { area, ru: module[`${area}Ru`] ?? {}, en: module[`${area}En`] ?? {} };
    }),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('inbox messages', () => {
  it('should give every area a Russian and an English dictionary', async () => {
    for (const { area, ru, en } of await areas()) {
      expect(Object.keys(ru).length, area).toBeGreaterThan(0);
      expect(Object.keys(en).sort(), area).toEqual(Object.keys(ru).sort());
    }
  });

  it('should never define one key in two areas, where the later would silently win', async () => {
    const owner = new Map<string, string>();
    for (const { area, ru } of await areas()) {
      for (const key of Object.keys(ru)) {
        expect(owner.get(key), `${key} in ${area}`).toBeUndefined();
        owner.set(key, area);
      }
    }
  });

  it('should use the same placeholders in both languages', async () => {
    for (const { ru, en } of await areas()) {
      for (const [key, text] of Object.entries(ru)) {
        expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(text));
      }
    }
  });
});
