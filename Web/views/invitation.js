// Accepting an invitation (#/invitation/<token>), with or without a session.
//
// * No account yet: display name and password (twice) → the account is created, the
//   person is signed in and lands in the workspace.
// * An account exists: sign in as the invited address (the sign-in page, including the
//   second factor, returns here), then accept.
// * Signed in as someone else: say so, and offer to sign out.
// * Unknown, used, revoked or expired: one clear message.

import { html, render } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDateTime } from '../lib/i18n.js';
import {
  $, announce, setTitle, errorNotice, busyButton, reportFieldErrors, resetFieldErrors,
} from '../lib/ui.js';
import * as ident from '../state/identity.js';

export function mountInvitation(target, route, keep, ctx) {
  const { app } = ctx;
  const token = route.token;
  const path = `/api/v1/invitations/${encodeURIComponent(token)}`;
  const hash = `#/invitation/${token}`;
  let invitation = null;
  let loadError = null;
  let busy = false;
  let destroyed = false;
  const kept = keep ?? {};

  setTitle(t('invite.page.title'));
  render(target, html`<h1 id="page-title" tabindex="-1">${t('invite.page.title')}</h1><p class="loading">${t('app.loading')}</p>`);

  const roleLabel = (role) => (ident.WORKSPACE_ROLES.includes(role) ? t(`role.${role}`) : String(role ?? ''));

  function invalidTemplate() {
    setTitle(t('invite.invalid.title'));
    return html`
      <section class="card narrow" aria-labelledby="page-title" data-testid="invitation-invalid">
        <h1 id="page-title" tabindex="-1">${t('invite.invalid.title')}</h1>
        <p>${t('invite.invalid.body')}</p>
        <p>${t('invite.invalid.next')}</p>
        <p><a href="${app.session ? '#/' : '#/signin'}">${app.session ? t('app.backToDirectory') : t('invite.toSignIn')}</a></p>
      </section>`;
  }

  function summaryTemplate(inv) {
    const ws = inv.workspace ?? {};
    return html`
      <p class="lead">${t('invite.page.summary', { role: roleLabel(inv.role), kind: ctx.kindLabel(ws.kind), name: ws.name ?? '' })}</p>
      <dl class="facts" data-testid="invitation-facts">
        <div><dt>${t('invite.page.workspace')}</dt><dd>${ws.name ?? ''}</dd></div>
        <div><dt>${t('members.invite.role')}</dt><dd>${roleLabel(inv.role)}</dd></div>
        <div><dt>${t('invite.page.for')}</dt><dd>${inv.email}</dd></div>
        <div><dt>${t('invite.page.validUntil')}</dt><dd>${formatDateTime(inv.expiresAt, getLang())}</dd></div>
      </dl>`;
  }

  function createTemplate(inv) {
    return html`
      <h2 id="create-title">${t('invite.create.title')}</h2>
      <p>${t('invite.create.intro')}</p>
      <div id="accept-errors" class="error-summary" tabindex="-1" aria-labelledby="accept-errors-title" hidden></div>
      <div id="accept-status"></div>
      <form id="accept-create-form" class="form" novalidate aria-labelledby="create-title">
        <div class="field">
          <label for="accept-email">${t('signin.email')}</label>
          <input id="accept-email" name="email" type="email" autocomplete="username" readonly value="${inv.email}" aria-describedby="accept-email-hint">
          <p class="hint" id="accept-email-hint">${t('invite.create.emailHint')}</p>
        </div>
        <div class="field">
          <label for="accept-name">${t('invite.create.name')} <span aria-hidden="true">*</span></label>
          <p class="hint" id="accept-name-hint">${t('invite.create.name.hint')}</p>
          <p class="field-error" id="accept-name-error" hidden></p>
          <input id="accept-name" name="displayName" type="text" autocomplete="name" required aria-required="true" aria-describedby="accept-name-hint" value="${kept.displayName ?? ''}">
        </div>
        <div class="field">
          <label for="accept-password">${t('invite.create.password')} <span aria-hidden="true">*</span></label>
          <p class="hint" id="accept-password-hint">${t('account.password.new.hint')}</p>
          <p class="field-error" id="accept-password-error" hidden></p>
          <input id="accept-password" name="password" type="password" autocomplete="new-password" required aria-required="true" aria-describedby="accept-password-hint">
        </div>
        <div class="field">
          <label for="accept-password2">${t('invite.create.confirm')} <span aria-hidden="true">*</span></label>
          <p class="field-error" id="accept-password2-error" hidden></p>
          <input id="accept-password2" name="passwordConfirm" type="password" autocomplete="new-password" required aria-required="true">
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="accept-create-submit">${t('invite.create.submit')}</button>
        </div>
      </form>`;
  }

  function modeTemplate(inv) {
    const mode = ident.invitationMode(inv, app.session?.user ?? null);
    if (mode === 'create') return createTemplate(inv);
    if (mode === 'signIn') {
      return html`
        <p>${t('invite.signIn.body', { email: inv.email })}</p>
        <div class="actions"><button type="button" class="button primary" id="invitation-signin">${t('invite.signIn.button', { email: inv.email })}</button></div>`;
    }
    if (mode === 'accept') {
      return html`
        <div id="accept-status"></div>
        <p>${t('invite.accept.body', { email: inv.email })}</p>
        <div class="actions"><button type="button" class="button primary" id="invitation-accept">${t('invite.accept.button')}</button></div>`;
    }
    return html`
      <div class="notice notice-info" data-testid="invitation-other-account">
        <p>${inv.accountExists
          ? t('invite.other.body', { me: app.session?.user?.email ?? '', email: inv.email })
          : t('invite.other.bodyNew', { me: app.session?.user?.email ?? '', email: inv.email })}</p>
      </div>
      <div class="actions"><button type="button" class="button secondary" id="invitation-signout">${t('invite.other.signOut')}</button></div>`;
  }

  function draw() {
    if (destroyed) return;
    if (loadError) {
      if (loadError instanceof ApiError && (loadError.status === 404 || loadError.code === 'invitation.notFound')) {
        render(target, invalidTemplate());
      } else {
        render(target, html`
          <h1 id="page-title" tabindex="-1">${t('invite.page.title')}</h1>
          ${errorNotice(loadError)}
          <p><button type="button" class="button secondary" id="invitation-retry">${t('app.retry')}</button></p>`);
      }
      return;
    }
    if (!invitation) return;
    const ws = invitation.workspace ?? {};
    setTitle(t('invite.page.heading', { name: ws.name ?? '' }));
    render(target, html`
      <section class="card narrow" aria-labelledby="page-title" data-testid="invitation-page">
        <h1 id="page-title" tabindex="-1">${t('invite.page.heading', { name: ws.name ?? '' })}</h1>
        ${ctx.flashTemplate()}
        ${summaryTemplate(invitation)}
        ${modeTemplate(invitation)}
      </section>`);
  }

  async function load() {
    try {
      const { data } = await ctx.api.get(path);
      invitation = data;
      loadError = null;
    } catch (err) {
      loadError = err;
    }
    const hadFocus = document.activeElement && document.activeElement.id === 'page-title';
    draw();
    if (hadFocus) $('#page-title')?.focus();
  }

  async function goToWorkspace(workspaceId, name) {
    app.flash = { kind: 'info', text: t('invite.joined', { name: name ?? '' }) };
    announce(t('invite.joined', { name: name ?? '' }));
    ctx.navigate(`#/workspaces/${encodeURIComponent(workspaceId)}`);
  }

  const createFields = () => ({
    displayName: { input: 'accept-name', error: 'accept-name-error', label: t('invite.create.name') },
    password: { input: 'accept-password', error: 'accept-password-error', label: t('invite.create.password') },
    passwordConfirm: { input: 'accept-password2', error: 'accept-password2-error', label: t('invite.create.confirm') },
  });

  async function acceptNew(form) {
    if (busy || !invitation) return;
    const values = {
      displayName: form.elements.namedItem('displayName').value,
      password: form.elements.namedItem('password').value,
      passwordConfirm: form.elements.namedItem('passwordConfirm').value,
    };
    const issues = ident.validateNewAccount(values);
    if (issues.length) {
      reportFieldErrors(form, createFields(), issues, 'accept-errors');
      return;
    }
    resetFieldErrors(form, createFields(), 'accept-errors');
    busy = true;
    const restore = busyButton($('#accept-create-submit'), t('invite.create.submitting'));
    try {
      const { data } = await ctx.api.post(`${path}/accept`, { displayName: values.displayName.trim(), password: values.password });
      // The answer set the session cookie: the person is signed in now.
      const workspaceId = data?.workspaceId ?? invitation.workspace?.id;
      const name = invitation.workspace?.name;
      app.afterSignIn = `#/workspaces/${encodeURIComponent(workspaceId)}`;
      app.flash = { kind: 'info', text: t('invite.welcome', { name: name ?? '' }) };
      announce(t('invite.welcome', { name: name ?? '' }));
      await ctx.completeSignIn(data?.user ?? null);
    } catch (err) {
      busy = false;
      restore();
      for (const id of ['accept-password', 'accept-password2']) {
        const el = document.getElementById(id);
        if (el) el.value = '';
      }
      if (err instanceof ApiError && err.fields.length) {
        reportFieldErrors(form, createFields(), err.fields, 'accept-errors');
      } else if (err instanceof ApiError && err.status === 404) {
        loadError = err;
        draw();
        $('#page-title')?.focus();
      } else {
        render($('#accept-status'), errorNotice(err));
      }
    }
  }

  async function acceptExisting(button) {
    if (busy || !invitation) return;
    busy = true;
    const restore = busyButton(button, t('invite.accept.accepting'));
    try {
      const { data } = await ctx.call(ctx.api.post(`${path}/accept`, {}));
      await ctx.refreshSession().catch(() => {});
      ctx.loadDirectory();
      goToWorkspace(data?.workspaceId ?? invitation.workspace?.id, invitation.workspace?.name);
    } catch (err) {
      busy = false;
      restore();
      if (err instanceof ApiError && err.status === 404) {
        loadError = err;
        draw();
        $('#page-title')?.focus();
      } else {
        render($('#accept-status'), errorNotice(err));
      }
    }
  }

  load();

  return {
    name: 'invitation',
    onSubmit(form) {
      if (form.id === 'accept-create-form') acceptNew(form);
    },
    onClick(el) {
      if (el.id === 'invitation-signin' && invitation) {
        app.afterSignIn = hash;
        app.signinEmail = invitation.email;
        ctx.navigate('#/signin');
        return true;
      }
      if (el.id === 'invitation-accept') {
        acceptExisting(el);
        return true;
      }
      if (el.id === 'invitation-signout') {
        ctx.signOut({ next: hash });
        return true;
      }
      if (el.id === 'invitation-retry') {
        loadError = null;
        load();
        return true;
      }
      return false;
    },
    keep() {
      const name = document.getElementById('accept-name');
      return { displayName: name ? name.value : kept.displayName ?? '' };
    },
    destroy() {
      destroyed = true;
    },
  };
}
