// Administration › Organizations (#/admin/organizations), administrators only: the list of
// organizations members speak for, a form to add one, and renaming or changing the kind
// of one inline in its row (one row at a time). Names are unique ignoring case: the hub
// answers 409 organization.duplicate, which is shown as an error of the name field.

import { html, render, attrs } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  $, announce, errorNotice, errorText, renderKeepingFocus, busyButton,
  reportFieldErrors, resetFieldErrors, showFieldErrors, clearFieldErrors,
} from '../lib/ui.js';
import * as orgs from '../state/organizations.js';

const PATH = '/api/v1/organizations';

const kindLabel = (kind) => (orgs.isKind(kind) ? t(`organization.kind.${kind}`) : String(kind ?? ''));

function kindOptions(selected, { placeholder }) {
  return html`
    ${placeholder ? html`<option value="" ${attrs({ selected: !orgs.isKind(selected) })}>${t('admin.organizations.kind.choose')}</option>` : ''}
    ${orgs.ORGANIZATION_KINDS.map((k) => html`<option value="${k}" ${attrs({ selected: selected === k })}>${kindLabel(k)}</option>`)}`;
}

export function mountOrganizations(host, ctx, keep) {
  let items = null; // null: not loaded
  let loadError = null;
  let editingId = keep?.editingId ?? null;
  let editValues = keep?.editValues ?? null; // { name, kind } while a row is edited
  let busy = false;
  let destroyed = false;
  const created = keep?.create ?? { name: '', kind: '' };

  render(host, html`
    <section class="card" aria-labelledby="organizations-title" data-testid="organizations-section">
      <h2 id="organizations-title" tabindex="-1">${t('admin.organizations.title')}</h2>
      <p class="hint">${t('admin.organizations.intro')}</p>
      <h3 id="org-create-title">${t('admin.organizations.create')}</h3>
      <div id="org-create-errors" class="error-summary" tabindex="-1" aria-labelledby="org-create-errors-title" hidden></div>
      <div id="org-create-status"></div>
      <form id="org-create-form" class="form" novalidate aria-labelledby="org-create-title" data-testid="organization-create-form">
        <div class="field">
          <label for="org-name">${t('admin.organizations.name')} <span aria-hidden="true">*</span></label>
          <p class="hint" id="org-name-hint">${t('admin.organizations.name.hint')}</p>
          <p class="field-error" id="org-name-error" hidden></p>
          <input id="org-name" name="name" type="text" autocomplete="off" spellcheck="false" required aria-required="true" aria-describedby="org-name-hint" value="${created.name}">
        </div>
        <div class="field">
          <label for="org-kind">${t('admin.organizations.kind')} <span aria-hidden="true">*</span></label>
          <p class="field-error" id="org-kind-error" hidden></p>
          <select id="org-kind" name="kind" required aria-required="true">${kindOptions(created.kind, { placeholder: true })}</select>
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="org-create-submit">${t('admin.organizations.submit')}</button>
        </div>
      </form>
      <h3 id="org-list-title" tabindex="-1">${t('admin.organizations.list')}</h3>
      <div id="org-status"></div>
      <div id="org-results"><p class="loading">${t('app.loading')}</p></div>
    </section>`);

  const createFields = () => ({
    organizationName: { input: 'org-name', error: 'org-name-error', label: t('admin.organizations.name') },
    organizationKind: { input: 'org-kind', error: 'org-kind-error', label: t('admin.organizations.kind') },
  });
  const editFields = () => ({
    organizationName: { input: 'org-edit-name', error: 'org-edit-name-error', label: t('admin.organizations.name') },
    organizationKind: { input: 'org-edit-kind', error: 'org-edit-kind-error', label: t('admin.organizations.kind') },
  });

  function findItem(id) {
    return (items ?? []).find((o) => o.id === id) ?? null;
  }

  function editRowTemplate(o) {
    const values = editValues ?? { name: o.name, kind: o.kind };
    return html`<li class="item org-row is-editing" data-id="${o.id}" data-testid="organization-row">
      <form id="org-edit-form" class="form org-edit-form" novalidate data-id="${o.id}" aria-labelledby="org-edit-title">
        <h4 id="org-edit-title">${t('admin.organizations.editTitle', { name: o.name })}</h4>
        <div id="org-edit-status"></div>
        <div class="field">
          <label for="org-edit-name">${t('admin.organizations.name')}<span class="visually-hidden"> – ${o.name}</span></label>
          <p class="field-error" id="org-edit-name-error" hidden></p>
          <input id="org-edit-name" name="name" type="text" autocomplete="off" spellcheck="false" required aria-required="true" value="${values.name}">
        </div>
        <div class="field">
          <label for="org-edit-kind">${t('admin.organizations.kind')}<span class="visually-hidden"> – ${o.name}</span></label>
          <p class="field-error" id="org-edit-kind-error" hidden></p>
          <select id="org-edit-kind" name="kind">${kindOptions(values.kind, { placeholder: false })}</select>
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="org-edit-save">${t('admin.organizations.save')}</button>
          <button type="button" class="button secondary" id="org-edit-cancel">${t('admin.organizations.cancel')}</button>
        </div>
      </form>
    </li>`;
  }

  function rowTemplate(o) {
    if (o.id === editingId) return editRowTemplate(o);
    return html`<li class="item org-row" data-id="${o.id}" data-testid="organization-row" data-kind="${o.kind}">
      <p class="item-title org-name">${o.name}</p>
      <p class="org-meta"><span class="visually-hidden">${t('admin.organizations.kind')}: </span><span class="badge badge-org">${kindLabel(o.kind)}</span></p>
      <div class="org-actions">
        <button type="button" class="button quiet" id="org-edit-${o.id}" data-action="org-edit" data-id="${o.id}">${t('admin.organizations.edit')}<span class="visually-hidden"> (${o.name})</span></button>
      </div>
    </li>`;
  }

  function countText(n) {
    return n === 1 ? t('admin.organizations.count.one') : t('admin.organizations.count', { count: n });
  }

  /** Reads what is typed into the edit form, so a redraw does not lose it. */
  function rememberEdit() {
    const form = document.getElementById('org-edit-form');
    if (!form || !editingId) return;
    editValues = { name: form.elements.namedItem('name').value, kind: form.elements.namedItem('kind').value };
  }

  function draw() {
    const region = $('#org-results');
    if (!region || destroyed) return;
    if (loadError && items === null) {
      renderKeepingFocus(region, html`${errorNotice(loadError)}<p><button type="button" class="button secondary" id="org-retry">${t('app.retry')}</button></p>`);
      return;
    }
    if (items === null) {
      render(region, html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    rememberEdit();
    if (editingId && !findItem(editingId)) {
      editingId = null;
      editValues = null;
    }
    const list = orgs.sortOrganizations(items, ctx.compare);
    renderKeepingFocus(region, html`
      <p class="count" id="org-count">${countText(list.length)}</p>
      ${list.length ? html`<ul class="item-list" data-testid="organization-list" aria-labelledby="org-list-title">${list.map(rowTemplate)}</ul>`
        : html`<p class="empty">${t('admin.organizations.empty')}</p>`}`);
  }

  async function load() {
    try {
      const { data } = await ctx.call(ctx.api.get(PATH));
      if (destroyed) return;
      items = Array.isArray(data?.items) ? data.items : [];
      loadError = null;
    } catch (err) {
      if (destroyed) return;
      if (!(err instanceof ApiError)) throw err;
      loadError = err;
      announce(errorText(err));
    }
    draw();
  }

  // ------------------------------------------------------------ create

  async function create(form) {
    if (busy) return;
    const { issues, body } = orgs.validateOrganization({
      name: form.elements.namedItem('name').value,
      kind: form.elements.namedItem('kind').value,
    });
    render($('#org-create-status'), html``);
    if (issues.length) {
      reportFieldErrors(form, createFields(), issues, 'org-create-errors');
      return;
    }
    resetFieldErrors(form, createFields(), 'org-create-errors');
    busy = true;
    const restore = busyButton($('#org-create-submit'), t('admin.organizations.submitting'));
    try {
      const { data } = await ctx.call(ctx.api.post(PATH, body));
      const organization = data && data.id ? data : null;
      if (organization) items = orgs.upsertOrganization(items ?? [], organization);
      form.elements.namedItem('name').value = '';
      form.elements.namedItem('kind').value = '';
      draw();
      const text = t('admin.organizations.created', { name: organization ? organization.name : body.name });
      render($('#org-create-status'), html`<div class="notice notice-success" data-testid="organization-created"><p>${text}</p></div>`);
      announce(text);
      // Ready for the next one.
      document.getElementById('org-name')?.focus();
      if (!organization) load();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fieldIssues = orgs.organizationIssues(err);
      if (fieldIssues) reportFieldErrors(form, createFields(), fieldIssues, 'org-create-errors');
      else {
        render($('#org-create-status'), errorNotice(err));
        announce(errorText(err));
      }
    } finally {
      busy = false;
      restore();
    }
  }

  // ------------------------------------------------------------ edit in place

  function startEdit(id) {
    const item = findItem(id);
    if (!item || busy) return;
    rememberEdit();
    editingId = id;
    editValues = { name: item.name, kind: item.kind };
    render($('#org-status'), html``);
    draw();
    document.getElementById('org-edit-name')?.focus();
  }

  function stopEdit({ focus = true } = {}) {
    const id = editingId;
    editingId = null;
    editValues = null;
    draw();
    if (focus && id) document.getElementById(`org-edit-${id}`)?.focus();
  }

  function focusFirstInvalid(form, fieldIssues) {
    const map = editFields();
    const first = fieldIssues.map((f) => map[f.field]).find(Boolean);
    document.getElementById(first ? first.input : 'org-edit-name')?.focus();
    if (!first) render($('#org-edit-status'), html`<div class="notice notice-error" role="alert"><p>${fieldIssues.map((f) => f.message || f.code).join(' ')}</p></div>`);
  }

  async function save(form) {
    if (busy) return;
    const item = findItem(form.getAttribute('data-id'));
    if (!item) return;
    const values = { name: form.elements.namedItem('name').value, kind: form.elements.namedItem('kind').value };
    render($('#org-edit-status'), html``);
    const { issues } = orgs.validateOrganization(values);
    if (issues.length) {
      showFieldErrors(form, editFields(), issues);
      focusFirstInvalid(form, issues);
      return;
    }
    clearFieldErrors(form, editFields());
    const patch = orgs.organizationPatch(item, values);
    if (!Object.keys(patch).length) {
      stopEdit();
      announce(t('admin.organizations.unchanged'));
      return;
    }
    busy = true;
    const restore = busyButton($('#org-edit-save'), t('admin.organizations.saving'));
    try {
      const { data } = await ctx.call(ctx.api.patch(`${PATH}/${encodeURIComponent(item.id)}`, patch));
      const next = data && data.id ? data : { ...item, ...patch };
      items = orgs.upsertOrganization(items, next);
      busy = false;
      stopEdit();
      const text = t('admin.organizations.saved', { name: next.name });
      render($('#org-status'), html`<div class="notice notice-success" data-testid="organization-saved"><p>${text}</p></div>`);
      announce(text);
    } catch (err) {
      busy = false;
      restore();
      if (!(err instanceof ApiError)) throw err;
      const fieldIssues = orgs.organizationIssues(err);
      if (fieldIssues) {
        showFieldErrors(form, editFields(), fieldIssues);
        focusFirstInvalid(form, fieldIssues);
      } else if (err.status === 404) {
        // Gone meanwhile: show the list as it is now.
        editingId = null;
        editValues = null;
        render($('#org-status'), errorNotice(err));
        $('#org-list-title')?.focus();
        load();
      } else {
        render($('#org-edit-status'), errorNotice(err));
        announce(errorText(err));
      }
    } finally {
      busy = false;
    }
  }

  load();

  return {
    name: 'admin',
    onSubmit(form) {
      if (form.id === 'org-create-form') create(form);
      else if (form.id === 'org-edit-form') save(form);
    },
    onClick(el) {
      if (el.getAttribute('data-action') === 'org-edit') {
        startEdit(el.getAttribute('data-id'));
        return true;
      }
      if (el.id === 'org-edit-cancel') {
        stopEdit();
        return true;
      }
      if (el.id === 'org-retry') {
        loadError = null;
        draw();
        load();
        return true;
      }
      return false;
    },
    keep() {
      rememberEdit();
      const name = document.getElementById('org-name');
      const kind = document.getElementById('org-kind');
      return {
        create: { name: name ? name.value : created.name, kind: kind ? kind.value : created.kind },
        editingId,
        editValues,
      };
    },
    destroy() {
      destroyed = true;
    },
  };
}
