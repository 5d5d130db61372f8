import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { readUnsubscribeToken, unsubscribeLink } from '../../server/consent/unsubscribe-link.js';

describe('unsubscribeLink', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'unsubscribe-'));
  const config = {
    publicUrl: 'https://crm.example.ru/',
    CHANNEL_SECRETS_KEY: randomBytes(32).toString('base64'),
    dataDir,
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const tokenOf = (link: string) => link.slice('https://crm.example.ru/u/'.length);

  it('should link to /u/<token> under PUBLIC_URL and read back whom and which channel it names', () => {
    const contactId = new Types.ObjectId().toHexString();
    const link = unsubscribeLink(config, contactId, 'email');
    expect(link).toMatch(/^https:\/\/crm\.example\.ru\/u\/[0-9a-f]{24}\.email\.[\w-]{22}$/);
    expect(readUnsubscribeToken(config, tokenOf(link))).toEqual({ contactId, channel: 'email' });
    expect(unsubscribeLink(config, contactId, 'email')).toBe(link);
  });

  it('should refuse a token altered in any part, signed with another key, or not a token at all', () => {
    const contactId = new Types.ObjectId().toHexString();
    const token = tokenOf(unsubscribeLink(config, contactId, 'email'));
    const [, , signature] = token.split('.');
    const otherContact = new Types.ObjectId().toHexString();
    const otherKey = { ...config, CHANNEL_SECRETS_KEY: randomBytes(32).toString('base64') };
    for (const forged of [
      `${otherContact}.email.${signature}`,
      `${contactId}.sms.${signature}`,
      `${contactId}.email.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`,
      `${contactId}.email.${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`,
      `${contactId}.email.${signature}.extra`,
      `${contactId}.email.`,
      tokenOf(unsubscribeLink(otherKey, contactId, 'email')),
      `${contactId}.fax.${signature}`,
      'not-a-token',
      '',
    ]) {
      expect(readUnsubscribeToken(config, forged), forged).toBeUndefined();
    }
  });
});
