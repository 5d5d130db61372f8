import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailDocument } from '../../inbox/src/lib/email-message.js';
import { createHttpApp } from '../../server/http/create-http-app.js';
import { launchChromium, openPage, serveApp, type ServedApp } from '../e2e/harness.js';

/**
 * The inbox's policy in real Chromium, on what the built inbox does that the browser suites do not
 * reach: a mail's HTML in a sandboxed `srcdoc` iframe, which inherits the page's policy. The page
 * is served by the app's own express setup (createHttpApp), as the inbox is.
 */

/** A mail as the server's sanitiser leaves it: inline styles of the allowed properties, a data: image. */
const MAIL_HTML =
  '<p id="price" style="color: rgb(200, 30, 30); font-weight: 700">Смета: 4 200 000 ₽</p>' +
  '<img alt="логотип" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">';

/** A computed style property of an element, read in the page (this suite is type-checked without the DOM library). */
function computed(element: unknown, property: string): string {
  const view = globalThis as unknown as { getComputedStyle(element: unknown): Record<string, string> };
  return view.getComputedStyle(element)[property] ?? '';
}

describe('inbox content security policy in Chromium', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'csp-inbox-'));
  let browser: Browser;
  let served: ServedApp;

  beforeAll(async () => {
    writeFileSync(
      join(inboxDir, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>inbox</title><script type="module" src="/mail.js"></script></head><body></body></html>',
    );
    // What EmailMessage.svelte renders, built by a script file as Svelte's would be.
    writeFileSync(
      join(inboxDir, 'mail.js'),
      `const frame = document.createElement('iframe');
frame.className = 'html';
frame.setAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox');
frame.setAttribute('referrerpolicy', 'no-referrer');
frame.srcdoc = ${JSON.stringify(emailDocument(MAIL_HTML))};
document.body.append(frame);
document.body.dataset.ready = 'yes';\n`,
    );
    [browser, served] = await Promise.all([launchChromium(), serveApp(createHttpApp({ inboxDir }))]);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should show a mail’s HTML with its inline styles and data: images, and report no violation', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      const response = await page.goto(served.url);
      expect(response?.headers()['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
      await page.waitForSelector('body[data-ready="yes"]');
      const mail = page.locator('iframe.html').contentFrame();
      await mail.getByText('Смета: 4 200 000 ₽').waitFor();
      const [color, weight, imageWidth] = await Promise.all([
        mail.locator('#price').evaluate(computed, 'color'),
        mail.locator('#price').evaluate(computed, 'fontWeight'),
        mail
          .getByRole('img', { name: 'логотип' })
          .evaluate((image) => (image as { naturalWidth: number }).naturalWidth),
      ]);
      expect({ color, weight, imageWidth }).toEqual({ color: 'rgb(200, 30, 30)', weight: '700', imageWidth: 1 });
      // The mail document's own style sheet (body padding) applies too.
      expect(await mail.locator('body').evaluate(computed, 'paddingTop')).toBe('12px');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
