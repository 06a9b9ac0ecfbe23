// "Forgot password" (#/forgot) and setting a new password with the mailed link
// (#/reset/<token>). Both work without a session.
//
// * #/forgot asks for the address. The answer never says whether there is an account for
//   it. An installation without a mail server cannot send the link (409
//   passwordReset.unavailable): the page says whom to ask instead.
// * #/reset/<token> sets the new password (twice). On success every session of the
//   account has ended, so the person signs in again. An unknown, used or expired link
//   (404 passwordReset.invalid) offers to request a new one.

import { html, render } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { $, announce, setTitle, errorNotice, errorText, busyButton, reportFieldErrors, resetFieldErrors } from '../lib/ui.js';
import * as pr from '../state/password-reset.js';

// ---------------------------------------------------------------- #/forgot

export function mountForgot(target, route, keep, ctx) {
  const { app } = ctx;
  let phase = keep?.phase ?? 'form'; // 'form' | 'sent' | 'unavailable'
  let email = keep?.email ?? app.forgotEmail ?? '';
  app.forgotEmail = null;
  let busy = false;
  let destroyed = false;

  setTitle(t('forgot.title'));

  const fields = () => ({
    email: { input: 'forgot-email', error: 'forgot-email-error', label: t('signin.email') },
  });

  function formTemplate() {
    return html`
      <p>${t('forgot.intro')}</p>
      <div id="forgot-errors" class="error-summary" tabindex="-1" aria-labelledby="forgot-errors-title" hidden></div>
      <div id="forgot-status"></div>
      <form id="forgot-form" class="form" novalidate aria-labelledby="page-title">
        <div class="field">
          <label for="forgot-email">${t('signin.email')}</label>
          <p class="field-error" id="forgot-email-error" hidden></p>
          <input id="forgot-email" name="email" type="email" autocomplete="username" inputmode="email" spellcheck="false" required aria-required="true" value="${email}">
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="forgot-submit">${t('forgot.submit')}</button>
        </div>
      </form>`;
  }

  function sentTemplate() {
    return html`
      <div class="notice notice-success" id="forgot-result" tabindex="-1" data-testid="forgot-sent">
        <h2>${t('forgot.sent.title')}</h2>
        <p>${t('forgot.sent.body', { email })}</p>
        <p>${t('forgot.sent.spam')}</p>
      </div>
      <div class="actions">
        <button type="button" class="button secondary" id="forgot-again">${t('forgot.again')}</button>
      </div>`;
  }

  function unavailableTemplate() {
    return html`
      <div class="notice notice-info" id="forgot-result" tabindex="-1" data-testid="forgot-unavailable">
        <h2>${t('forgot.unavailable.title')}</h2>
        <p>${t('forgot.unavailable.body')}</p>
        <p>${t('forgot.unavailable.next')}</p>
      </div>`;
  }

  function draw() {
    if (destroyed) return;
    const body = phase === 'sent' ? sentTemplate() : phase === 'unavailable' ? unavailableTemplate() : formTemplate();
    render(target, html`
      <section class="card narrow" aria-labelledby="page-title" data-testid="forgot-page" data-phase="${phase}">
        <h1 id="page-title" tabindex="-1">${t('forgot.title')}</h1>
        ${body}
        <p class="alt-actions"><a href="#/signin" data-testid="forgot-back">${t('forgot.backToSignIn')}</a></p>
      </section>`);
  }

  function showOutcome(next) {
    phase = next;
    draw();
    $('#forgot-result')?.focus();
    announce(next === 'sent' ? t('forgot.sent.body', { email }) : t('forgot.unavailable.body'));
  }

  async function submit(form) {
    if (busy) return;
    const { issues, body } = pr.validateResetRequest({ email: form.elements.namedItem('email').value });
    render($('#forgot-status'), html``);
    if (issues.length) {
      reportFieldErrors(form, fields(), issues, 'forgot-errors');
      return;
    }
    resetFieldErrors(form, fields(), 'forgot-errors');
    busy = true;
    const restore = busyButton($('#forgot-submit'), t('forgot.submitting'));
    let error = null;
    try {
      error = await postForOutcome(ctx.api, '/api/v1/password-reset', body);
    } finally {
      busy = false;
    }
    if (destroyed) return;
    email = body.email;
    const outcome = pr.requestOutcome(error);
    if (outcome === 'sent' || outcome === 'unavailable') {
      showOutcome(outcome);
      return;
    }
    restore();
    if (outcome === 'fields') {
      reportFieldErrors(form, fields(), error.fields, 'forgot-errors');
    } else if (outcome === 'rateLimited') {
      render($('#forgot-status'), html`<div class="notice notice-error" role="alert"><p>${t('forgot.rateLimited')}</p></div>`);
    } else {
      render($('#forgot-status'), errorNotice(error));
      announce(errorText(error));
    }
  }

  draw();

  return {
    name: 'forgot',
    onSubmit(form) {
      if (form.id === 'forgot-form') submit(form);
    },
    onClick(el) {
      if (el.id === 'forgot-again') {
        phase = 'form';
        draw();
        document.getElementById('forgot-email')?.focus();
        return true;
      }
      return false;
    },
    keep() {
      const input = document.getElementById('forgot-email');
      return { phase, email: input ? input.value : email };
    },
    destroy() {
      destroyed = true;
    },
  };
}

