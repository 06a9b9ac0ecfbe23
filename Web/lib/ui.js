// Small DOM helpers shared by app.js and the views in views/: the live region, titles,
// focus-keeping renders, error texts, field errors with their summary, copying and
// downloading text, and the native <dialog> with focus handling.

import { html, render } from './html.js';
import { ApiError } from './api.js';
import { t, getLang, hasMessage, localizeFieldError } from './i18n.js';

export const $ = (selector, root = document) => root.querySelector(selector);

/** Renders and puts focus back on the element (by id or row) that had it. */
export function renderKeepingFocus(target, template) {
  const active = document.activeElement;
  let restore = null;
  if (active && active !== target && target.contains(active)) {
    if (active.id) {
      const id = active.id;
      restore = () => document.getElementById(id);
    } else {
      const row = active.closest('[data-id]');
      if (row) {
        const rowId = row.getAttribute('data-id');
        restore = () => [...target.querySelectorAll('[data-id]')].find((el) => el.getAttribute('data-id') === rowId)?.querySelector('a, button');
      }
    }
  }
  render(target, template);
  if (restore) {
    const el = restore();
    if (el) el.focus({ preventScroll: true });
  }
}

let announceQueue = [];
let announceTimer = null;
/** Says text through the polite live region (batched, so bursts are read once). */
export function announce(text) {
  if (!text) return;
  announceQueue.push(text);
  if (announceTimer) return;
  announceTimer = setTimeout(() => {
    announceTimer = null;
    const region = $('#announcer');
    if (!region) return;
    const message = announceQueue.join(' ');
    announceQueue = [];
    region.textContent = '';
    setTimeout(() => {
      region.textContent = message;
    }, 60);
  }, 120);
}

export function setTitle(title) {
  document.title = t('app.pageTitle', { title });
}

export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('error.network');
    if (err.code && hasMessage(`errorCode.${err.code}`)) return t(`errorCode.${err.code}`);
    if (err.status === 429) return t('errorCode.rateLimited');
    if (err.status === 403) return t('error.forbidden');
    return t('error.generic', { message: err.message });
  }
  return t('error.generic', { message: String(err && err.message ? err.message : err) });
}

/** Where people set up their second factor. */
export const TWO_FACTOR_HASH = '#/account/two-factor';

/**
 * An error as markup: the text, and for "administrators need a second factor" a link to
 * the account page's two-factor section.
 */
export function errorContent(err) {
  if (err instanceof ApiError && err.code === 'auth.secondFactorRequired') {
    return html`${t('errorCode.auth.secondFactorRequired')} <a href="${TWO_FACTOR_HASH}" data-testid="setup-second-factor-link">${t('twoFactor.setUpLink')}</a>`;
  }
  const fields = err instanceof ApiError ? err.fields : [];
  if (!fields.length) return html`${errorText(err)}`;
  // Field issues that no form placed next to its field: listed under the message, each with
  // the field's name (when known) and the message in the page's language.
  return html`${errorText(err)}<ul class="error-fields">${fields.map((f) => {
    const name = String(f.field ?? '').split(/[.[]/)[0];
    const label = hasMessage(`fieldName.${name}`) ? t(`fieldName.${name}`) : name;
    return html`<li>${label ? html`${label}: ` : ''}${localizeFieldError(f, getLang())}</li>`;
  })}</ul>`;
}

/** An error notice (role=alert, so it is read out when it appears). */
export function errorNotice(err) {
  return html`<div class="notice notice-error" role="alert"><div>${errorContent(err)}</div></div>`;
}

export function focusHeading() {
  const h1 = $('#page-title');
  if (h1) h1.focus({ preventScroll: false });
}

/**
 * Shows server field errors next to their fields. `fieldMap` maps an API field name to
 * { input: id of the control to focus, error: id of the error element, group: id of a
 * fieldset (optional) }. Returns the list for the summary.
 */
