import type { Express } from 'express';
import type { VisitorBackend } from '../../bot/webchat/visitor-backend.js';
import { createWebchatRouter } from '../../bot/webchat/webchat-router.js';
import type { ApiServices } from '../api/api-services.js';
import { createLinkRouter } from '../broadcasts/link-routes.js';
import { createWebhookRouter } from '../channels/webhook-router.js';
import { createUnsubscribeRouter } from '../consent/unsubscribe-router.js';
import { createSignedFileRouter } from '../files/signed-file-router.js';
import { WIDGET_DIST } from '../paths.js';

/** A backend that exists once the store and realtime are up; until then each call says so. */
function lateBackend(get: () => VisitorBackend | undefined): VisitorBackend {
  const backend = (): VisitorBackend => {
    const current = get();
    if (!current) throw new Error('The server is starting');
    return current;
  };
  return {
    findAccount: (...args) => (get() ? backend().findAccount(...args) : Promise.resolve(undefined)),
    ingest: (...args) => backend().ingest(...args),
    history: (...args) => backend().history(...args),
    visitorTyping: (...args) => backend().visitorTyping(...args),
    operatorsOnline: (...args) => backend().operatorsOnline(...args),
    submitOfflineForm: (...args) => backend().submitOfflineForm(...args),
    storeUpload: (...args) => backend().storeUpload(...args),
    demoChannelId: () => (get() ? backend().demoChannelId() : Promise.resolve(undefined)),
  };
}

/**
 * What providers and site visitors reach without an inbox session: webhooks (/hooks/…), the
 * site chat's script, demo page and uploads, signed file links and unsubscribe links (/u/…).
 * Mounted in front of the inbox's client-side-route fallback.
 */
export function mountChannels(
  app: Express,
  services: () => ApiServices | undefined,
  visitorBackend: () => VisitorBackend | undefined,
  options: { widgetDir?: string; publicUrl: string },
): void {
  app.use(createWebhookRouter(services));
  app.use(
    createWebchatRouter(lateBackend(visitorBackend), {
      widgetDir: options.widgetDir ?? WIDGET_DIST,
      publicUrl: options.publicUrl,
      telegramSandbox: () => Boolean(services()?.demoTelegram?.sandbox),
    }),
  );
  app.use(createSignedFileRouter(services, () => services()?.fileLinks));
  app.use(createUnsubscribeRouter(services));
  app.use(createLinkRouter(services));
}