// ---------------------------------------------------------------- #/reset/<token>

export function mountReset(target, route, keep, ctx) {
  const { app } = ctx;
  const token = route.token;
  // No request can tell whether a token is valid without using it; a malformed one is not.
  let invalid = !token || Boolean(keep?.invalid);
  let busy = false;
  let destroyed = false;

  const fields = () => ({
    newPassword: { input: 'reset-password', error: 'reset-password-error', label: t('reset.password') },
    passwordConfirm: { input: 'reset-password2', error: 'reset-password2-error', label: t('reset.confirm') },
  });

  function formTemplate() {
    return html`
      <section class="card narrow" aria-labelledby="page-title" data-testid="reset-page">
        <h1 id="page-title" tabindex="-1">${t('reset.title')}</h1>
        <p>${t('reset.intro')}</p>
        <div id="reset-errors" class="error-summary" tabindex="-1" aria-labelledby="reset-errors-title" hidden></div>
        <div id="reset-status"></div>
        <form id="reset-form" class="form" novalidate aria-labelledby="page-title">
          <div class="field">
            <label for="reset-password">${t('reset.password')} <span aria-hidden="true">*</span></label>
            <p class="hint" id="reset-password-hint">${t('account.password.new.hint')}</p>
            <p class="field-error" id="reset-password-error" hidden></p>
            <input id="reset-password" name="newPassword" type="password" autocomplete="new-password" required aria-required="true" aria-describedby="reset-password-hint">
          </div>
          <div class="field">
            <label for="reset-password2">${t('reset.confirm')} <span aria-hidden="true">*</span></label>
            <p class="field-error" id="reset-password2-error" hidden></p>
            <input id="reset-password2" name="passwordConfirm" type="password" autocomplete="new-password" required aria-required="true">
          </div>
          <div class="actions">
            <button type="submit" class="button primary" id="reset-submit">${t('reset.submit')}</button>
          </div>
        </form>
        <p class="alt-actions"><a href="#/signin">${t('forgot.backToSignIn')}</a></p>
      </section>`;
  }

  function invalidTemplate() {
    return html`
      <section class="card narrow" aria-labelledby="page-title" data-testid="reset-invalid">
        <h1 id="page-title" tabindex="-1">${t('reset.invalid.title')}</h1>
        <p>${t('reset.invalid.body')}</p>
        <p><a class="button primary" href="#/forgot" data-testid="reset-request-new">${t('reset.invalid.requestNew')}</a></p>
        <p class="alt-actions"><a href="#/signin">${t('forgot.backToSignIn')}</a></p>
      </section>`;
  }

  function draw() {
    if (destroyed) return;
    setTitle(invalid ? t('reset.invalid.title') : t('reset.title'));
    render(target, invalid ? invalidTemplate() : formTemplate());
  }

  function clearPasswords() {
    for (const id of ['reset-password', 'reset-password2']) {
      const el = document.getElementById(id);
      if (el) el.value = '';
    }
  }

  async function done() {
    const flash = { kind: 'info', text: t('reset.done') };
    if (app.session) {
      // Signed in here (perhaps as someone else): this browser's session ends too.
      await ctx.signOut({ flash });
      return;
    }
    app.flash = flash;
    announce(flash.text);
    ctx.navigate('#/signin', { replace: true });
  }

  async function submit(form) {
    if (busy) return;
    const { issues, body } = pr.validateNewPassword({
      token,
      newPassword: form.elements.namedItem('newPassword').value,
      passwordConfirm: form.elements.namedItem('passwordConfirm').value,
    });
    render($('#reset-status'), html``);
    if (issues.length) {
      reportFieldErrors(form, fields(), issues, 'reset-errors');
      return;
    }
    resetFieldErrors(form, fields(), 'reset-errors');
    busy = true;
    const restore = busyButton($('#reset-submit'), t('reset.submitting'));
    let error = null;
    try {
      error = await postForOutcome(ctx.api, '/api/v1/password-reset/confirm', body);
    } finally {
      busy = false;
    }
    if (destroyed) return;
    const outcome = pr.confirmOutcome(error);
    if (outcome === 'done') {
      await done();
      return;
    }
    if (outcome === 'invalid') {
      invalid = true;
      draw();
      $('#page-title')?.focus();
      announce(t('reset.invalid.title'));
      return;
    }
    restore();
    clearPasswords();
    if (outcome === 'fields') {
      reportFieldErrors(form, fields(), error.fields, 'reset-errors');
    } else {
      render($('#reset-status'), errorNotice(error));
      announce(errorText(error));
    }
  }

  draw();

  return {
    name: 'reset',
    onSubmit(form) {
      if (form.id === 'reset-form') submit(form);
    },
    keep() {
      return { invalid };
    },
    destroy() {
      destroyed = true;
    },
  };
}

/** Posts `body`; an API refusal is an outcome to show (returned), anything else is thrown. */
async function postForOutcome(api, path, body) {
  try {
    await api.post(path, body);
    return null;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return err;
  }
}
