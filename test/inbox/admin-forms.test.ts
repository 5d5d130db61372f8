import { describe, expect, it } from 'vitest';
import { cannedPreview } from '../../inbox/src/lib/canned-preview.js';
import { channelFormValues, channelRequestBody, missingChannelFields } from '../../inbox/src/lib/channel-fields.js';
import { guessImportMapping, importMapping } from '../../inbox/src/lib/guess-import-mapping.js';
import { readApiError } from '../../inbox/src/lib/send-json.js';
import { validateTaskForm } from '../../inbox/src/lib/validate-task-form.js';
import { validateUserForm } from '../../inbox/src/lib/validate-user-form.js';
import { widgetSnippet } from '../../inbox/src/lib/widget-snippet.js';

describe('widget snippet', () => {
  it('should show the server’s embed code as it is', () => {
    const embedCode = '<script src="https://inbox.example.ru/widget.js" data-channel="abc" async></script>';
    expect(widgetSnippet({ id: 'abc', type: 'webchat', embedCode }, 'http://127.0.0.1:3000')).toBe(embedCode);
  });

  it('should build the tag from this app’s address when the account came without one', () => {
    expect(widgetSnippet({ id: '665f1c2e8a4b7d0012a3b4c5', type: 'webchat' }, 'https://inbox.example.ru/')).toBe(
      '<script src="https://inbox.example.ru/widget.js" data-channel="665f1c2e8a4b7d0012a3b4c5" async></script>',
    );
  });

  it('should give nothing for channels that are not the site chat', () => {
    expect(widgetSnippet({ id: 'x', type: 'telegram' }, 'https://inbox.example.ru')).toBe('');
  });
});

describe('canned preview', () => {
  const values = {
    'contact.name': 'Анна',
    'contact.phone': '+79161234567',
    'contact.email': 'anna@example.ru',
    'agent.name': 'Ольга',
    'agent.email': 'olga@example.ru',
  };

  it('should fill the variables and keep an unknown one as typed, as the server does', () => {
    expect(cannedPreview('Здравствуйте, {{contact.name}}! Я {{ agent.name }}. {{contact.city}}', values)).toBe(
      'Здравствуйте, Анна! Я Ольга. {{contact.city}}',
    );
  });
});

describe('channel form', () => {
  it('should build a webchat request with the sites as a list and the greeting nested', () => {
    const values = {
      ...channelFormValues('webchat'),
      allowedOrigins: 'https://ecodom.ru\n https://www.ecodom.ru , ',
      'greeting.ru': 'Здравствуйте!',
    };
    expect(channelRequestBody('webchat', { name: ' Сайт ', teamIds: ['t1'] }, values, true)).toEqual({
      type: 'webchat',
      name: 'Сайт',
      teamIds: ['t1'],
      allowedOrigins: ['https://ecodom.ru', 'https://www.ecodom.ru'],
      greeting: { ru: 'Здравствуйте!' },
    });
  });

  it('should leave an empty secret out of an edit, so the stored one is kept', () => {
    const values = channelFormValues('telegram', { botUsername: 'ecodom_bot', mode: 'polling' });
    expect(values).toEqual({ token: '', botUsername: 'ecodom_bot', mode: 'polling', webhookSecret: '' });
    expect(channelRequestBody('telegram', { name: 'Бот', teamIds: [] }, values, false)).toEqual({
      name: 'Бот',
      teamIds: [],
      botUsername: 'ecodom_bot',
      mode: 'polling',
    });
    expect(missingChannelFields('telegram', values, false)).toEqual([]);
    expect(missingChannelFields('telegram', values, true)).toEqual(['token']);
  });

  it('should send numbers and switches of a mailbox as such', () => {
    const values = channelFormValues('email');
    expect(values.imapSecure).toBe(true);
    const body = channelRequestBody('email', { name: 'Почта', teamIds: [] }, { ...values, smtpSecure: false }, true);
    expect(body).toMatchObject({ imapPort: 993, imapSecure: true, smtpPort: 465, smtpSecure: false, mailbox: 'INBOX' });
    expect(missingChannelFields('email', values, true)).toEqual([
      'address',
      'username',
      'password',
      'imapHost',
      'smtpHost',
    ]);
  });
});

describe('form validation', () => {
  it('should ask a task for a title and an assignee, and send the due time as an ISO instant', () => {
    expect(validateTaskForm({ title: ' ', due: '', assigneeId: '', contactId: '', dealId: '' })).toEqual({
      ok: false,
      errors: { title: 'tasks.error.titleRequired', assigneeId: 'tasks.error.assigneeRequired' },
    });
    const checked = validateTaskForm({
      title: ' Перезвонить ',
      due: '2026-11-27T10:30',
      assigneeId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      contactId: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      dealId: '',
    });
    expect(checked).toEqual({
      ok: true,
      body: {
        title: 'Перезвонить',
        assigneeId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
        dueAt: new Date(2026, 10, 27, 10, 30).toISOString(),
        contactId: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      },
    });
  });

  it('should check a new user as the server does, and let an edit keep the password', () => {
    expect(validateUserForm({ name: '', email: 'anna@', password: 'short', role: 'boss' }, true)).toEqual({
      name: 'settings.error.nameRequired',
      email: 'settings.error.emailInvalid',
      password: 'settings.error.passwordShort',
      role: 'settings.error.roleRequired',
    });
    expect(validateUserForm({ name: 'Анна', email: 'anna@ecodom.ru', password: '', role: 'operator' }, true)).toEqual({
      password: 'settings.error.passwordRequired',
    });
    expect(validateUserForm({ name: 'Анна', email: 'anna@ecodom.ru', password: '', role: 'operator' }, false)).toEqual(
      {},
    );
  });

  it('should put each server validation message beside its field', () => {
    const error = readApiError(400, {
      error: {
        code: 'validation_failed',
        message: 'The request has invalid or unknown fields',
        details: [
          { in: 'body', path: 'allowedOrigins.0', message: 'Not a site address' },
          { in: 'body', path: 'allowedOrigins.0', message: 'second message for the same field' },
          { path: 'token', message: 'A Telegram bot token looks like 123456789:AAH…' },
        ],
      },
    });
    expect(error).toEqual({
      ok: false,
      status: 400,
      code: 'validation_failed',
      message: 'The request has invalid or unknown fields',
      details: expect.any(Array),
      fields: { 'allowedOrigins.0': 'Not a site address', token: 'A Telegram bot token looks like 123456789:AAH…' },
    });
    expect(readApiError(502, 'Bad gateway')).toEqual({ ok: false, status: 502, fields: {} });
  });
});

describe('import mapping', () => {
  it('should guess contact fields from Russian and English headers', () => {
    expect(guessImportMapping(['ФИО', 'Телефон', 'Телефон 2', 'E-mail', 'Город', 'Размер обуви', 'Source'])).toEqual([
      'name',
      'phone',
      'phone',
      'email',
      'region',
      '',
      'source',
    ]);
  });

  it('should key the mapping by header, or by column number when a header repeats or cannot be a key', () => {
    expect(importMapping(['Имя', 'Тел.', 'Телефон', 'Телефон', ''], ['name', 'phone', 'phone', '', 'email'])).toEqual({
      Имя: 'name',
      '2': 'phone',
      '3': 'phone',
      '5': 'email',
    });
  });
});
