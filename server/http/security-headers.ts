import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type Directives = Record<string, string[]>;

/** What the app serves, each with the policy it needs; `securityHeaders` picks one per request. */
export type ResponseKind = 'inbox' | 'api' | 'inbox-file' | 'signed-file' | 'widget-script' | 'demo';

/**
 * The inbox (Vite's build of the Svelte app) and everything else the app serves by default: health,
 * webhooks' answers, errors. The build has no inline script or style element, no eval, and sets
 * styles through the CSSOM (`style:` directives), which a policy does not govern; so scripts come
 * from our origin only. Styles allow 'unsafe-inline' for one reason: a mail's HTML is shown in a
 * `srcdoc` iframe (inbox/src/lib/email-message.ts), which inherits this policy, and the sanitised
 * mail keeps its inline styles (test/security/inbox-csp-browser.test.ts); serving the mail as a
 * document of its own, with its own policy, would let this go. Images are our own files, data:
 * (mail images) and blob: previews; the realtime socket is same-origin ('self' covers ws:/wss: to
 * our host, CSP Level 3).
 */
function inboxDirectives(upgrade: boolean): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(upgrade ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * /api: JSON, and the few server-rendered pages there (the API docs, a web form's result page),
 * which carry one inline style sheet and no script.
 */
const API_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Kept files (/files/… signed links, /api/v1/files/…): only media, PDFs and office files are kept
 * (server/files/keep-file.ts) and served with nosniff, so this is a second wall in case a file is
 * ever read as a document. Chrome's PDF viewer needs object-src and inline styles for its own
 * wrapper page (crbug.com/271452), so those two are not 'none'.
 */
const FILE_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'media-src': ["'self'"],
  'style-src': ["'unsafe-inline'"],
  'object-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'self'"],
};

/** /widget.js is a script other sites load: a policy only matters if someone opens it as a page. */
const SCRIPT_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * /demo: a stand-in for a customer's site with the widget on it, loaded from PUBLIC_URL as a real
 * site would (so possibly another origin than the page's). The page's own style sheet is inline,
 * and the widget puts its styles in a <style> element of its shadow root: 'unsafe-inline' styles,
 * no inline script. The widget's socket and file links go to the widget's origin.
 */
function demoDirectives(widgetOrigin: string | undefined): Directives {
  const widget = widgetOrigin ? [widgetOrigin] : [];
  const socket = widgetOrigin ? [widgetOrigin.replace(/^http/, 'ws')] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...widget],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', ...widget],
    'media-src': ["'self'", ...widget],
    'connect-src': ["'self'", ...widget, ...socket],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** Powerful browser features no page of ours uses (helmet leaves this header out). */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()';

function headersWith(directives: Directives, crossOrigin: boolean): RequestHandler {
  const options: HelmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives },
    // Resources other sites load (the widget script, files the widget shows) say so; nothing else may be.
    crossOriginResourcePolicy: { policy: crossOrigin ? 'cross-origin' : 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // A year; browsers ignore it over plain HTTP, so a local http:// install is not affected.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    // The same rule as frame-ancestors, for browsers that only read the older header.
    xFrameOptions: { action: directives['frame-ancestors']?.includes("'self'") ? 'sameorigin' : 'deny' },
  };
  return helmet(options);
}

/** Which kind a request path is (see ResponseKind). */
export function responseKindOf(path: string): ResponseKind {
  if (path === '/widget.js') return 'widget-script';
  if (path === '/demo') return 'demo';
  if (path.startsWith('/files/')) return 'signed-file';
  if (path.startsWith('/api/v1/files/')) return 'inbox-file';
  if (path === '/api' || path.startsWith('/api/')) return 'api';
  return 'inbox';
}

export interface SecurityHeaderOptions {
  /** PUBLIC_URL: where the widget is loaded from on the demo page; https turns on upgrade-insecure-requests. */
  publicUrl?: string;
}

/**
 * helmet's headers on every response, with a Content-Security-Policy and Cross-Origin-Resource-Policy
 * fitted to the kind of response (see ResponseKind). Routes may still set their own stricter policy
 * (the unsubscribe page does); socket.io's own responses never reach express.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): RequestHandler {
  const publicOrigin =
    options.publicUrl && URL.canParse(options.publicUrl) ? new URL(options.publicUrl).origin : undefined;
  const https = publicOrigin?.startsWith('https:') ?? false;
  const byKind: Record<ResponseKind, RequestHandler> = {
    inbox: headersWith(inboxDirectives(https), false),
    api: headersWith(API_DIRECTIVES, false),
    // The inbox's file URLs need a session and are shown by the inbox only; signed links are shown
    // by the widget on customers' sites.
    'inbox-file': headersWith(FILE_DIRECTIVES, false),
    'signed-file': headersWith(FILE_DIRECTIVES, true),
    'widget-script': headersWith(SCRIPT_DIRECTIVES, true),
    demo: headersWith(demoDirectives(publicOrigin), false),
  };
  return (req, res, next) => {
    res.setHeader('permissions-policy', PERMISSIONS_POLICY);
    byKind[responseKindOf(req.path)](req, res, next);
  };
}
