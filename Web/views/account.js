// The account page (#/account, #/account/two-factor): profile, password, two-factor
// authentication (TOTP enrolment with recovery codes), active sessions and personal
// API tokens. Each section renders into its own container, so a change in one never
// disturbs focus or input in another.

import { html, render, attrs } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDateTime } from '../lib/i18n.js';
import {
  $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton, copyText, downloadText,
  reportFieldErrors, resetFieldErrors,
} from '../lib/ui.js';
import * as ident from '../state/identity.js';

export function mountAccount(target, route, keep, ctx) {
  const { app } = ctx;
  setTitle(t('account.title'));
  const kept = keep ?? {};
  let sessions = null;
  let sessionsError = null;
  let tokens = null;
  let tokensError = null;
  // Two-factor: 'off' | 'enrolling' | 'codes' | 'on'. Kept across a language switch, since
  // the recovery codes are shown only once.
  let totp = kept.totp ?? { phase: app.session?.totpEnabled ? 'on' : 'off', secret: null, uri: null, codes: null };
  let disableOpen = false;
  let newToken = kept.newToken ?? null;
  let busy = false;
  let destroyed = false;
  const flash = ctx.flashTemplate();

  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('account.title')}</h1>
    ${flash}
    <div class="account-grid">
      <section class="card" id="account-profile" aria-labelledby="profile-title"></section>
      <section class="card" id="two-factor" aria-labelledby="two-factor-title" data-testid="two-factor-section"></section>
      <section class="card" id="account-password" aria-labelledby="password-title"></section>
      <section class="card" id="account-sessions" aria-labelledby="sessions-title"></section>
      <section class="card" id="account-tokens" aria-labelledby="tokens-title"></section>
    </div>`);

  // ------------------------------------------------------------ profile

  function profileTemplate() {
    const user = app.session?.user ?? {};
    const memberships = app.session?.memberships ?? [];
    const roles = [];
    if (user.isAdmin) roles.push(html`<li>${t('account.role.admin')}</li>`);
    if (user.isSteering) roles.push(html`<li>${t('account.role.steering')}</li>`);
    for (const m of memberships) {
      const name = ctx.workspaceName(m.workspaceId);
      roles.push(html`<li>${t(`role.${m.role}`)}: ${name
        ? html`<a href="#/workspaces/${encodeURIComponent(m.workspaceId)}">${name}</a>`
        : html`<a href="#/workspaces/${encodeURIComponent(m.workspaceId)}">${t('account.role.workspace')}</a>`}</li>`);
    }
    return html`
      <h2 id="profile-title">${t('account.profile')}</h2>
      <dl class="facts" data-testid="profile">
        <div><dt>${t('account.name')}</dt><dd>${user.displayName ?? ''}</dd></div>
        <div><dt>${t('account.email')}</dt><dd>${user.email ?? ''}</dd></div>
        <div><dt>${t('account.roles')}</dt><dd>${roles.length ? html`<ul class="plain">${roles}</ul>` : t('account.roles.none')}</dd></div>
      </dl>`;
  }

  // ------------------------------------------------------------ password

  function passwordTemplate() {
    const email = app.session?.user?.email ?? '';
    return html`
      <h2 id="password-title">${t('account.password')}</h2>
      <p class="hint" id="password-hint">${t('account.password.hint')}</p>
      <div id="password-errors" class="error-summary" tabindex="-1" aria-labelledby="password-errors-title" hidden></div>
      <div id="password-status"></div>
      <form id="password-form" class="form" novalidate>
        <input type="text" name="username" autocomplete="username" value="${email}" hidden>
        <div class="field">
          <label for="pw-current">${t('account.password.current')}</label>
          <p class="field-error" id="pw-current-error" hidden></p>
          <input id="pw-current" name="currentPassword" type="password" autocomplete="current-password" required aria-required="true">
        </div>
        <div class="field">
          <label for="pw-new">${t('account.password.new')}</label>
          <p class="hint" id="pw-new-hint">${t('account.password.new.hint')}</p>
          <p class="field-error" id="pw-new-error" hidden></p>
          <input id="pw-new" name="newPassword" type="password" autocomplete="new-password" required aria-required="true" aria-describedby="pw-new-hint">
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="pw-submit">${t('account.password.submit')}</button>
        </div>
      </form>`;
  }

  const passwordFields = () => ({
    currentPassword: { input: 'pw-current', error: 'pw-current-error', label: t('account.password.current') },
    newPassword: { input: 'pw-new', error: 'pw-new-error', label: t('account.password.new') },
  });

  async function changePassword(form) {
    if (busy) return;
    const body = {
      currentPassword: form.elements.namedItem('currentPassword').value,
      newPassword: form.elements.namedItem('newPassword').value,
    };
    render($('#password-status'), html``);
    const issues = ident.validatePasswordChange(body);
    if (issues.length) {
      reportFieldErrors(form, passwordFields(), issues, 'password-errors');
      return;
    }
    resetFieldErrors(form, passwordFields(), 'password-errors');
    busy = true;
    const restore = busyButton($('#pw-submit'), t('account.password.submitting'));
    try {
      await ctx.call(ctx.api.post('/api/v1/me/password', body));
      form.reset();
      render($('#password-status'), html`<div class="notice notice-success" role="status" data-testid="password-changed"><p>${t('account.password.changed')}</p></div>`);
      announce(t('account.password.changed'));
      // The hub ends every other session and personal token.
      newToken = null;
      loadSessions();
      loadTokens();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        reportFieldErrors(form, passwordFields(), err.fields, 'password-errors');
      } else if (err instanceof ApiError && (ident.FORM_AUTH_CODES.has(err.code) || err.code === 'auth.invalidPassword')) {
        reportFieldErrors(form, passwordFields(), [{ field: 'currentPassword', code: 'incorrect', message: '' }], 'password-errors');
      } else {
        render($('#password-status'), errorNotice(err));
      }
      const current = document.getElementById('pw-current');
      if (current) current.value = '';
    } finally {
      busy = false;
      restore();
    }
  }

  // ------------------------------------------------------------ two-factor

  function twoFactorTemplate() {
    const isAdmin = ctx.isAdmin();
    const head = html`<h2 id="two-factor-title" tabindex="-1">${t('twoFactor.title')}</h2>`;
    if (totp.phase === 'enrolling') {
      const grouped = ident.groupSecret(totp.secret);
      return html`
        ${head}
        <p class="status-text" data-testid="two-factor-status" data-state="enrolling">${t('twoFactor.enrolling')}</p>
        <ol class="steps">
          <li>
            <p>${t('twoFactor.step1')}</p>
            <figure class="totp-qr">
              <img src="/api/v1/me/totp/qr.svg?n=${String(totp.started ?? 0)}" width="200" height="200" alt="${t('twoFactor.qrAlt')}" data-testid="totp-qr">
              <figcaption class="hint">${t('twoFactor.qrHint')}</figcaption>
            </figure>
            ${ident.isOtpauthUri(totp.uri) ? html`<p><a class="button secondary" href="${totp.uri}" id="totp-uri" data-testid="totp-uri">${t('twoFactor.openInApp')}</a></p>` : ''}
            <p id="totp-secret-label">${t('twoFactor.secretLabel')}</p>
            <p class="secret-box"><code class="secret" id="totp-secret" data-testid="totp-secret">${grouped}</code></p>
            <p class="hint">${t('twoFactor.secretHint')}</p>
            <p><button type="button" class="button quiet" id="totp-secret-copy">${t('twoFactor.copySecret')}</button></p>
          </li>
          <li>
            <p>${t('twoFactor.step2')}</p>
            <div id="totp-errors" class="error-summary" tabindex="-1" aria-labelledby="totp-errors-title" hidden></div>
            <div id="totp-status"></div>
            <form id="totp-confirm-form" class="form" novalidate>
              <div class="field">
                <label for="totp-code">${t('twoFactor.code')}</label>
                <p class="hint" id="totp-code-hint">${t('twoFactor.code.hint')}</p>
                <p class="field-error" id="totp-code-error" hidden></p>
                <input id="totp-code" class="code-input" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" spellcheck="false" required aria-required="true" aria-describedby="totp-code-hint">
              </div>
              <div class="actions">
                <button type="submit" class="button primary" id="totp-confirm">${t('twoFactor.confirm')}</button>
                <button type="button" class="button secondary" id="totp-cancel">${t('twoFactor.cancel')}</button>
              </div>
            </form>
          </li>
        </ol>`;
    }
    if (totp.phase === 'codes') {
      return html`
        ${head}
        <div class="notice notice-success"><p data-testid="two-factor-status" data-state="on">${t('twoFactor.enabled')}</p></div>
        <div class="recovery" id="recovery-box" data-testid="recovery-box">
          <h3 id="recovery-title" tabindex="-1">${t('twoFactor.recovery.title')}</h3>
          <p class="recovery-warning"><strong>${t('twoFactor.recovery.once')}</strong></p>
          <p>${t('twoFactor.recovery.explain')}</p>
          <ol class="recovery-codes" data-testid="recovery-codes" aria-labelledby="recovery-title">
            ${(totp.codes ?? []).map((c) => html`<li><code>${c}</code></li>`)}
          </ol>
          <div class="actions">
            <button type="button" class="button secondary" id="recovery-copy">${t('twoFactor.recovery.copy')}</button>
            <button type="button" class="button secondary" id="recovery-download">${t('twoFactor.recovery.download')}</button>
            <button type="button" class="button primary" id="recovery-done">${t('twoFactor.recovery.done')}</button>
          </div>
        </div>`;
    }
    if (totp.phase === 'on') {
      return html`
        ${head}
        <p class="status-text" data-testid="two-factor-status" data-state="on"><span class="badge badge-on">${t('twoFactor.on')}</span> ${t('twoFactor.onText')}</p>
        ${isAdmin ? html`<p class="muted">${t('twoFactor.adminKeep')}</p>` : html`
          <p><button type="button" class="button secondary" id="totp-disable-toggle" aria-expanded="${disableOpen ? 'true' : 'false'}" aria-controls="totp-disable-panel">${t('twoFactor.disable')}</button></p>
          <div id="totp-disable-panel" ${attrs({ hidden: !disableOpen })}>
            <div id="totp-errors" class="error-summary" tabindex="-1" aria-labelledby="totp-errors-title" hidden></div>
            <div id="totp-status"></div>
            <form id="totp-disable-form" class="form" novalidate>
              <div class="field">
                <label for="totp-disable-code">${t('twoFactor.code')}</label>
                <p class="hint" id="totp-disable-code-hint">${t('twoFactor.disable.hint')}</p>
                <p class="field-error" id="totp-disable-code-error" hidden></p>
                <input id="totp-disable-code" class="code-input" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" spellcheck="false" required aria-describedby="totp-disable-code-hint">
              </div>
              <div class="actions">
                <button type="submit" class="button danger" id="totp-disable-submit">${t('twoFactor.disable.submit')}</button>
              </div>
            </form>
          </div>`}`;
    }
    return html`
      ${head}
      <p class="status-text" data-testid="two-factor-status" data-state="off"><span class="badge badge-off">${t('twoFactor.off')}</span> ${t('twoFactor.offText')}</p>
      ${isAdmin ? html`<div class="notice notice-info"><p>${t('twoFactor.adminNeeded')}</p></div>` : ''}
      <div id="totp-status"></div>
      <p><button type="button" class="button primary" id="totp-start">${t('twoFactor.start')}</button></p>`;
  }

  function drawTwoFactor() {
    const section = $('#two-factor');
    if (section) renderKeepingFocus(section, twoFactorTemplate());
  }

  async function startEnrolment(button) {
    if (busy) return;
    busy = true;
    const restore = busyButton(button, t('twoFactor.starting'));
    try {
      const { data } = await ctx.call(ctx.api.post('/api/v1/me/totp', {}));
      const secret = data?.secret || ident.secretFromOtpauth(data?.otpauthUri);
      totp = { phase: 'enrolling', secret, uri: data?.otpauthUri ?? null, codes: null, started: Date.now() };
      drawTwoFactor();
      $('#two-factor-title')?.focus();
      announce(t('twoFactor.enrolling'));
    } catch (err) {
      restore();
      if (err instanceof ApiError && err.code === 'totp.alreadyEnabled') {
        // Switched on meanwhile (another tab): show it as it is.
        totp = { phase: 'on', secret: null, uri: null, codes: null };
        if (app.session) app.session.totpEnabled = true;
        drawTwoFactor();
        $('#two-factor-title')?.focus();
        announce(errorText(err));
      } else {
        render($('#totp-status'), errorNotice(err));
      }
    } finally {
      busy = false;
    }
  }

  const confirmFields = () => ({ code: { input: 'totp-code', error: 'totp-code-error', label: t('twoFactor.code') } });

  async function confirmEnrolment(form) {
    if (busy) return;
    const value = form.elements.namedItem('code').value;
    const issues = ident.validateSecondFactor(value, false);
    if (issues.length) {
      reportFieldErrors(form, confirmFields(), issues, 'totp-errors');
      return;
    }
    resetFieldErrors(form, confirmFields(), 'totp-errors');
    busy = true;
    const restore = busyButton($('#totp-confirm'), t('twoFactor.confirming'));
    try {
      const { data } = await ctx.call(ctx.api.post('/api/v1/me/totp/confirm', { code: ident.normalizeTotpCode(value) }));
      totp = { phase: 'codes', secret: null, uri: null, codes: Array.isArray(data?.recoveryCodes) ? data.recoveryCodes : [] };
      if (app.session) {
        app.session.totpEnabled = true;
        if (app.session.session) app.session.session = { ...app.session.session, secondFactor: 'verified' };
      }
      busy = false;
      drawTwoFactor();
      $('#recovery-title')?.focus();
      announce(`${t('twoFactor.enabled')} ${t('twoFactor.recovery.once')}`);
    } catch (err) {
      busy = false;
      restore();
      if (err instanceof ApiError && err.fields.length) {
        reportFieldErrors(form, confirmFields(), err.fields, 'totp-errors');
      } else if (err instanceof ApiError && err.code === 'auth.invalidSecondFactor') {
        reportFieldErrors(form, confirmFields(), [{ field: 'code', code: 'invalid', message: '' }], 'totp-errors');
      } else {
        render($('#totp-status'), errorNotice(err));
      }
      const input = document.getElementById('totp-code');
      if (input) input.value = '';
    }
  }

  const disableFields = () => ({ code: { input: 'totp-disable-code', error: 'totp-disable-code-error', label: t('twoFactor.code') } });

  async function disableTotp(form) {
    if (busy) return;
    const value = form.elements.namedItem('code').value;
    const issues = ident.validateSecondFactor(value, false);
    if (issues.length) {
      reportFieldErrors(form, disableFields(), issues, 'totp-errors');
      return;
    }
    busy = true;
    const restore = busyButton($('#totp-disable-submit'), t('twoFactor.disabling'));
    try {
      await ctx.call(ctx.api.del('/api/v1/me/totp', { body: { code: ident.normalizeTotpCode(value) } }));
      totp = { phase: 'off', secret: null, uri: null, codes: null };
      disableOpen = false;
      if (app.session) app.session.totpEnabled = false;
      busy = false;
      drawTwoFactor();
      $('#two-factor-title')?.focus();
      announce(t('twoFactor.disabled'));
    } catch (err) {
      busy = false;
      restore();
      if (err instanceof ApiError && err.fields.length) {
        reportFieldErrors(form, disableFields(), err.fields, 'totp-errors');
      } else if (err instanceof ApiError && err.code === 'auth.invalidSecondFactor') {
        reportFieldErrors(form, disableFields(), [{ field: 'code', code: 'invalid', message: '' }], 'totp-errors');
      } else {
        render($('#totp-status'), errorNotice(err));
        announce(errorText(err));
      }
    }
  }

  function recoveryText() {
    const email = app.session?.user?.email ?? '';
    return ident.recoveryCodesText(totp.codes ?? [], {
      email,
      issuedAt: formatDateTime(new Date().toISOString(), getLang()),
      labels: { title: t('twoFactor.recovery.fileTitle'), explain: t('twoFactor.recovery.explain') },
    });
  }

  // ------------------------------------------------------------ sessions

  function kindText(s) {
    if (s.kind === 'api') return s.name ? t('sessions.kind.apiNamed', { name: s.name }) : t('sessions.kind.api');
    return t('sessions.kind.browser');
  }

  function sessionsTemplate() {
    let body;
    if (sessionsError && sessions === null) body = errorNotice(sessionsError);
    else if (sessions === null) body = html`<p class="loading">${t('app.loading')}</p>`;
    else if (sessions.length === 0) body = html`<p class="muted">${t('sessions.empty')}</p>`;
    else {
      const lang = getLang();
      body = html`<ul class="item-list" data-testid="session-list">
        ${ident.sortSessions(sessions).map((s) => html`<li class="item ${s.current ? 'is-current' : ''}" data-id="${s.id}" data-testid="session-row" ${attrs({ 'data-current': s.current ? 'true' : null })}>
          <p class="item-title">${kindText(s)}${s.kind === 'api' && s.scope ? html` <span class="badge badge-role">${t(`token.scope.${s.scope === 'write' ? 'write' : 'read'}`)}</span>` : ''}
            ${s.current ? html` <span class="badge badge-current">${t('sessions.current')}</span>` : ''}</p>
          <dl class="item-facts">
            <div><dt>${t('sessions.created')}</dt><dd>${formatDateTime(s.createdAt, lang)}</dd></div>
            <div><dt>${t('sessions.lastSeen')}</dt><dd>${s.lastSeenAt ? formatDateTime(s.lastSeenAt, lang) : '–'}</dd></div>
            <div><dt>${t('sessions.expires')}</dt><dd>${formatDateTime(s.expiresAt, lang)}</dd></div>
          </dl>
          ${s.current ? '' : html`<button type="button" class="button quiet danger-text" id="session-end-${s.id}" data-action="session-end" data-session="${s.id}">${t('sessions.end')}<span class="visually-hidden"> (${kindText(s)}, ${t('sessions.lastSeen')} ${s.lastSeenAt ? formatDateTime(s.lastSeenAt, lang) : '–'})</span></button>`}
        </li>`)}
      </ul>`;
    }
    return html`
      <h2 id="sessions-title" tabindex="-1">${t('sessions.title')}</h2>
      <p class="hint">${t('sessions.intro')}</p>
      <div id="sessions-status"></div>
      ${body}`;
  }

  function drawSessions() {
    const section = $('#account-sessions');
    if (section) renderKeepingFocus(section, sessionsTemplate());
  }

  async function loadSessions() {
    try {
      const { data } = await ctx.call(ctx.api.get('/api/v1/me/sessions'));
      sessions = Array.isArray(data?.items) ? data.items : [];
      sessionsError = null;
    } catch (err) {
      sessionsError = err;
    }
    if (!destroyed) drawSessions();
  }

  async function endSession(button) {
    if (busy) return;
    const sessionId = button.getAttribute('data-session');
    busy = true;
    const restore = busyButton(button, t('sessions.ending'));
    try {
      await ctx.call(ctx.api.del(`/api/v1/me/sessions/${encodeURIComponent(sessionId)}`));
      sessions = ident.withoutId(sessions, sessionId);
      busy = false;
      drawSessions();
      $('#sessions-title')?.focus();
      announce(t('sessions.ended'));
    } catch (err) {
      busy = false;
      restore();
      render($('#sessions-status'), errorNotice(err));
      if (err instanceof ApiError && err.status === 404) loadSessions();
    }
  }

  // ------------------------------------------------------------ tokens

  function tokensTemplate() {
    const lang = getLang();
    let list;
    if (tokensError && tokens === null) list = errorNotice(tokensError);
    else if (tokens === null) list = html`<p class="loading">${t('app.loading')}</p>`;
    else if (tokens.length === 0) list = html`<p class="muted">${t('tokens.empty')}</p>`;
    else {
      list = html`<ul class="item-list" data-testid="token-list">
        ${ident.sortTokens(tokens).map((tk) => html`<li class="item" data-id="${tk.id}" data-testid="token-row">
          <p class="item-title">${tk.name} <span class="badge badge-role">${t(`token.scope.${tk.scope === 'write' ? 'write' : 'read'}`)}</span></p>
          <dl class="item-facts">
            <div><dt>${t('sessions.created')}</dt><dd>${formatDateTime(tk.createdAt, lang)}</dd></div>
            <div><dt>${t('tokens.lastUsed')}</dt><dd>${tk.lastSeenAt ? formatDateTime(tk.lastSeenAt, lang) : t('tokens.neverUsed')}</dd></div>
            <div><dt>${t('sessions.expires')}</dt><dd>${formatDateTime(tk.expiresAt, lang)}</dd></div>
          </dl>
          <button type="button" class="button quiet danger-text" id="token-revoke-${tk.id}" data-action="token-revoke" data-token="${tk.id}">${t('tokens.revoke')}<span class="visually-hidden"> (${tk.name})</span></button>
        </li>`)}
      </ul>`;
    }
    return html`
      <h2 id="tokens-title" tabindex="-1">${t('tokens.title')}</h2>
      <p class="hint">${t('tokens.intro')}</p>
      <div id="token-result-box">${newTokenTemplate()}</div>
      <h3 id="tokens-create-title">${t('tokens.create')}</h3>
      <div id="token-errors" class="error-summary" tabindex="-1" aria-labelledby="token-errors-title" hidden></div>
      <div id="tokens-status"></div>
      <form id="token-form" class="form" novalidate aria-labelledby="tokens-create-title">
        <div class="field">
          <label for="token-name">${t('tokens.name')}</label>
          <p class="hint" id="token-name-hint">${t('tokens.name.hint')}</p>
          <p class="field-error" id="token-name-error" hidden></p>
          <input id="token-name" name="name" type="text" autocomplete="off" maxlength="80" required aria-required="true" aria-describedby="token-name-hint">
        </div>
        <fieldset class="field" id="token-scope-group">
          <legend>${t('tokens.scope')}</legend>
          <p class="field-error" id="token-scope-error" hidden></p>
          <div class="checks">
            <div class="check"><input type="radio" id="token-scope-read" name="scope" value="read" checked><label for="token-scope-read">${t('token.scope.read')}</label></div>
            <div class="check"><input type="radio" id="token-scope-write" name="scope" value="write"><label for="token-scope-write">${t('token.scope.write')}</label></div>
          </div>
        </fieldset>
        <div class="field">
          <label for="token-days">${t('tokens.days')}</label>
          <p class="hint" id="token-days-hint">${t('tokens.days.hint', { max: ident.TOKEN_MAX_DAYS })}</p>
          <p class="field-error" id="token-days-error" hidden></p>
          <input id="token-days" name="expiresInDays" type="number" inputmode="numeric" min="1" max="${ident.TOKEN_MAX_DAYS}" step="1" value="${ident.TOKEN_DEFAULT_DAYS}" required aria-describedby="token-days-hint">
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="token-submit">${t('tokens.submit')}</button>
        </div>
      </form>
      <h3 id="tokens-list-title">${t('tokens.list')}</h3>
      ${list}`;
  }

  function newTokenTemplate() {
    if (!newToken) return '';
    return html`
      <div class="notice notice-success token-result" id="token-result" tabindex="-1" data-testid="token-result" aria-labelledby="token-result-title">
        <h3 id="token-result-title">${t('tokens.created', { name: newToken.name })}</h3>
        <p><strong>${t('tokens.once')}</strong></p>
        <div class="field">
          <label for="token-value">${t('tokens.value')}</label>
          <input id="token-value" class="mono" type="text" readonly value="${newToken.token}" data-testid="new-token" spellcheck="false">
        </div>
        <div class="actions">
          <button type="button" class="button secondary" id="token-copy">${t('tokens.copy')}</button>
          <button type="button" class="button primary" id="token-done">${t('tokens.done')}</button>
        </div>
      </div>`;
  }

  function drawTokens() {
    const section = $('#account-tokens');
    if (!section) return;
    // Keep what is typed into the form across a redraw of the list.
    const form = $('#token-form');
    const values = form ? {
      name: form.elements.namedItem('name').value,
      scope: form.querySelector('input[name="scope"]:checked')?.value ?? 'read',
      days: form.elements.namedItem('expiresInDays').value,
    } : null;
    renderKeepingFocus(section, tokensTemplate());
    if (values) {
      const again = $('#token-form');
      again.elements.namedItem('name').value = values.name;
      const radio = document.getElementById(`token-scope-${values.scope}`);
      if (radio) radio.checked = true;
      again.elements.namedItem('expiresInDays').value = values.days;
    }
  }

  async function loadTokens() {
    try {
      const { data } = await ctx.call(ctx.api.get('/api/v1/me/tokens'));
      tokens = Array.isArray(data?.items) ? data.items : [];
      tokensError = null;
    } catch (err) {
      tokensError = err;
    }
    if (!destroyed) drawTokens();
  }

  const tokenFields = () => ({
    name: { input: 'token-name', error: 'token-name-error', label: t('tokens.name') },
    scope: { input: 'token-scope-read', group: 'token-scope-group', error: 'token-scope-error', label: t('tokens.scope') },
    expiresInDays: { input: 'token-days', error: 'token-days-error', label: t('tokens.days') },
  });

  async function createToken(form) {
    if (busy) return;
    const { issues, body } = ident.validateTokenForm({
      name: form.elements.namedItem('name').value,
      scope: form.querySelector('input[name="scope"]:checked')?.value ?? '',
      expiresInDays: form.elements.namedItem('expiresInDays').value,
    });
    render($('#tokens-status'), html``);
    if (issues.length) {
      reportFieldErrors(form, tokenFields(), issues, 'token-errors');
      return;
    }
    resetFieldErrors(form, tokenFields(), 'token-errors');
    busy = true;
    const restore = busyButton($('#token-submit'), t('tokens.submitting'));
    try {
      const { data } = await ctx.call(ctx.api.post('/api/v1/me/tokens', body));
      newToken = data;
      const entry = ident.tokenListEntry(data);
      if (entry) tokens = ident.upsertById(tokens ?? [], entry);
      busy = false;
      form.reset();
      drawTokens();
      $('#token-result')?.focus();
      announce(`${t('tokens.created', { name: data.name ?? body.name })} ${t('tokens.once')}`);
      loadSessions();
    } catch (err) {
      busy = false;
      restore();
      if (err instanceof ApiError && err.fields.length) reportFieldErrors(form, tokenFields(), err.fields, 'token-errors');
      else render($('#tokens-status'), errorNotice(err));
    }
  }

  async function revokeToken(button) {
    if (busy) return;
    const tokenId = button.getAttribute('data-token');
    const token = (tokens ?? []).find((x) => x.id === tokenId);
    busy = true;
    const restore = busyButton(button, t('tokens.revoking'));
    try {
      await ctx.call(ctx.api.del(`/api/v1/me/tokens/${encodeURIComponent(tokenId)}`));
      tokens = ident.withoutId(tokens, tokenId);
      if (newToken && newToken.id === tokenId) newToken = null;
      busy = false;
      drawTokens();
      $('#tokens-title')?.focus();
      announce(t('tokens.revoked', { name: token ? token.name : '' }));
      loadSessions();
    } catch (err) {
      busy = false;
      restore();
      render($('#tokens-status'), errorNotice(err));
    }
  }

  // ------------------------------------------------------------ start

  function drawAll() {
    renderKeepingFocus($('#account-profile'), profileTemplate());
    drawTwoFactor();
    render($('#account-password'), passwordTemplate());
    drawSessions();
    drawTokens();
  }
  drawAll();

  if (route.section === 'two-factor') {
    const section = $('#two-factor');
    section?.scrollIntoView({ block: 'start' });
    $('#two-factor-title')?.focus({ preventScroll: true });
  }

  loadSessions();
  loadTokens();
  ctx.refreshSession()
    .then(() => {
      if (destroyed) return;
      renderKeepingFocus($('#account-profile'), profileTemplate());
      // Only a settled state follows the server; an enrolment in progress stays as it is.
      if (totp.phase === 'on' || totp.phase === 'off') {
        const phase = app.session?.totpEnabled ? 'on' : 'off';
        if (phase !== totp.phase) {
          totp = { phase, secret: null, uri: null, codes: null };
          drawTwoFactor();
        }
      }
    })
    .catch(() => {});

  return {
    name: 'account',
    handlesFocus: route.section === 'two-factor',
    update(reason) {
      if (reason === 'directory') renderKeepingFocus($('#account-profile'), profileTemplate());
    },
    onSubmit(form) {
      if (form.id === 'password-form') changePassword(form);
      else if (form.id === 'totp-confirm-form') confirmEnrolment(form);
      else if (form.id === 'totp-disable-form') disableTotp(form);
      else if (form.id === 'token-form') createToken(form);
    },
    onClick(el) {
      switch (el.id) {
        case 'totp-start':
          startEnrolment(el);
          return true;
        case 'totp-cancel':
          totp = { phase: 'off', secret: null, uri: null, codes: null };
          drawTwoFactor();
          $('#totp-start')?.focus();
          announce(t('twoFactor.cancelled'));
          return true;
        case 'totp-secret-copy':
          copyText(String(totp.secret ?? '')).then((ok) => announce(ok ? t('twoFactor.secretCopied') : t('copy.failed')));
          return true;
        case 'recovery-copy':
          copyText((totp.codes ?? []).join('\n')).then((ok) => announce(ok ? t('twoFactor.recovery.copied') : t('copy.failed')));
          return true;
        case 'recovery-download':
          downloadText(ident.recoveryCodesFileName(app.session?.user?.email), recoveryText());
          announce(t('twoFactor.recovery.downloaded'));
          return true;
        case 'recovery-done':
          totp = { phase: 'on', secret: null, uri: null, codes: null };
          drawTwoFactor();
          $('#two-factor-title')?.focus();
          return true;
        case 'totp-disable-toggle':
          disableOpen = !disableOpen;
          drawTwoFactor();
          if (disableOpen) document.getElementById('totp-disable-code')?.focus();
          return true;
        case 'token-copy': {
          const field = document.getElementById('token-value');
          copyText(newToken ? newToken.token : '', field).then((ok) => {
            announce(ok ? t('tokens.copied') : t('copy.failed'));
            document.getElementById('token-copy')?.focus();
          });
          return true;
        }
        case 'token-done':
          newToken = null;
          drawTokens();
          $('#tokens-title')?.focus();
          return true;
        default:
          break;
      }
      const action = el.getAttribute('data-action');
      if (action === 'session-end') {
        endSession(el);
        return true;
      }
      if (action === 'token-revoke') {
        revokeToken(el);
        return true;
      }
      return false;
    },
    keep() {
      return { totp, newToken };
    },
    destroy() {
      destroyed = true;
    },
  };
}
