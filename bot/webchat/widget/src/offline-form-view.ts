import { contactChecks } from '../../contact-checks.js';
import type { Locale, OfflineForm } from '../../visitor-payloads.js';
import { h } from './h.js';
import type { WidgetStrings } from './widget-strings.js';

type FieldName = 'name' | 'phone' | 'email' | 'message';

export interface OfflineFormOptions {
  strings: WidgetStrings;
  locale: Locale;
  /** Resolves true once the server has the form; false shows a retry message. */
  submit(form: OfflineForm): Promise<boolean>;
  /** "Or write in the chat": the chat works offline too, the form is only the friendlier default. */
  openChat(): void;
}

/** Name plus a phone or an e-mail, checked in place with the same loose rules the server applies. */
export function offlineFormView(options: OfflineFormOptions): HTMLElement {
  const { strings } = options;
  const inputs = new Map<FieldName, HTMLInputElement | HTMLTextAreaElement>();
  const errors = new Map<FieldName, HTMLElement>();

  function field(name: FieldName, label: string, control: HTMLInputElement | HTMLTextAreaElement, hint?: string) {
    const id = `fw-${name}`;
    control.id = id;
    control.name = name;
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    control.setAttribute('aria-describedby', `${id}-error`);
    control.addEventListener('input', () => showError(name, undefined));
    inputs.set(name, control);
    errors.set(name, error);
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label, hint && h('span', { class: 'hint' }, ` · ${hint}`)),
      control,
      error,
    );
  }

  function showError(name: FieldName, message: string | undefined): void {
    const control = inputs.get(name);
    const error = errors.get(name);
    if (!control || !error) return;
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }

  const value = (name: FieldName) => inputs.get(name)?.value.trim() ?? '';

  function validate(): OfflineForm | undefined {
    const [name, phone, email, message] = [value('name'), value('phone'), value('email'), value('message')];
    const problems: [FieldName, string][] = [];
    if (!name) problems.push(['name', strings.nameRequired]);
    if (!phone && !email) problems.push(['phone', strings.contactRequired]);
    if (phone && !contactChecks.phone(phone)) problems.push(['phone', strings.phoneInvalid]);
    if (email && !contactChecks.email(email)) problems.push(['email', strings.emailInvalid]);
    for (const [field, text] of problems) showError(field, text);
    const first = problems[0];
    if (first) {
      inputs.get(first[0])?.focus();
      return undefined;
    }
    return {
      name,
      locale: options.locale,
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      ...(message ? { message } : {}),
    };
  }

  const submitButton = h('button', { type: 'submit', class: 'primary' }, strings.submit);
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true }, strings.formFailed);
  const chatLink = h('button', { type: 'button', class: 'link' }, strings.writeInChat);
  chatLink.addEventListener('click', options.openChat);

  const form = h(
    'form',
    { class: 'offline-form', novalidate: true },
    h('h3', {}, strings.formTitle),
    h('p', { class: 'intro' }, strings.formIntro),
    field('name', strings.name, h('input', { type: 'text', autocomplete: 'name', maxlength: 200, required: true })),
    field('phone', strings.phone, h('input', { type: 'tel', autocomplete: 'tel', maxlength: 40 })),
    field('email', strings.email, h('input', { type: 'email', autocomplete: 'email', maxlength: 300 })),
    field('message', strings.message, h('textarea', { rows: 2, maxlength: 5000 }), strings.optional),
    formError,
    submitButton,
    chatLink,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    formError.hidden = true;
    const filled = validate();
    if (!filled) return;
    submitButton.disabled = true;
    void options.submit(filled).then((sent) => {
      submitButton.disabled = false;
      formError.hidden = sent;
    });
  });
  return form;
}
