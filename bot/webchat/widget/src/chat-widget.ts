import type { OperatorTyping, VisitorSession } from '../../visitor-events.js';
import type { VisitorMessage } from '../../visitor-message.js';
import type { Locale, OfflineForm, VisitorInbound } from '../../visitor-payloads.js';
import { accentColors } from './accent-colors.js';
import { h } from './h.js';
import { icon } from './icon.js';
import { authorName, messageView, type ShownMessage } from './message-view.js';
import { offlineFormView } from './offline-form-view.js';
import { pageSource, rememberLandingUtm } from './page-source.js';
import { randomId } from './random-id.js';
import { UploadError, uploadFile } from './upload-file.js';
import { connectVisitor } from './visitor-connection.js';
import { widgetShell } from './widget-shell.js';
import { WIDGET_STRINGS } from './widget-strings.js';
import WIDGET_STYLES from './widget.css?inline';
import { widgetStorage } from './widget-storage.js';

export interface ChatWidgetOptions {
  channelId: string;
  /** Where widget.js came from: the socket and the files endpoint live there, not on the site. */
  serverOrigin: string;
  locale: Locale;
}

/** loading: waiting for the session and history; form/thanks: nobody online and no conversation yet. */
type Mode = 'loading' | 'chat' | 'form' | 'thanks';

/** Operator typing that is never stopped (a closed inbox tab) stops showing after this long. */
const TYPING_SHOWN_MS = 8000;
/** The visitor's own typing is sent at most this often, and stops after this long without a key. */
const TYPING_SEND_MS = 2000;
const TYPING_IDLE_MS = 4000;
const HISTORY_RETRY_MS = 5000;
/** The ids of rating buttons (server/csat/csat-payload.ts): `csat:<conversation id>:<score>`. */
const CSAT_BUTTON = /^csat:[0-9a-f]{24}:[1-5]$/;

