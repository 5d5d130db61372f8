/**
 * /demo/telegram/page.js: the page's behaviour, plain browser JavaScript. The visitor is a Telegram
 * user of their own (an id kept in localStorage) or, picked from the list, one of the demo's clients;
 * it polls the chat's lines every second and posts what is written or tapped. Texts come from the
 * page's JSON element; everything shown is set as text, never as HTML.
 */
export const DEMO_TELEGRAM_PAGE_SCRIPT = `(() => {
  'use strict';
  const t = JSON.parse(document.getElementById('texts').textContent);
  const api = '/demo/telegram/api/chats';
  const list = document.getElementById('messages');
  const chats = document.getElementById('chats');
  const nameInput = document.getElementById('first-name');
  const errorBox = document.getElementById('error');
  const writingAs = document.getElementById('writing-as');
  const stored = JSON.parse(localStorage.getItem('demo-telegram-user') || 'null');
  const me = stored && Number.isSafeInteger(stored.id)
    ? stored
    : { id: 1000000000 + Math.floor(Math.random() * 4000000000), firstName: '' };
  nameInput.value = me.firstName || t.defaultName;
  let current = { id: me.id, name: t.you, own: true };
  let after = 0;
  let generation = 0;

  const save = () => localStorage.setItem('demo-telegram-user', JSON.stringify({ id: me.id, firstName: nameInput.value.trim() }));
  nameInput.addEventListener('change', save);

  const showError = (text) => {
    errorBox.hidden = !text;
    errorBox.textContent = text ? t.failed + ': ' + text : '';
  };

  const request = async (path, body) => {
    const response = await fetch(api + path, body === undefined ? {} : {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((json.error && json.error.message) || String(response.status));
    return json;
  };

  const timeOf = (date) => new Date(date * 1000).toLocaleTimeString(t.locale, { hour: '2-digit', minute: '2-digit' });

  const render = (entry) => {
    list.querySelector('.empty')?.remove();
    const item = document.createElement('li');
    item.className = entry.from;
    item.dataset.messageId = String(entry.messageId);
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = entry.media ? '📎 ' + (entry.media.fileName || t.file) + (entry.text ? '\\n' + entry.text : '') : entry.text || '';
    item.append(text);
    if (entry.buttons) {
      const keyboard = document.createElement('div');
      keyboard.className = 'keyboard';
      for (const button of entry.buttons.flat()) {
        if (button.url) {
          const link = document.createElement('a');
          link.href = button.url;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
          link.textContent = button.text;
          keyboard.append(link);
          continue;
        }
        const tap = document.createElement('button');
        tap.type = 'button';
        tap.textContent = button.text;
        tap.addEventListener('click', () =>
          request('/' + current.id + '/taps', { messageId: entry.messageId, data: button.callback_data })
            .then(() => showError(''))
            .catch((error) => showError(error.message)));
        keyboard.append(tap);
      }
      item.append(keyboard);
    }
    const time = document.createElement('time');
    time.textContent = timeOf(entry.date);
    item.append(time);
    list.append(item);
    list.scrollTop = list.scrollHeight;
  };

  const poll = async () => {
    const mine = generation;
    try {
      const { messages } = await request('/' + current.id + '/messages?after=' + after);
      if (mine !== generation) return;
      for (const entry of messages) {
        after = Math.max(after, entry.seq);
        render(entry);
      }
      if (!list.children.length) {
        const empty = document.createElement('li');
        empty.className = 'empty';
        empty.textContent = t.empty;
        list.append(empty);
      }
    } catch (error) {
      showError(error.message);
    }
  };

  const open = (chat) => {
    current = chat;
    after = 0;
    generation += 1;
    list.replaceChildren();
    writingAs.textContent = chat.own ? '' : chat.name;
    for (const button of chats.querySelectorAll('button')) button.setAttribute('aria-current', String(button.dataset.id === String(chat.id)));
    void poll();
  };

  const chatButton = (chat) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.id = String(chat.id);
    button.textContent = chat.name;
    button.addEventListener('click', () => open(chat));
    item.append(button);
    return item;
  };

  const loadChats = async () => {
    const { chats: known } = await request('');
    const others = known.filter((chat) => chat.id !== me.id);
    const hint = document.createElement('li');
    hint.className = 'hint';
    hint.textContent = t.writeAs;
    chats.replaceChildren(chatButton({ id: me.id, name: t.you, own: true }), ...(others.length ? [hint] : []), ...others.map(chatButton));
  };

  document.getElementById('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('text');
    const text = input.value.trim();
    if (!text) return;
    save();
    try {
      await request('/' + current.id + '/messages', { text, firstName: nameInput.value.trim() || t.defaultName });
      input.value = '';
      showError('');
      await poll();
    } catch (error) {
      showError(error.message);
    }
  });

  loadChats().then(() => open(current)).catch((error) => showError(error.message));
  setInterval(() => void poll(), 1000);
})();
`;
