import { describe, expect, it } from 'vitest';
import { scrubUrl } from '../../server/observability/scrub-url.js';

describe('scrubUrl', () => {
  it('should hide credentials in query strings and keep the rest of the address', () => {
    expect(scrubUrl('/hooks/whatsapp/abc?hub.mode=subscribe&hub.verify_token=s3cr3t&hub.challenge=42')).toBe(
      '/hooks/whatsapp/abc?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=42',
    );
    expect(scrubUrl('/api/v1/x?api_key=1&key=2&monkey=3&access_token=4&q=anna')).toBe(
      '/api/v1/x?api_key=[redacted]&key=[redacted]&monkey=3&access_token=[redacted]&q=anna',
    );
    expect(scrubUrl('/api/v1/contacts?q=anna&limit=20')).toBe('/api/v1/contacts?q=anna&limit=20');
  });

  it('should hide capability paths and Telegram bot tokens, naming what was called', () => {
    expect(scrubUrl('/u/eyJjIjoiNjYifQ.abcdef')).toBe('/u/[redacted]');
    expect(scrubUrl('/l/Ab3dEf9hIjKlMn0p')).toBe('/l/[redacted]');
    expect(scrubUrl('/files/6650aa/1790000000/AbC-sig_123?download=1')).toBe(
      '/files/6650aa/1790000000/[redacted]?download=1',
    );
    expect(scrubUrl('https://api.telegram.org/bot123456:AAH-x_y/sendMessage')).toBe(
      'https://api.telegram.org/bot[redacted]/sendMessage',
    );
    expect(scrubUrl('https://api.telegram.org/file/bot123456:AAH-x_y/photos/1.jpg')).toBe(
      'https://api.telegram.org/file/bot[redacted]/photos/1.jpg',
    );
  });

  it('should hide the password of a URL with user info, and drop a fragment', () => {
    expect(scrubUrl('mongodb://app:hunter2@db.example:27017/app?authSource=admin')).toBe(
      'mongodb://app:[redacted]@db.example:27017/app?authSource=admin',
    );
    expect(scrubUrl('https://site.example/page?password=x#token=y')).toBe(
      'https://site.example/page?password=[redacted]#…',
    );
    expect(scrubUrl('not a url')).toBe('not a url');
  });
});
