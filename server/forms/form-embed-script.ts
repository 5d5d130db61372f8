import type { FormRecord } from './form-model.js';
import { HONEYPOT_FIELD } from './form-schemas.js';
import { formContainerId } from './form-snippet.js';
import { FORM_TEXTS } from './form-texts.js';

/*
 * The browser side of a form, plain ES2017 for any site: it renders the fields with DOM calls
 * (labels are the admin's text, never HTML), remembers the visit's first page, referrer and
 * utm_* for the tab, sends the answers as an HTML form would (application/x-www-form-urlencoded,
 * no custom headers, so browsers send it without a CORS preflight) with an id made once per
 * form view (a double click or a retry is the same submission), and shows the thank-you text or
 * the problems in the page's language (<html lang>, else the browser's; Russian unless English).
 */
const BROWSER_CODE = `
(function (config) {
  'use strict';
  var script = document.currentScript;
  var submitUrl = new URL(config.submitPath, (script && script.src) || config.fallbackBase).href;
  var tag = (document.documentElement.getAttribute('lang') || navigator.language || 'ru').toLowerCase();
  var lang = tag.indexOf('en') === 0 ? 'en' : 'ru';
  var texts = config.texts;
  function say(text) { return (text && (text[lang] || text.ru)) || ''; }
  function make(name, className) {
    var node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  function visit() {
    var params = new URLSearchParams(location.search);
    var here = { utm: {}, referrer: document.referrer || '', landing: location.href, campaign: false };
    ['source', 'medium', 'campaign', 'term', 'content'].forEach(function (name) {
      var value = params.get('utm_' + name);
      if (value) { here.utm[name] = value; here.campaign = true; }
    });
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem('funnel-form-visit') || 'null'); } catch (error) { stored = null; }
    // The visit's first page tells where the person came from; a new campaign link starts a new visit.
    var kept = stored && !here.campaign ? stored : here;
    try { sessionStorage.setItem('funnel-form-visit', JSON.stringify(kept)); } catch (error) { /* storage off */ }
    return kept;
  }
  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  var container = document.getElementById(config.containerId);
  if (!container) {
    container = make('div');
    if (script && script.parentNode) script.parentNode.insertBefore(container, script);
    else document.body.appendChild(container);
  }
  if (!document.getElementById('funnel-form-style')) {
    var style = make('style');
    style.id = 'funnel-form-style';
    style.textContent = config.css;
    document.head.appendChild(style);
  }

  var touch = visit();
  var submissionId = newId();
  var form = make('form', 'ff-form');
  form.noValidate = true;
  form.setAttribute('lang', lang);
  var inputs = {};
  var errors = {};
  config.fields.forEach(function (field) {
    var id = config.containerId + '-' + field.key;
    var row = make('div', 'ff-row');
    var label = make('label', 'ff-label');
    label.htmlFor = id;
    label.textContent = say(field.label) + (field.required ? ' *' : '');
    var input;
    if (field.type === 'textarea') {
      input = make('textarea');
      input.rows = 4;
    } else if (field.type === 'select') {
      input = make('select');
      var none = make('option');
      none.value = '';
      none.textContent = say(texts.choose);
      input.appendChild(none);
      field.options.forEach(function (option) {
        var choice = make('option');
        choice.value = option.value;
        choice.textContent = say(option.label);
        input.appendChild(choice);
      });
    } else {
      input = make('input');
      input.type = field.type === 'phone' ? 'tel' : field.type === 'email' ? 'email' : 'text';
      if (field.type === 'phone') input.autocomplete = 'tel';
      if (field.type === 'email') input.autocomplete = 'email';
    }
    input.id = id;
    input.name = field.key;
    input.className = 'ff-input';
    if (field.required) input.required = true;
    var error = make('div', 'ff-error');
    error.id = id + '-error';
    input.setAttribute('aria-describedby', error.id);
    row.appendChild(label);
    row.appendChild(input);
    row.appendChild(error);
    form.appendChild(row);
    inputs[field.key] = input;
    errors[field.key] = error;
  });
  // The trap: off-screen and out of the tab order, so people leave it empty and bots fill it.
  var trap = make('div');
  trap.setAttribute('aria-hidden', 'true');
  trap.style.cssText = 'position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden';
  var trapInput = make('input');
  trapInput.type = 'text';
  trapInput.name = config.honeypot;
  trapInput.tabIndex = -1;
  trapInput.autocomplete = 'off';
  trap.appendChild(trapInput);
  form.appendChild(trap);
  var status = make('div', 'ff-status');
  status.setAttribute('role', 'alert');
  var button = make('button', 'ff-submit');
  button.type = 'submit';
  button.textContent = say(config.submitLabel);
  form.appendChild(status);
  form.appendChild(button);
  container.appendChild(form);

  function mark(key, problem) {
    if (!errors[key]) return;
    errors[key].textContent = say(texts[problem] || texts.checkFields);
    inputs[key].setAttribute('aria-invalid', 'true');
  }
  function clear() {
    status.textContent = '';
    Object.keys(errors).forEach(function (key) {
      errors[key].textContent = '';
      inputs[key].removeAttribute('aria-invalid');
    });
  }
  function check() {
    var problems = [];
    config.fields.forEach(function (field) {
      var value = inputs[field.key].value.trim();
      if (!value) { if (field.required) problems.push([field.key, 'required']); return; }
      if (field.type === 'email' && !/^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(value)) problems.push([field.key, 'invalid_email']);
      var digits = value.replace(/\\D/g, '').length;
      if (field.type === 'phone' && (digits < 7 || digits > 15)) problems.push([field.key, 'invalid_phone']);
    });
    var reachable = config.contactKeys.some(function (key) { return inputs[key].value.trim(); });
    if (!reachable && problems.length === 0 && config.contactKeys.length) problems.push([config.contactKeys[0], 'need_contact']);
    return problems;
  }
  function done() {
    var thanks = make('p', 'ff-thanks');
    thanks.setAttribute('role', 'status');
    thanks.textContent = say(config.thankYou);
    form.replaceWith(thanks);
  }
  function fail(text) {
    status.textContent = say(text);
    button.disabled = false;
    button.textContent = say(config.submitLabel);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (button.disabled) return;
    clear();
    var problems = check();
    if (problems.length) {
      problems.forEach(function (problem) { mark(problem[0], problem[1]); });
      inputs[problems[0][0]].focus();
      return;
    }
    var data = new URLSearchParams();
    config.fields.forEach(function (field) { data.append(field.key, inputs[field.key].value); });
    data.append(config.honeypot, trapInput.value);
    data.append('submission_id', submissionId);
    data.append('language', lang);
    data.append('landing_page', touch.landing);
    if (touch.referrer) data.append('referrer', touch.referrer);
    Object.keys(touch.utm).forEach(function (name) { data.append('utm_' + name, touch.utm[name]); });
    button.disabled = true;
    button.textContent = say(texts.sending);
    fetch(submitUrl, { method: 'POST', body: data, credentials: 'omit', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        // 409: this submission was already taken (an answer lost on the way back); it is in.
        if (result.status === 200 || result.status === 409) return done();
        var details = result.body && result.body.error && result.body.error.details;
        if (result.status === 400 && Array.isArray(details)) {
          details.forEach(function (detail) { mark(detail.path, detail.code); });
          return fail(texts.checkFields);
        }
        fail(result.status === 429 ? texts.tooMany : texts.failed);
      }, function () { fail(texts.failed); });
  });
})`;