export function showFieldErrors(form, fieldMap, fields) {
  clearFieldErrors(form, fieldMap);
  const listed = [];
  const grouped = new Map();
  for (const f of fields) {
    const name = String(f.field ?? '').split(/[.[]/)[0];
    const message = localizeFieldError(f, getLang());
    const spec = fieldMap[name];
    if (!spec) {
      listed.push({ message, label: f.field ?? '' });
      continue;
    }
    if (!grouped.has(name)) grouped.set(name, []);
    grouped.get(name).push(message);
    listed.push({ message, label: spec.label, target: spec.input });
  }
  for (const [name, messages] of grouped) {
    const spec = fieldMap[name];
    const errorEl = document.getElementById(spec.error);
    if (errorEl) {
      render(errorEl, html`<span class="visually-hidden">${t('field.error', { message: '' })}</span>${messages.join(' ')}`);
      errorEl.hidden = false;
    }
    const groupEl = spec.group ? document.getElementById(spec.group) : null;
    const controls = groupEl ? [...groupEl.querySelectorAll('input, select, textarea')] : [document.getElementById(spec.input)];
    for (const control of controls) control?.setAttribute('aria-invalid', 'true');
    const describedHost = groupEl ?? document.getElementById(spec.input);
    if (describedHost) {
      const ids = (describedHost.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== spec.error);
      ids.unshift(spec.error);
      describedHost.setAttribute('aria-describedby', ids.join(' '));
    }
    if (groupEl) groupEl.classList.add('has-error');
    else document.getElementById(spec.input)?.closest('.field')?.classList.add('has-error');
  }
  return listed;
}

export function clearFieldErrors(form, fieldMap) {
  for (const spec of Object.values(fieldMap)) {
    const errorEl = document.getElementById(spec.error);
    if (errorEl) {
      errorEl.hidden = true;
      errorEl.textContent = '';
    }
    const host = spec.group ? document.getElementById(spec.group) : document.getElementById(spec.input);
    if (host) {
      const ids = (host.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== spec.error);
      if (ids.length) host.setAttribute('aria-describedby', ids.join(' '));
      else host.removeAttribute('aria-describedby');
      host.classList.remove('has-error');
      host.closest('.field')?.classList.remove('has-error');
    }
    const controls = spec.group ? [...(document.getElementById(spec.group)?.querySelectorAll('input, select, textarea') ?? [])] : [document.getElementById(spec.input)];
    for (const control of controls) control?.removeAttribute('aria-invalid');
  }
}

export function errorSummaryTemplate(titleId, listed) {
  return html`
    <h2 id="${titleId}">${t('create.errors.title')}</h2>
    <p>${listed.length === 1 ? t('create.errors.one') : t('create.errors.count', { count: listed.length })}</p>
    <ul>
      ${listed.map((e) => (e.target
        ? html`<li><a href="#${e.target}" data-focus="${e.target}">${e.label}: ${e.message}</a></li>`
        : html`<li>${e.label ? html`${e.label}: ` : ''}${e.message}</li>`))}
    </ul>`;
}

/**
 * Shows field errors (client-side or the server's) and a summary in `summaryId`, and
 * moves focus to the summary. With one error the focus goes to the field itself.
 */
export function reportFieldErrors(form, fieldMap, fields, summaryId) {
  const listed = showFieldErrors(form, fieldMap, fields);
  const summary = document.getElementById(summaryId);
  if (summary) {
    render(summary, errorSummaryTemplate(`${summaryId}-title`, listed));
    summary.hidden = false;
    summary.focus();
  }
  return listed;
}

/** Hides a summary box and clears the fields' errors. */
export function resetFieldErrors(form, fieldMap, summaryId) {
  clearFieldErrors(form, fieldMap);
  const summary = summaryId ? document.getElementById(summaryId) : null;
  if (summary) {
    summary.hidden = true;
    summary.textContent = '';
  }
}

/** Marks a button busy without disabling it (so focus stays); returns a restore function. */
export function busyButton(button, busyText) {
  if (!button) return () => {};
  const label = button.textContent;
  button.setAttribute('aria-disabled', 'true');
  if (busyText) button.textContent = busyText;
  return () => {
    const el = button.isConnected ? button : (button.id ? document.getElementById(button.id) : null);
    if (!el) return;
    el.removeAttribute('aria-disabled');
    if (busyText) el.textContent = label;
  };
}

/**
 * Copies text to the clipboard. Falls back to selecting the text (in `field`, or in a
 * temporary off-screen text area) and execCommand('copy') where the Clipboard API is
 * missing or refused. Resolves to whether it worked; when `field` is given the text is
 * left selected there, so people can copy it themselves.
 */
export async function copyText(text, field = null) {
  try {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* refused (no permission, not focused): try the old way */
  }
  const active = document.activeElement;
  let temp = null;
  let target = field;
  if (!target || typeof target.select !== 'function') {
    temp = document.createElement('textarea');
    temp.value = text;
    temp.setAttribute('readonly', '');
    temp.setAttribute('aria-hidden', 'true');
    temp.tabIndex = -1;
    temp.className = 'offscreen';
    document.body.appendChild(temp);
    target = temp;
  }
  let ok = false;
  try {
    target.focus({ preventScroll: true });
    target.select();
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  if (temp) {
    temp.remove();
    if (active && typeof active.focus === 'function') active.focus({ preventScroll: true });
  }
  return ok;
}

/** Offers text as a file download (a blob link, clicked and revoked). */
export function downloadText(fileName, text) {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    a.remove();
    URL.revokeObjectURL(url);
  }, 1000);
}