/** The widget: state, socket and DOM wired together inside a shadow root, so the site's styles and ours never meet. */
export function mountChatWidget(options: ChatWidgetOptions): void {
  const strings = WIDGET_STRINGS[options.locale];
  const storage = widgetStorage(options.channelId);
  rememberLandingUtm(storage);

  const host = document.createElement('funnel-chat-widget');
  host.dataset.channel = options.channelId;
  // Inline, so no site rule can beat it; custom properties survive `all` and carry the accent inside.
  host.style.cssText = 'all: initial; position: fixed; right: 0; bottom: 0; z-index: 2147483000;';
  const shadow = host.attachShadow({ mode: 'open' });
  const ui = widgetShell(strings);
  shadow.append(h('style', {}, WIDGET_STYLES), ui.root);

  let messages: ShownMessage[] = [];
  let pending: ShownMessage[] = [];
  let hasMore = false;
  let mode: Mode = 'loading';
  let open = false;
  let unread = 0;
  let session: VisitorSession | undefined;
  let linkLost = false;
  let pageSent = false;
  let operatorTyping: OperatorTyping['author'] | 'nobody' = 'nobody';
  let operatorTypingTimer: number | undefined;
  let visitorTypingSentAt = 0;
  let visitorTypingIdle: number | undefined;
  let noticeTimer: number | undefined;
  const views = new Map<string, { key: string; element: HTMLElement }>();

  const connection = connectVisitor(
    { ...options, visitorId: () => storage.read().visitorId },
    {
      session(next) {
        session = next;
        storage.update({ visitorId: next.visitorId });
        const colors = accentColors(next.appearance.color);
        if (colors) {
          host.style.setProperty('--fw-accent', colors.accent);
          host.style.setProperty('--fw-on-accent', colors.onAccent);
        }
        void loadLatest();
      },
      message(message) {
        // A message already shown comes again when its status changes: that is no news.
        const isNew = !messages.some((shown) => shown.id === message.id);
        upsert(message);
        if (isNew && message.direction === 'out') {
          operatorTyping = 'nobody';
          if (!open || document.hidden) unread += 1;
          ui.announcer.textContent = `${authorName(message, strings)}: ${message.text ?? message.media?.fileName ?? ''}`;
          // An operator wrote: whatever the visitor looked at, the conversation is on now.
          mode = 'chat';
        }
        render();
      },
      typing({ typing, author }) {
        window.clearTimeout(operatorTypingTimer);
        operatorTyping = typing ? author : 'nobody';
        if (typing) {
          operatorTypingTimer = window.setTimeout(() => {
            operatorTyping = 'nobody';
            render();
          }, TYPING_SHOWN_MS);
        }
        render();
      },
      presence({ operatorsOnline }) {
        if (session) session = { ...session, operatorsOnline };
        render();
      },
      linkChange(up) {
        if (!up) linkLost = true;
        ui.banner.hidden = up;
      },
      refused(reason) {
        console.warn(`Funnel Inbox chat is off on this page: ${reason}`);
        host.remove();
      },
    },
  );

  function upsert(message: VisitorMessage): void {
    const index = messages.findIndex((shown) => shown.id === message.id);
    if (index >= 0) messages[index] = message;
    else messages = [...messages, message].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The newest page; after a reconnect it is merged, so nothing written meanwhile is missed. */
  async function loadLatest(): Promise<void> {
    const ack = await connection.history();
    if (!ack.ok) {
      // Without a first page the widget cannot tell chat from offline form: ask again shortly.
      if (mode === 'loading') window.setTimeout(() => void loadLatest(), HISTORY_RETRY_MS);
      return;
    }
    const overlaps = ack.messages.some((message) => messages.some((shown) => shown.id === message.id));
    if (!overlaps) {
      messages = [];
      hasMore = ack.hasMore;
    }
    for (const message of ack.messages) upsert(message);
    if (mode === 'loading') mode = firstMode();
    render();
    if (linkLost) {
      linkLost = false;
      for (const message of pending) if (message.local?.state === 'failed') message.local.retry?.();
    }
  }

  function firstMode(): Mode {
    if (session?.operatorsOnline || messages.length > 0 || pending.length > 0) return 'chat';
    return storage.read().offlineSent ? 'thanks' : 'form';
  }

  async function loadOlder(): Promise<void> {
    const oldest = messages[0];
    if (!oldest) return;
    const ack = await connection.history(oldest.id);
    if (!ack.ok) return;
    const previousHeight = ui.log.scrollHeight;
    hasMore = ack.hasMore;
    for (const message of ack.messages) upsert(message);
    render();
    ui.log.scrollTop += ui.log.scrollHeight - previousHeight;
  }

  /** The page rides along with the first message of each page view: the inbox shows where the visitor is. */
  function firstPage(): Pick<VisitorInbound, 'page'> {
    if (pageSent) return {};
    pageSent = true;
    const page = pageSource(storage);
    return page ? { page } : {};
  }

  async function deliver(local: ShownMessage, payload: VisitorInbound): Promise<void> {
    local.local = { state: 'sending' };
    render(true);
    const ack = await connection.send(payload);
    if (ack.ok) {
      pending = pending.filter((message) => message !== local);
      views.delete(local.id);
      upsert(ack.message);
      render(true);
      return;
    }
    // The same clientMessageId on retry: if the first try did arrive, ingest keeps one copy.
    local.local = { state: 'failed', retry: () => void deliver(local, payload) };
    showNotice(ack.error.code === 'rate_limited' ? strings.rateLimited : strings.sendFailed);
    render();
  }

  function startMessage(fields: Partial<ShownMessage>): { local: ShownMessage; clientMessageId: string } {
    const clientMessageId = randomId();
    const local: ShownMessage = {
      id: `local:${clientMessageId}`,
      direction: 'in',
      createdAt: new Date().toISOString(),
      ...fields,
      local: { state: 'sending' },
    };
    pending = [...pending, local];
    mode = 'chat';
    return { local, clientMessageId };
  }

  function sendText(): void {
    const text = ui.textarea.value.trim();
    if (!text) return;
    ui.textarea.value = '';
    resizeInput();
    stopVisitorTyping();
    const { local, clientMessageId } = startMessage({ text });
    void deliver(local, { clientMessageId, text, ...firstPage() });
  }

  function sendButton(button: { id: string; text: string }): void {
    const { local, clientMessageId } = startMessage({ text: button.text });
    void deliver(local, { clientMessageId, button, ...firstPage() });
    // The tapped button is gone with the rest: keep focus in the panel (not the input, which would
    // pop a phone's keyboard up) so Esc and the screen reader stay with the chat.
    ui.log.focus({ preventScroll: true });
  }

  async function sendFile(file: File): Promise<void> {
    const visitorId = session?.visitorId;
    if (!visitorId) return;
    const { local, clientMessageId } = startMessage({ text: `${strings.uploading} ${file.name}` });
    render(true);
    try {
      const stored = await uploadFile(options.serverOrigin, options.channelId, visitorId, file);
      const { fileId, kind, mimeType, fileName, size, url } = stored;
      local.text = undefined;
      local.media = { url, kind, mimeType, fileName };
      await deliver(local, { clientMessageId, file: { fileId, kind, mimeType, fileName, size }, ...firstPage() });
    } catch (error) {
      pending = pending.filter((message) => message !== local);
      const reason = error instanceof UploadError ? error.reason : 'failed';
      showNotice(
        reason === 'too-large' ? strings.fileTooLarge : reason === 'type' ? strings.fileType : strings.uploadFailed,
      );
      render();
    }
  }

  function visitorTyped(): void {
    const now = Date.now();
    if (now - visitorTypingSentAt > TYPING_SEND_MS) {
      connection.typing(true);
      visitorTypingSentAt = now;
    }
    window.clearTimeout(visitorTypingIdle);
    visitorTypingIdle = window.setTimeout(stopVisitorTyping, TYPING_IDLE_MS);
  }

  function stopVisitorTyping(): void {
    window.clearTimeout(visitorTypingIdle);
    if (visitorTypingSentAt === 0) return;
    visitorTypingSentAt = 0;
    connection.typing(false);
  }

  function showNotice(text: string): void {
    ui.notice.textContent = text;
    ui.notice.hidden = false;
    window.clearTimeout(noticeTimer);
    noticeTimer = window.setTimeout(() => (ui.notice.hidden = true), 6000);
  }

  function resizeInput(): void {
    ui.textarea.style.height = 'auto';
    ui.textarea.style.height = `${Math.min(ui.textarea.scrollHeight, 120)}px`;
    ui.send.disabled = ui.textarea.value.trim() === '';
  }

  function setOpen(next: boolean, focus = true): void {
    open = next;
    storage.update({ open });
    if (open) unread = 0;
    render(true);
    if (!focus) return;
    if (!open) ui.launcher.focus();
    else if (mode === 'form') ui.formSlot.querySelector('input')?.focus();
    else ui.textarea.focus();
  }

  function showForm(): void {
    ui.formSlot.replaceChildren(
      offlineFormView({
        strings,
        locale: options.locale,
        submit: async (form: OfflineForm) => {
          const ack = await connection.offlineForm(form);
          if (!ack.ok) return false;
          storage.update({ offlineSent: form.name });
          mode = 'thanks';
          render();
          return true;
        },
        openChat: () => {
          mode = 'chat';
          render();
          ui.textarea.focus();
        },
      }),
    );
  }

  function thanksView(): HTMLElement {
    const chat = h('button', { type: 'button', class: 'primary' }, strings.writeInChat);
    chat.addEventListener('click', () => {
      mode = 'chat';
      render();
      ui.textarea.focus();
    });
    return h(
      'div',
      { class: 'thanks' },
      h('div', { class: 'thanks-icon' }, icon('check', 32)),
      h('h3', {}, strings.thanksTitle(storage.read().offlineSent ?? '')),
      h('p', {}, strings.thanksText),
      chat,
    );
  }

  function messageItems(): HTMLElement[] {
    const all = [...messages, ...pending];
    const items: HTMLElement[] = [];
    if (hasMore) {
      const older = h('button', { type: 'button', class: 'older' }, strings.loadOlder);
      older.addEventListener('click', () => void loadOlder());
      items.push(older);
    }
    const greeting = session?.appearance.greeting;
    if (greeting && !hasMore) {
      items.push(
        h(
          'div',
          { class: 'message from-company greeting' },
          h('div', { class: 'bubble' }, h('p', { class: 'text' }, greeting)),
        ),
      );
    }
    all.forEach((message, index) => {
      const previous = all[index - 1];
      const showAuthor =
        message.direction === 'out' &&
        (previous?.direction !== 'out' || authorName(previous, strings) !== authorName(message, strings));
      const key = JSON.stringify([message, showAuthor]);
      let view = views.get(message.id);
      if (view?.key !== key) {
        view = {
          key,
          element: messageView(message, {
            strings,
            locale: options.locale,
            serverOrigin: options.serverOrigin,
            showAuthor,
          }),
        };
        views.set(message.id, view);
      }
      items.push(view.element);
    });
    const last = all[all.length - 1];
    if (last?.direction === 'out' && last.buttons?.length) {
      // The rating request after a resolved conversation (server/csat): a row of stars, one per score.
      const rating = last.buttons.every((button) => CSAT_BUTTON.test(button.id));
      const group = h('div', {
        class: rating ? 'quick-replies rating' : 'quick-replies',
        role: 'group',
        'aria-label': rating ? strings.rate : authorName(last, strings),
      });
      for (const [index, button] of last.buttons.entries()) {
        const element = rating
          ? h('button', { type: 'button', class: 'star', 'aria-label': strings.rateScore(index + 1) }, '★')
          : h('button', { type: 'button', class: 'quick-reply' }, button.text);
        element.addEventListener('click', () => sendButton(button));
        group.append(element);
      }
      items.push(group);
    }
    if (operatorTyping !== 'nobody') {
      const name = operatorTyping?.name ?? (operatorTyping?.kind === 'bot' ? strings.bot : strings.operator);
      items.push(
        h(
          'div',
          { class: 'typing', role: 'status' },
          h('span', { class: 'typing-dots', 'aria-hidden': 'true' }, h('i', {}), h('i', {}), h('i', {})),
          strings.typing(name),
        ),
      );
    }
    return items;
  }

  function render(toBottom = false): void {
    const online = session?.operatorsOnline ?? false;
    ui.launcher.setAttribute('aria-expanded', String(open));
    ui.launcher.setAttribute(
      'aria-label',
      unread > 0 ? `${strings.openChat}. ${strings.unread(unread)}` : open ? strings.closeChat : strings.openChat,
    );
    ui.badge.textContent = unread > 9 ? '9+' : String(unread);
    ui.badge.hidden = unread === 0 || open;
    ui.root.classList.toggle('open', open);
    ui.panel.hidden = !open;
    ui.title.textContent = session?.appearance.title ?? strings.defaultTitle;
    ui.status.classList.toggle('online', online);
    ui.statusText.textContent = online ? strings.online : strings.offline;

    ui.loading.hidden = mode !== 'loading';
    ui.chatView.hidden = mode !== 'chat';
    ui.formSlot.hidden = mode !== 'form' && mode !== 'thanks';
    if (mode === 'form' && !ui.formSlot.querySelector('form')) showForm();
    if (mode === 'thanks' && !ui.formSlot.querySelector('.thanks')) ui.formSlot.replaceChildren(thanksView());
    if (mode !== 'chat') return;

    const log = ui.log;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    log.replaceChildren(...messageItems());
    if (toBottom || nearBottom) log.scrollTop = log.scrollHeight;
  }

  ui.launcher.addEventListener('click', () => setOpen(!open));
  ui.minimize.addEventListener('click', () => setOpen(false));
  ui.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setOpen(false);
  });
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendText();
  });
  ui.textarea.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter breaks the line; not while an IME is composing a word.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    sendText();
  });
  ui.textarea.addEventListener('input', () => {
    resizeInput();
    if (ui.textarea.value.trim()) visitorTyped();
  });
  ui.attach.addEventListener('click', () => ui.fileInput.click());
  ui.fileInput.addEventListener('change', () => {
    const file = ui.fileInput.files?.[0];
    ui.fileInput.value = '';
    if (file) void sendFile(file);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && open && unread > 0) {
      unread = 0;
      render();
    }
  });

  document.body.append(host);
  if (storage.read().open) setOpen(true, false);
  else render();
}