const CSS = [
  '.ff-form{display:grid;gap:12px;max-width:440px;font:inherit;color:inherit}',
  '.ff-row{display:grid;gap:4px}',
  '.ff-label{font-weight:600}',
  '.ff-input{font:inherit;padding:8px 10px;border:1px solid #c5cad1;border-radius:6px;background:#fff;color:#1f2937}',
  '.ff-input[aria-invalid=true]{border-color:#b42318}',
  '.ff-error,.ff-status{color:#b42318;font-size:.9em}',
  '.ff-error:empty,.ff-status:empty{display:none}',
  '.ff-submit{font:inherit;padding:10px 18px;border:0;border-radius:6px;background:#2f6f4e;color:#fff;cursor:pointer}',
  '.ff-submit[disabled]{opacity:.6;cursor:default}',
  '.ff-thanks{font-weight:600}',
].join('');

/** JSON placed inside a script: '<' escaped so no '</script>' can end it, nor line separators break it. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** embed.js of one form: the browser code with the form's fields and texts. */
export function formEmbedScript(form: FormRecord, publicUrl: string): string {
  const id = form._id.toHexString();
  const config = {
    containerId: formContainerId(id),
    // Relative to the script's own address (…/forms/<id>/embed.js), so the app may sit behind any host or path prefix.
    submitPath: 'submissions',
    fallbackBase: `${publicUrl.replace(/\/+$/, '')}/api/v1/forms/${id}/embed.js`,
    fields: form.fields.map((field) => ({
      key: field.key,
      label: field.label,
      type: field.type,
      required: field.required,
      ...(field.options ? { options: field.options } : {}),
    })),
    contactKeys: form.fields
      .filter((field) => field.mapTo?.type === 'contact-phone' || field.mapTo?.type === 'contact-email')
      .map((field) => field.key),
    honeypot: HONEYPOT_FIELD,
    thankYou: form.thankYou,
    submitLabel: form.submitLabel,
    texts: FORM_TEXTS,
    css: CSS,
  };
  return `${BROWSER_CODE}(${scriptJson(config)});\n`;
}