// ---------------------------------------------------------------- dialog

const restorers = new WeakMap();

/**
 * Opens a native modal <dialog>. Focus goes to `focus` (an element id) or the first
 * field; when the dialog closes (a button, Escape), focus returns to the element that
 * opened it, or to `fallback` (an id) if that one is gone.
 */
export function openDialog(dialog, { opener = document.activeElement, focus = null, fallback = null, onClose = null } = {}) {
  if (!dialog) return;
  const openerId = opener && opener.id ? opener.id : null;
  let done = false;
  const restore = () => {
    if (done) return;
    done = true;
    dialog.removeEventListener('close', restore);
    restorers.delete(dialog);
    if (onClose) onClose(dialog.returnValue);
    let target = opener && opener.isConnected ? opener : null;
    if (!target && openerId) target = document.getElementById(openerId);
    if (!target && fallback) target = document.getElementById(fallback);
    if (target) target.focus();
  };
  restorers.set(dialog, restore);
  // Escape (the "cancel" event) closes the dialog natively; "close" follows as a task.
  dialog.addEventListener('close', restore);
  if (!dialog.open) dialog.showModal();
  const first = focus ? document.getElementById(focus) : dialog.querySelector('input:not([type="hidden"]), select, textarea, button');
  if (first) first.focus();
}

/** Closes the dialog and puts focus back at once (not only when "close" fires later). */
export function closeDialog(dialog, value = '') {
  if (!dialog || !dialog.open) return;
  dialog.close(value);
  restorers.get(dialog)?.();
}

/**
 * Asks before something that cannot be undone: a modal dialog with the question, what will
 * happen, and two buttons. Focus starts on "cancel" (the harmless choice); Escape cancels.
 * Resolves true only when `confirm` was pressed. `opener` gets focus back afterwards.
 */
export function confirmAction({ title, body = '', confirm, cancel = t('confirm.cancel'), opener = document.activeElement } = {}) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'dialog';
    dialog.id = 'confirm-dialog';
    dialog.setAttribute('aria-labelledby', 'confirm-dialog-title');
    if (body) dialog.setAttribute('aria-describedby', 'confirm-dialog-body');
    dialog.dataset.testid = 'confirm-dialog';
    render(dialog, html`<div class="dialog-body">
      <h2 id="confirm-dialog-title">${title}</h2>
      ${body ? html`<p id="confirm-dialog-body">${body}</p>` : ''}
      <div class="actions">
        <button type="button" class="button danger" data-answer="confirm" id="confirm-dialog-yes">${confirm}</button>
        <button type="button" class="button secondary" data-answer="cancel" id="confirm-dialog-no">${cancel}</button>
      </div>
    </div>`);
    dialog.addEventListener('click', (e) => {
      const answer = e.target.closest('button[data-answer]')?.dataset.answer;
      if (answer) closeDialog(dialog, answer);
    });
    document.getElementById('confirm-dialog')?.remove();
    document.body.append(dialog);
    openDialog(dialog, {
      opener,
      focus: 'confirm-dialog-no',
      onClose: (value) => {
        dialog.remove();
        resolve(value === 'confirm');
      },
    });
  });
}
