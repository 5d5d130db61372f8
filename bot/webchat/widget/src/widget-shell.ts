import { h } from './h.js';
import { icon } from './icon.js';
import type { WidgetStrings } from './widget-strings.js';

/**
 * The widget's fixed frame: launcher, panel, header, the chat view (log, notice, composer) and a
 * slot for the offline form. Built once; chat-widget.ts fills and toggles it.
 */
export function widgetShell(strings: WidgetStrings) {
  const badge = h('span', { class: 'badge', hidden: true });
  const launcher = h('button', {
    type: 'button',
    class: 'launcher',
    'aria-controls': 'fw-panel',
    'aria-expanded': 'false',
    'aria-label': strings.openChat,
  });
  launcher.append(
    h('span', { class: 'launcher-icon open-icon' }, icon('chat', 28)),
    h('span', { class: 'launcher-icon close-icon' }, icon('close', 26)),
    badge,
  );

  const title = h('h2', { class: 'title', id: 'fw-title' });
  const statusText = h('span', {});
  const status = h('p', { class: 'status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), statusText);
  const minimize = h('button', { type: 'button', class: 'icon-button', 'aria-label': strings.closeChat });
  minimize.append(icon('minimize', 22));
  const header = h(
    'header',
    { class: 'header' },
    h('div', { class: 'avatar', 'aria-hidden': 'true' }, icon('chat', 22)),
    h('div', { class: 'heading' }, title, status),
    minimize,
  );

  const banner = h('div', { class: 'banner', role: 'status', hidden: true }, strings.reconnecting);
  const log = h('div', { class: 'log', role: 'region', tabindex: 0, 'aria-label': strings.messages });
  const notice = h('p', { class: 'notice', role: 'alert', hidden: true });

  const fileInput = h('input', { type: 'file', class: 'file-input', tabindex: -1, 'aria-hidden': 'true' });
  const attach = h('button', {
    type: 'button',
    class: 'icon-button attach',
    'aria-label': strings.attach,
    title: strings.attach,
  });
  attach.append(icon('attach', 20));
  const textarea = h('textarea', {
    class: 'input',
    rows: 1,
    maxlength: 10_000,
    placeholder: strings.placeholder,
    'aria-label': strings.placeholder,
  });
  const send = h('button', {
    type: 'submit',
    class: 'send',
    'aria-label': strings.send,
    title: strings.send,
    disabled: true,
  });
  send.append(icon('send', 18));
  const composer = h('form', { class: 'composer' }, attach, fileInput, textarea, send);

  const chatView = h('div', { class: 'chat-view' }, log, notice, composer);
  const formSlot = h('div', { class: 'form-slot', hidden: true });
  const loading = h('div', { class: 'loading', 'aria-hidden': 'true' }, h('span', {}), h('span', {}), h('span', {}));
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });

  const panel = h(
    'section',
    { class: 'panel', id: 'fw-panel', role: 'dialog', 'aria-labelledby': 'fw-title', hidden: true },
    header,
    banner,
    loading,
    chatView,
    formSlot,
    h('p', { class: 'powered' }, strings.poweredBy),
  );
  // Outside the panel: a reply that arrives while the panel is closed is announced too.
  const root = h('div', { class: 'root' }, panel, launcher, announcer);

  return {
    root,
    launcher,
    badge,
    panel,
    title,
    statusText,
    status,
    minimize,
    banner,
    loading,
    chatView,
    log,
    notice,
    composer,
    attach,
    fileInput,
    textarea,
    send,
    formSlot,
    announcer,
  };
}

export type WidgetShell = ReturnType<typeof widgetShell>;
