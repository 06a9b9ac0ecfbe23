// Managing a workspace's members on its detail page (coordinators of the workspace and
// administrators): inviting people, pending invitations, changing a member's role and
// removing a member. Everything that asks for input happens in one native modal
// <dialog> (#member-dialog): it traps focus, Escape closes it, and focus returns to the
// button that opened it.
//
// The detail view owns the member list (it is fed by the workspace's live topic); this
// module reports its own changes through `applyEvent` with the same event shapes.
//
// Whom a member speaks for is chosen from the organizations the administrators keep
// (GET /api/v1/organizations, loaded when the page opens and again whenever the dialog
// opens), or "none". Pending invitations show the organization's name from that list.

import { html, render, attrs } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDateTime } from '../lib/i18n.js';
import {
  $, announce, errorNotice, errorText, openDialog, closeDialog, copyText, busyButton,
  reportFieldErrors, resetFieldErrors, renderKeepingFocus,
} from '../lib/ui.js';
import * as ident from '../state/identity.js';
import * as orgs from '../state/organizations.js';

const DIALOG_ID = 'member-dialog';

export function createMemberAdmin({ ctx, workspaceId, getWorkspace, getMembers, applyEvent, rerender, selfId }) {
  const base = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}`;
  let invitations = null; // null: not loaded
  let invitationsError = null;
  let loading = null;
  let busy = false;
  let destroyed = false;
  let dialogMode = null; // 'invite' | 'invite-result' | 'member' | 'remove'
  let dialogMember = null;
  let lastInvitation = null;
  let organizations = null; // null: not loaded
  let organizationsError = null;
  let organizationsLoading = null;

  const canManage = () => ctx.canEdit(workspaceId);
  const dialog = () => document.getElementById(DIALOG_ID);
  const editable = () => {
    const ws = getWorkspace();
    return Boolean(ws && !ws.archived);
  };
  const roleLabel = (role) => (ident.WORKSPACE_ROLES.includes(role) ? t(`role.${role}`) : String(role ?? ''));

  async function loadInvitations() {
    if (!canManage() || destroyed) return;
    if (loading) return loading;
    loading = (async () => {
      try {
        const { data } = await ctx.call(ctx.api.get(`${base}/invitations`));
        invitations = Array.isArray(data?.items) ? data.items : [];
        invitationsError = null;
      } catch (err) {
        invitationsError = err;
      } finally {
        loading = null;
      }
      if (!destroyed) rerender();
    })();
    return loading;
  }

  async function loadOrganizations() {
    if (!canManage() || destroyed) return;
    if (organizationsLoading) return organizationsLoading;
    organizationsLoading = (async () => {
      try {
        const { data } = await ctx.call(ctx.api.get('/api/v1/organizations'));
        organizations = Array.isArray(data?.items) ? data.items : [];
        organizationsError = null;
      } catch (err) {
        organizationsError = err;
      } finally {
        organizationsLoading = null;
      }
      if (destroyed) return;
      refreshOrganizationSelects();
      // Pending invitations name their organization.
      if ((invitations ?? []).some((inv) => inv.organizationId)) rerender();
    })();
    return organizationsLoading;
  }

  // ------------------------------------------------------------ templates in the members card

  function dialogTemplate() {
    if (!canManage()) return '';
    return html`<dialog id="${DIALOG_ID}" class="dialog" aria-labelledby="member-dialog-title" data-testid="member-dialog"></dialog>`;
  }

  function toolbarTemplate() {
    if (!canManage()) return '';
    if (!editable()) return html`<p class="muted">${t('members.archivedNoInvite')}</p>`;
    return html`<div class="actions members-actions">
      <button type="button" class="button primary" id="invite-open" aria-haspopup="dialog">${t('members.invite')}</button>
    </div>`;
  }

  function memberActionsTemplate(member) {
    if (!canManage() || !editable()) return '';
    const self = member.userId === selfId;
    // Coordinators cannot demote or remove themselves; another coordinator or an administrator does.
    if (self && !ctx.isAdmin()) return html`<span class="member-self muted">${t('members.self')}</span>`;
    return html`<span class="member-actions">
      <button type="button" class="button quiet" id="member-edit-${member.userId}" data-action="member-edit" data-user="${member.userId}" aria-haspopup="dialog">${t('members.changeRole')}<span class="visually-hidden"> (${member.displayName})</span></button>
      <button type="button" class="button quiet danger-text" id="member-remove-${member.userId}" data-action="member-remove" data-user="${member.userId}" aria-haspopup="dialog">${t('members.remove')}<span class="visually-hidden"> (${member.displayName})</span></button>
    </span>`;
  }

  function invitationsTemplate() {
    if (!canManage()) return '';
    let body;
    if (invitationsError && invitations === null) body = errorNotice(invitationsError);
    else if (invitations === null) body = html`<p class="loading">${t('app.loading')}</p>`;
    else if (invitations.length === 0) body = html`<p class="muted">${t('members.invitations.empty')}</p>`;
    else {
      body = html`<ul class="members" data-testid="invitation-list">
        ${invitations.map((inv) => html`<li class="member" data-id="${inv.id}" data-testid="invitation-row">
          <span class="member-name">${inv.email}</span>
          <span class="badge badge-role">${roleLabel(inv.role)}</span>
          ${orgs.organizationName(organizations, inv.organizationId) ? html`<span class="member-org"><span class="visually-hidden">${t('detail.members.org')}: </span>${orgs.organizationName(organizations, inv.organizationId)}</span>` : ''}
          <span class="member-org">${t('members.invitations.expires', { date: formatDateTime(inv.expiresAt, getLang()) })}</span>
          ${editable() ? html`<span class="member-actions"><button type="button" class="button quiet danger-text" id="invitation-revoke-${inv.id}" data-action="invitation-revoke" data-invitation="${inv.id}">${t('members.invitations.revoke')}<span class="visually-hidden"> (${inv.email})</span></button></span>` : ''}
        </li>`)}
      </ul>`;
    }
    return html`
      <h3 id="invitations-title">${t('members.invitations')}</h3>
      <div id="invitations-status"></div>
      ${body}`;
  }

  // ------------------------------------------------------------ dialog contents

  /** The organization select's options: "none", then the organizations grouped by kind. */
  function organizationOptions(selected, current) {
    const list = orgs.withCurrent(organizations, current);
    return html`
      <option value="" ${attrs({ selected: !selected })}>${t('members.organization.none')}</option>
      ${orgs.groupByKind(list, ctx.compare).map((group) => html`<optgroup label="${t(`organization.group.${group.kind}`)}">
        ${group.items.map((o) => html`<option value="${o.id}" ${attrs({ selected: o.id === selected })}>${o.name}</option>`)}
      </optgroup>`)}`;
  }

  function organizationNoteTemplate() {
    return organizationsError && organizations === null ? html`<p class="hint">${t('members.organization.loadError')}</p>` : html``;
  }

  /** The organization field of the invite and member forms (`prefix` is "invite" or "member"). */
  function organizationFieldTemplate(prefix, selected, current) {
    return html`
      <div class="field">
        <label for="${prefix}-org">${t('members.invite.organization')}</label>
        <p class="hint" id="${prefix}-org-hint">${t('members.organizationHint')} ${ctx.isAdmin()
          ? html`<a href="#/admin/organizations">${t('members.organization.manage')}</a>`
          : t('members.organization.listHint')}</p>
        <p class="field-error" id="${prefix}-org-error" hidden></p>
        <div id="${prefix}-org-note">${organizationNoteTemplate()}</div>
        <select id="${prefix}-org" name="organizationId" aria-describedby="${prefix}-org-hint" data-testid="${prefix}-organization-select">
          ${organizationOptions(selected, current)}
        </select>
      </div>`;
  }

  function currentOrganization(member) {
    if (!member || !member.organizationId) return null;
    return { id: member.organizationId, name: member.organization || t('members.organization.unknown') };
  }

  /** After the list (re)loaded: new options in an open form, keeping what is chosen. */
  function refreshOrganizationSelects() {
    for (const prefix of ['invite', 'member']) {
      const select = document.getElementById(`${prefix}-org`);
      if (!select) continue;
      const value = select.value;
      const current = prefix === 'member' ? currentOrganization(dialogMember) : null;
      renderKeepingFocus(select, organizationOptions(value, current));
      select.value = value;
      const note = document.getElementById(`${prefix}-org-note`);
      if (note) render(note, organizationNoteTemplate());
    }
  }

  function inviteFormTemplate(values = { email: '', role: 'member', organizationId: '' }) {
    const ws = getWorkspace();
    return html`
      <div class="dialog-body">
        <h2 id="member-dialog-title">${t('members.invite.title')}</h2>
        <p id="invite-intro">${t('members.invite.intro', { name: ws ? ws.name : '' })}</p>
        <div id="invite-errors" class="error-summary" tabindex="-1" aria-labelledby="invite-errors-title" hidden></div>
        <div id="dialog-status"></div>
        <form id="invite-form" class="form" novalidate>
          <div class="field">
            <label for="invite-email">${t('members.invite.email')} <span aria-hidden="true">*</span></label>
            <p class="field-error" id="invite-email-error" hidden></p>
            <input id="invite-email" name="email" type="email" inputmode="email" autocomplete="off" spellcheck="false" required aria-required="true" value="${values.email}">
          </div>
          <div class="field">
            <label for="invite-role">${t('members.invite.role')}</label>
            <p class="hint" id="invite-role-hint">${t('members.roleHint')}</p>
            <p class="field-error" id="invite-role-error" hidden></p>
            <select id="invite-role" name="role" aria-describedby="invite-role-hint">
              ${ident.WORKSPACE_ROLES.map((r) => html`<option value="${r}" ${attrs({ selected: values.role === r })}>${roleLabel(r)}</option>`)}
            </select>
          </div>
          ${organizationFieldTemplate('invite', values.organizationId, null)}
          <div class="actions">
            <button type="submit" class="button primary" id="invite-submit">${t('members.invite.submit')}</button>
            <button type="button" class="button secondary" id="dialog-cancel">${t('members.cancel')}</button>
          </div>
        </form>
      </div>`;
  }

  function inviteResultTemplate(created) {
    const link = ident.absoluteLink(created.link, location.origin);
    const expires = formatDateTime(created.expiresAt, getLang());
    const byLink = created.delivery === 'link' && link;
    return html`
      <div class="dialog-body">
        <h2 id="member-dialog-title">${t('members.invite.done.title')}</h2>
        <div class="notice notice-success" id="invite-result" tabindex="-1" data-testid="invite-result">
          <p>${t('members.invite.done.body', { email: created.email, role: roleLabel(created.role), date: expires })}</p>
          ${byLink ? html`<p><strong>${t('members.invite.noMail.title')}</strong> ${t('members.invite.noMail.body', { email: created.email })}</p>`
            : html`<p>${t('members.invite.sent', { email: created.email })}</p>`}
        </div>
        ${byLink ? html`
          <div class="field">
            <label for="invite-link">${t('members.invite.link')}</label>
            <p class="hint" id="invite-link-hint">${t('members.invite.linkHint')}</p>
            <input id="invite-link" class="mono" type="text" readonly value="${link}" data-testid="invite-link" aria-describedby="invite-link-hint" spellcheck="false">
          </div>` : ''}
        <div class="actions">
          ${byLink ? html`<button type="button" class="button secondary" id="invite-copy">${t('members.invite.copy')}</button>` : ''}
          <button type="button" class="button secondary" id="invite-another">${t('members.invite.another')}</button>
          <button type="button" class="button primary" id="dialog-close">${t('members.close')}</button>
        </div>
      </div>`;
  }

  function memberFormTemplate(member) {
    return html`
      <div class="dialog-body">
        <h2 id="member-dialog-title">${t('members.edit.title', { name: member.displayName })}</h2>
        <div id="member-errors" class="error-summary" tabindex="-1" aria-labelledby="member-errors-title" hidden></div>
        <div id="dialog-status"></div>
        <form id="member-form" class="form" novalidate>
          <div class="field">
            <label for="member-role">${t('members.invite.role')}</label>
            <p class="hint" id="member-role-hint">${t('members.roleHint')}</p>
            <p class="field-error" id="member-role-error" hidden></p>
            <select id="member-role" name="role" aria-describedby="member-role-hint">
              ${ident.WORKSPACE_ROLES.map((r) => html`<option value="${r}" ${attrs({ selected: member.role === r })}>${roleLabel(r)}</option>`)}
            </select>
          </div>
          ${organizationFieldTemplate('member', member.organizationId ?? '', currentOrganization(member))}
          <div class="actions">
            <button type="submit" class="button primary" id="member-submit">${t('members.edit.submit')}</button>
            <button type="button" class="button secondary" id="dialog-cancel">${t('members.cancel')}</button>
          </div>
        </form>
      </div>`;
  }

  function removeTemplate(member) {
    return html`
      <div class="dialog-body">
        <h2 id="member-dialog-title">${t('members.remove.title', { name: member.displayName })}</h2>
        <p id="remove-body">${t('members.remove.body', { name: member.displayName })}</p>
        <div id="dialog-status"></div>
        <div class="actions">
          <button type="button" class="button danger" id="remove-confirm">${t('members.remove.confirm')}</button>
          <button type="button" class="button secondary" id="dialog-cancel">${t('members.cancel')}</button>
        </div>
      </div>`;
  }

  function show(mode, template, { opener, focus }) {
    const el = dialog();
    if (!el) return;
    dialogMode = mode;
    render(el, template);
    if (el.open) {
      document.getElementById(focus)?.focus();
      return;
    }
    openDialog(el, {
      opener,
      focus,
      fallback: 'members-title',
      onClose() {
        dialogMode = null;
        dialogMember = null;
        busy = false;
      },
    });
  }

  function findMember(userId) {
    return (getMembers() ?? []).find((m) => m.userId === userId) ?? null;
  }

  // ------------------------------------------------------------ actions

  const inviteFields = () => ({
    email: { input: 'invite-email', error: 'invite-email-error', label: t('members.invite.email') },
    role: { input: 'invite-role', error: 'invite-role-error', label: t('members.invite.role') },
    organizationId: { input: 'invite-org', error: 'invite-org-error', label: t('members.invite.organization') },
  });

  async function submitInvite(form) {
    if (busy) return;
    const values = {
      email: form.elements.namedItem('email').value,
      role: form.elements.namedItem('role').value,
      organizationId: form.elements.namedItem('organizationId').value,
    };
    const { issues, body } = ident.validateInvitation(values);
    if (issues.length) {
      reportFieldErrors(form, inviteFields(), issues, 'invite-errors');
      return;
    }
    resetFieldErrors(form, inviteFields(), 'invite-errors');
    busy = true;
    const restore = busyButton($('#invite-submit'), t('members.invite.submitting'));
    try {
      const { data } = await ctx.call(ctx.api.post(`${base}/invitations`, body));
      busy = false;
      lastInvitation = data;
      const entry = ident.invitationListEntry(data);
      if (entry) invitations = ident.upsertById(invitations ?? [], entry);
      rerender();
      show('invite-result', inviteResultTemplate(data), { focus: 'invite-result' });
      announce(data.delivery === 'link' ? t('members.invite.createdLink', { email: data.email }) : t('members.invite.sent', { email: data.email }));
    } catch (err) {
      busy = false;
      restore();
      if (err instanceof ApiError && err.fields.length) {
        reportFieldErrors(form, inviteFields(), err.fields, 'invite-errors');
        // An organization removed meanwhile: offer the list as it is now.
        if (err.fields.some((f) => f.field === 'organizationId')) loadOrganizations();
      } else {
        const status = $('#dialog-status');
        if (status) render(status, errorNotice(err));
      }
    }
  }

  const memberFields = () => ({
    role: { input: 'member-role', error: 'member-role-error', label: t('members.invite.role') },
    organizationId: { input: 'member-org', error: 'member-org-error', label: t('members.invite.organization') },
  });

  async function submitMember(form) {
    if (busy || !dialogMember) return;
    const member = dialogMember;
    const body = ident.memberBody(form.elements.namedItem('role').value, form.elements.namedItem('organizationId').value);
    resetFieldErrors(form, memberFields(), 'member-errors');
    busy = true;
    const restore = busyButton($('#member-submit'), t('members.edit.saving'));
    try {
      const { data } = await ctx.call(ctx.api.put(`${base}/members/${encodeURIComponent(member.userId)}`, body));
      const updated = data && data.userId ? data : {
        ...member,
        ...body,
        organization: body.organizationId === member.organizationId ? member.organization : orgs.organizationName(organizations, body.organizationId),
      };
      applyEvent({ name: 'member.updated', data: { ...updated, workspaceId } });
      busy = false;
      closeDialog(dialog());
      const name = updated.displayName ?? member.displayName;
      announce(updated.organization
        ? t('members.edit.doneOrg', { name, role: roleLabel(updated.role), organization: updated.organization })
        : t('members.edit.done', { name, role: roleLabel(updated.role) }));
    } catch (err) {
      busy = false;
      restore();
      if (err instanceof ApiError && err.fields.length) {
        reportFieldErrors(form, memberFields(), err.fields, 'member-errors');
        if (err.fields.some((f) => f.field === 'organizationId')) loadOrganizations();
      } else {
        const status = $('#dialog-status');
        if (status) render(status, errorNotice(err));
        announce(errorText(err));
      }
    }
  }

  async function removeMember(button) {
    if (busy || !dialogMember) return;
    const member = dialogMember;
    busy = true;
    const restore = busyButton(button, t('members.remove.removing'));
    try {
      await ctx.call(ctx.api.del(`${base}/members/${encodeURIComponent(member.userId)}`));
      applyEvent({ name: 'member.removed', data: { userId: member.userId, displayName: member.displayName, workspaceId } });
      busy = false;
      closeDialog(dialog());
      announce(t('members.remove.done', { name: member.displayName }));
    } catch (err) {
      busy = false;
      restore();
      const status = $('#dialog-status');
      if (status) render(status, errorNotice(err));
      announce(errorText(err));
    }
  }

  async function revokeInvitation(button) {
    if (busy) return;
    const invitationId = button.getAttribute('data-invitation');
    const inv = (invitations ?? []).find((x) => x.id === invitationId);
    busy = true;
    const restore = busyButton(button, t('members.invitations.revoking'));
    try {
      await ctx.call(ctx.api.del(`${base}/invitations/${encodeURIComponent(invitationId)}`));
      invitations = ident.withoutId(invitations, invitationId);
      busy = false;
      rerender();
      // The row is gone: focus the list's heading so keyboard users keep their place.
      const heading = document.getElementById('invitations-title');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
      announce(t('members.invitations.revoked', { email: inv ? inv.email : '' }));
    } catch (err) {
      busy = false;
      restore();
      const status = $('#invitations-status');
      if (status) render(status, errorNotice(err));
      if (err instanceof ApiError && err.status === 404) {
        invitations = ident.withoutId(invitations, invitationId);
        rerender();
      }
    }
  }

  async function copyLink() {
    const field = document.getElementById('invite-link');
    if (!field) return;
    const ok = await copyText(field.value, field);
    announce(ok ? t('members.invite.copied') : t('copy.failed'));
    document.getElementById('invite-copy')?.focus();
  }

  return {
    dialogTemplate,
    toolbarTemplate,
    memberActionsTemplate,
    invitationsTemplate,
    start() {
      loadInvitations();
      loadOrganizations();
    },
    /** A member event arrived live: an accepted invitation leaves the pending list. */
    onMemberEvent(event) {
      if (event.name === 'member.added' && canManage()) loadInvitations();
    },
    get lastInvitation() {
      return lastInvitation;
    },
    onClick(el) {
      if (!canManage()) return false;
      if (el.id === 'invite-open') {
        show('invite', inviteFormTemplate(), { opener: el, focus: 'invite-email' });
        loadOrganizations();
        return true;
      }
      if (el.id === 'invite-another') {
        show('invite', inviteFormTemplate(), { focus: 'invite-email' });
        loadOrganizations();
        return true;
      }
      if (el.id === 'invite-copy') {
        copyLink();
        return true;
      }
      if (el.id === 'dialog-cancel' || el.id === 'dialog-close') {
        closeDialog(dialog());
        return true;
      }
      const action = el.getAttribute('data-action');
      if (action === 'member-edit' || action === 'member-remove') {
        const member = findMember(el.getAttribute('data-user'));
        if (!member) return true;
        dialogMember = member;
        if (action === 'member-edit') {
          show('member', memberFormTemplate(member), { opener: el, focus: 'member-role' });
          loadOrganizations();
        } else {
          show('remove', removeTemplate(member), { opener: el, focus: 'dialog-cancel' });
        }
        return true;
      }
      if (el.id === 'remove-confirm') {
        removeMember(el);
        return true;
      }
      if (action === 'invitation-revoke') {
        revokeInvitation(el);
        return true;
      }
      return false;
    },
    onSubmit(form) {
      if (form.id === 'invite-form') {
        submitInvite(form);
        return true;
      }
      if (form.id === 'member-form') {
        submitMember(form);
        return true;
      }
      return false;
    },
    destroy() {
      destroyed = true;
      const el = dialog();
      if (el && el.open) el.close();
    },
    get dialogMode() {
      return dialogMode;
    },
  };
}
