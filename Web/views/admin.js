// Administration (#/admin users, #/admin/organizations, #/admin/audit log), administrators
// only. The server decides: an administrator without a verified second factor gets 403
// auth.secondFactorRequired, which is shown with a link to set it up. The organizations
// section lives in views/organizations.js.

import { html, render, attrs } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDateTime } from '../lib/i18n.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton, TWO_FACTOR_HASH } from '../lib/ui.js';
import * as adm from '../state/admin.js';
import { mountOrganizations } from './organizations.js';

const SECTIONS = ['users', 'organizations', 'audit'];
const SECTION_TITLES = { users: 'admin.users.title', organizations: 'admin.organizations.title', audit: 'admin.audit.title' };

export function mountAdmin(target, route, keep, ctx) {
  const section = SECTIONS.includes(route.section) ? route.section : 'users';
  const title = t(SECTION_TITLES[section]);
  setTitle(`${title} – ${t('nav.admin')}`);

  if (!ctx.isAdmin()) {
    render(target, html`
      <h1 id="page-title" tabindex="-1">${t('nav.admin')}</h1>
      <div class="notice notice-error"><p>${t('admin.forbidden')}</p></div>
      <p><a href="#/">${t('app.backToDirectory')}</a></p>`);
    return { name: 'admin' };
  }

  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('nav.admin')}</h1>
    <nav class="subnav" aria-label="${t('admin.nav')}">
      <ul>
        <li><a href="#/admin" data-testid="admin-users-link" ${attrs({ 'aria-current': section === 'users' ? 'page' : null })}>${t('admin.users.title')}</a></li>
        <li><a href="#/admin/organizations" data-testid="admin-organizations-link" ${attrs({ 'aria-current': section === 'organizations' ? 'page' : null })}>${t('admin.organizations.title')}</a></li>
        <li><a href="#/admin/audit" data-testid="admin-audit-link" ${attrs({ 'aria-current': section === 'audit' ? 'page' : null })}>${t('admin.audit.title')}</a></li>
        <li><a href="#/admin/meeting-templates" data-testid="admin-meeting-templates-link">${t('mt.templates.title')}</a></li>
      </ul>
    </nav>
    ${ctx.flashTemplate()}
    ${ctx.app.session?.adminNeedsSecondFactor ? html`<div class="notice notice-info" data-testid="admin-needs-second-factor"><p>${t('admin.needsSecondFactor')} <a href="${TWO_FACTOR_HASH}">${t('twoFactor.setUpLink')}</a></p></div>` : ''}
    <div id="admin-section"></div>`);

  const host = $('#admin-section');
  if (section === 'audit') return mountAudit(host, ctx, keep);
  if (section === 'organizations') return mountOrganizations(host, ctx, keep);
  return mountUsers(host, ctx, keep);
}

// ---------------------------------------------------------------- users

function mountUsers(host, ctx, keep) {
  const { app } = ctx;
  let users = null;
  let loadError = null;
  let query = keep?.query ?? '';
  const pending = new Set(); // user ids with a PATCH on the way
  let destroyed = false;
  let seq = 0;

  render(host, html`
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title" tabindex="-1">${t('admin.users.title')}</h2>
      <p class="hint">${t('admin.users.intro')}</p>
      <form id="user-search" class="search-form" role="search" aria-label="${t('admin.users.search')}">
        <div class="field">
          <label for="user-query">${t('admin.users.search')}</label>
          <div class="inline-controls">
            <input id="user-query" name="query" type="search" autocomplete="off" spellcheck="false" value="${query}">
            <button type="submit" class="button secondary" id="user-search-submit">${t('admin.users.searchSubmit')}</button>
          </div>
        </div>
      </form>
      <div id="users-status"></div>
      <div id="users-results"><p class="loading">${t('app.loading')}</p></div>
    </section>`);

  function rowTemplate(u) {
    const self = u.id === app.session?.user?.id;
    const busy = pending.has(u.id);
    return html`<li class="item user-row" data-id="${u.id}" data-testid="user-row" data-email="${u.email}">
      <p class="item-title">${u.displayName}${self ? html` <span class="badge badge-current">${t('admin.users.you')}</span>` : ''}</p>
      <p class="muted user-email">${u.email}</p>
      <div class="checks user-flags">
        <div class="check">
          <input type="checkbox" id="user-admin-${u.id}" data-flag="isAdmin" data-user="${u.id}" ${attrs({ checked: Boolean(u.isAdmin), 'aria-busy': busy ? 'true' : null })}>
          <label for="user-admin-${u.id}">${t('admin.users.isAdmin')}<span class="visually-hidden"> – ${u.displayName}</span></label>
        </div>
        <div class="check">
          <input type="checkbox" id="user-steering-${u.id}" data-flag="isSteering" data-user="${u.id}" ${attrs({ checked: Boolean(u.isSteering), 'aria-busy': busy ? 'true' : null })}>
          <label for="user-steering-${u.id}">${t('admin.users.isSteering')}<span class="visually-hidden"> – ${u.displayName}</span></label>
        </div>
      </div>
      ${self ? '' : html`<p><button type="button" class="button secondary" data-reset-user="${u.id}" id="user-reset-${u.id}">${t('admin.users.resetAccess')}<span class="visually-hidden"> – ${u.displayName}</span></button></p>`}
    </li>`;
  }

  function draw() {
    const region = $('#users-results');
    if (!region) return;
    if (loadError && users === null) {
      renderKeepingFocus(region, errorNotice(loadError));
      return;
    }
    if (users === null) {
      render(region, html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    const list = adm.sortUsers(users, ctx.compare);
    renderKeepingFocus(region, html`
      <p class="count" id="users-count">${(list.length === 1 ? t('admin.users.countOne') : t('admin.users.count', { count: list.length }))}</p>
      ${list.length ? html`<ul class="item-list" data-testid="user-list" aria-labelledby="users-title">${list.map(rowTemplate)}</ul>`
        : html`<p class="empty">${t('admin.users.empty')}</p>`}`);
  }

  async function load({ announceCount = false } = {}) {
    const mine = ++seq;
    try {
      const path = query ? `/api/v1/users?query=${encodeURIComponent(query)}` : '/api/v1/users';
      const { data } = await ctx.call(ctx.api.get(path));
      if (destroyed || mine !== seq) return;
      users = Array.isArray(data?.items) ? data.items : [];
      loadError = null;
      if (announceCount) announce((users.length === 1 ? t('admin.users.countOne') : t('admin.users.count', { count: users.length })));
    } catch (err) {
      if (destroyed || mine !== seq) return;
      loadError = err;
      users = null;
      announce(errorText(err));
    }
    draw();
  }

  async function toggle(input) {
    const userId = input.getAttribute('data-user');
    const flag = input.getAttribute('data-flag');
    const value = input.checked;
    const user = (users ?? []).find((u) => u.id === userId);
    if (!user) return;
    if (pending.has(userId)) {
      input.checked = !value; // one change per person at a time
      return;
    }
    pending.add(userId);
    input.setAttribute('aria-busy', 'true');
    const status = $('#users-status');
    render(status, html``);
    try {
      const { data } = await ctx.call(ctx.api.patch(`/api/v1/users/${encodeURIComponent(userId)}`, adm.flagPatch(flag, value)));
      pending.delete(userId);
      users = adm.applyUser(users, data && data.id ? data : { ...user, [flag]: value });
      draw();
      announce(t(adm.flagMessageKey(flag, value), { name: user.displayName }));
      if (userId === app.session?.user?.id) {
        ctx.refreshSession().then(() => ctx.renderHeader()).catch(() => {});
      }
    } catch (err) {
      pending.delete(userId);
      const el = document.getElementById(input.id);
      if (el) {
        el.checked = !value;
        el.removeAttribute('aria-busy');
      }
      render(status, errorNotice(err));
      announce(errorText(err));
    }
  }

  /** "Reset access": a single-use link for the person, shown here to hand over by another channel. */
  async function resetAccess(button) {
    const userId = button.getAttribute('data-reset-user');
    const user = (users ?? []).find((u) => u.id === userId);
    if (!user) return;
    const status = $('#users-status');
    const done = busyButton(button, t('app.loading'));
    try {
      const { data } = await ctx.call(ctx.api.post(`/api/v1/users/${encodeURIComponent(userId)}/password-reset`, {}));
      render(status, html`<div class="notice notice-success" data-testid="reset-link">
        <h3 id="reset-link-title" tabindex="-1">${t('admin.users.resetTitle', { name: user.displayName })}</h3>
        <p>${t('admin.users.resetBody', { until: formatDateTime(data.expiresAt) })}</p>
        <div class="field"><label for="reset-link-value">${t('admin.users.resetLink')}</label>
          <input id="reset-link-value" type="text" readonly value="${data.link}" spellcheck="false"></div>
        <p><button type="button" class="button secondary" id="reset-link-copy">${t('admin.users.resetCopy')}</button></p>
      </div>`);
      $('#reset-link-title')?.focus();
      announce(t('admin.users.resetTitle', { name: user.displayName }));
    } catch (err) {
      render(status, errorNotice(err));
      announce(errorText(err));
    } finally {
      done();
    }
  }

  load();

  return {
    name: 'admin',
    onClick(el) {
      if (el.hasAttribute && el.hasAttribute('data-reset-user')) {
        resetAccess(el);
        return true;
      }
      if (el.id === 'reset-link-copy') {
        const input = $('#reset-link-value');
        input?.select();
        (navigator.clipboard ? navigator.clipboard.writeText(input?.value ?? '') : Promise.reject(new Error('no clipboard')))
          .then(() => announce(t('admin.users.resetCopied')), () => announce(t('admin.users.resetSelect')));
        return true;
      }
      return false;
    },
    onSubmit(form) {
      if (form.id !== 'user-search') return;
      query = form.elements.namedItem('query').value.trim();
      const restore = busyButton($('#user-search-submit'));
      load({ announceCount: true }).finally(restore);
    },
    onChange(el) {
      if (el instanceof HTMLInputElement && el.type === 'checkbox' && el.hasAttribute('data-flag')) toggle(el);
    },
    keep() {
      const input = document.getElementById('user-query');
      return { query: input ? input.value : query };
    },
    destroy() {
      destroyed = true;
    },
  };
}

// ---------------------------------------------------------------- audit log

function auditTypeLabel(type) {
  return adm.AUDIT_TYPES.includes(type) ? t(`audit.type.${type}`) : String(type ?? '');
}

function mountAudit(host, ctx, keep) {
  const query = new URLSearchParams((location.hash.split('?')[1] ?? ''));
  let filters = keep?.filters ?? adm.auditFiltersFromParams(query);
  let items = null;
  let loadError = null;
  let users = [];
  let destroyed = false;
  let seq = 0;

  function actorOptions() {
    const list = adm.sortUsers(users, ctx.compare);
    const known = list.some((u) => u.id === filters.actor);
    return html`
      <option value="">${t('admin.audit.actor.all')}</option>
      ${filters.actor && !known ? html`<option value="${filters.actor}" selected>${filters.actor}</option>` : ''}
      ${list.map((u) => html`<option value="${u.id}" ${attrs({ selected: filters.actor === u.id })}>${u.displayName} (${u.email})</option>`)}`;
  }

  render(host, html`
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title" tabindex="-1">${t('admin.audit.title')}</h2>
      <p class="hint">${t('admin.audit.intro')}</p>
      <form id="audit-filters" class="filters audit-filters" aria-labelledby="audit-filters-title">
        <h3 id="audit-filters-title" class="visually-hidden">${t('dir.filters')}</h3>
        <div class="field">
          <label for="audit-type">${t('admin.audit.type')}</label>
          <select id="audit-type" name="type">
            <option value="">${t('admin.audit.type.all')}</option>
            ${adm.AUDIT_TYPES.map((type) => html`<option value="${type}" ${attrs({ selected: filters.type === type })}>${auditTypeLabel(type)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="audit-actor">${t('admin.audit.actor')}</label>
          <select id="audit-actor" name="actor">${actorOptions()}</select>
        </div>
        <div class="field">
          <label for="audit-limit">${t('admin.audit.limit')}</label>
          <select id="audit-limit" name="limit">
            ${adm.AUDIT_LIMITS.map((n) => html`<option value="${n}" ${attrs({ selected: filters.limit === n })}>${n}</option>`)}
          </select>
        </div>
        <div class="field filter-submit">
          <button type="submit" class="button secondary" id="audit-apply">${t('admin.audit.apply')}</button>
        </div>
      </form>
      <div id="audit-results"><p class="loading">${t('app.loading')}</p></div>
    </section>`);

  function rowTemplate(e) {
    const lang = getLang();
    return html`<tr data-testid="audit-row" data-type="${e.type}">
      <td class="nowrap"><time datetime="${e.at}">${formatDateTime(e.at, lang, { seconds: true })}</time></td>
      <td>${auditTypeLabel(e.type)}<br><code class="muted small">${e.type}</code></td>
      <td>${e.actorName || (e.actorId ? e.actorId : html`<span class="muted">${t('admin.audit.noActor')}</span>`)}</td>
      <td>${adm.auditSubjectText(e.subject, users) || '–'}</td>
      <td>${adm.auditDetailText(e.detail) || '–'}</td>
      <td><code class="small">${adm.shortHash(e.addressHash) || '–'}</code></td>
    </tr>`;
  }

  function draw() {
    const region = $('#audit-results');
    if (!region) return;
    if (loadError) {
      renderKeepingFocus(region, errorNotice(loadError));
      return;
    }
    if (items === null) {
      render(region, html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    const list = adm.sortAudit(items);
    const filterText = filters.type ? auditTypeLabel(filters.type) : t('admin.audit.type.all');
    renderKeepingFocus(region, html`
      <p class="count" id="audit-count">${(list.length === 1 ? t('admin.audit.countOne') : t('admin.audit.count', { count: list.length }))}</p>
      ${list.length === 0 ? html`<p class="empty">${t('admin.audit.empty')}</p>` : html`
        <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabindex="0">
          <table class="data-table" data-testid="audit-table">
            <caption id="audit-caption">${t('admin.audit.caption', { filter: filterText })}</caption>
            <thead>
              <tr>
                <th scope="col">${t('admin.audit.col.at')}</th>
                <th scope="col">${t('admin.audit.col.type')}</th>
                <th scope="col">${t('admin.audit.col.actor')}</th>
                <th scope="col">${t('admin.audit.col.subject')}</th>
                <th scope="col">${t('admin.audit.col.detail')}</th>
                <th scope="col">${t('admin.audit.col.address')}</th>
              </tr>
            </thead>
            <tbody>${list.map(rowTemplate)}</tbody>
          </table>
        </div>`}`);
  }

  async function load({ announceCount = false } = {}) {
    const mine = ++seq;
    try {
      const { data } = await ctx.call(ctx.api.get(adm.auditPath(filters)));
      if (destroyed || mine !== seq) return;
      items = Array.isArray(data?.items) ? data.items : [];
      loadError = null;
      if (announceCount) announce((items.length === 1 ? t('admin.audit.countOne') : t('admin.audit.count', { count: items.length })));
    } catch (err) {
      if (destroyed || mine !== seq) return;
      loadError = err;
      items = null;
      announce(errorText(err));
    }
    draw();
  }

  async function loadUsers() {
    try {
      const { data } = await ctx.call(ctx.api.get('/api/v1/users'));
      if (destroyed) return;
      users = Array.isArray(data?.items) ? data.items : [];
      const select = document.getElementById('audit-actor');
      if (select) renderKeepingFocus(select, actorOptions());
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      /* the actor filter then offers only "everyone" */
    }
  }

  load();
  loadUsers();

  return {
    name: 'admin',
    onSubmit(form) {
      if (form.id !== 'audit-filters') return;
      filters = adm.normalizeAuditFilters({
        type: form.elements.namedItem('type').value,
        actor: form.elements.namedItem('actor').value,
        limit: form.elements.namedItem('limit').value,
      });
      const params = adm.auditFiltersToParams(filters).toString();
      history.replaceState(null, '', `#/admin/audit${params ? `?${params}` : ''}`);
      const restore = busyButton($('#audit-apply'));
      load({ announceCount: true }).finally(restore);
    },
    keep() {
      return { filters };
    },
    destroy() {
      destroyed = true;
    },
  };
}
