// The "Handlungsempfehlungen" card on a workspace's page: its drafts and finished
// recommendations (status, revision, last change), live, and a form that starts a new
// draft with a title. The detail view owns the page and the workspace topic; it passes
// the topic's recommendation events here.

import { html, render } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDateTime, formatDate } from '../lib/i18n.js';
import { $, announce, errorNotice, busyButton, renderKeepingFocus, reportFieldErrors, resetFieldErrors } from '../lib/ui.js';
import * as rec from '../state/recommendations.js';
import { isOverdue } from '../state/tracking.js';

export function createRecommendationList({ ctx, workspaceId, getWorkspace }) {
  const base = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/recommendations`;
  let items = null; // null: not loaded
  let loadError = null;
  let destroyed = false;
  let busy = false;
  let formShown = null;
  let due = null; // reports due: null while loading or when not readable
  const fresh = new Map(); // id → time, for a short highlight of what arrived live

  const canRead = () => ctx.isAdmin() || ctx.roleIn(workspaceId) !== null;
  const canCreate = () => {
    const ws = getWorkspace();
    if (ws && ws.archived) return false;
    return ctx.isAdmin() || ['coordinator', 'member'].includes(ctx.roleIn(workspaceId));
  };

  async function load() {
    if (!canRead() || destroyed) return;
    try {
      const { data } = await ctx.call(ctx.api.get(base));
      const loaded = Array.isArray(data?.items) ? data.items : [];
      // Events that arrived while loading are newer or equal; keep whichever is newer.
      let merged = loaded;
      for (const held of items ?? []) merged = rec.upsertRecommendation(merged, held);
      items = merged;
      loadError = null;
    } catch (err) {
      loadError = err;
    }
    refresh();
  }

  async function loadDue() {
    if (!canRead() || destroyed) return;
    try {
      const { data } = await ctx.call(ctx.api.get(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}/reports-due`));
      due = Array.isArray(data?.items) ? data.items : [];
    } catch {
      due = null;
    }
    if (destroyed) return;
    const box = $('#recs-due');
    if (box) renderKeepingFocus(box, dueTemplate());
  }

  function dueTemplate() {
    if (due === null) return html``;
    const sorted = due.slice().sort((a, b) => String(a.reportDueOn).localeCompare(String(b.reportDueOn)));
    return html`<section class="rec-due" aria-labelledby="recs-due-title" data-testid="reports-due">
      <h3 id="recs-due-title">${t('tracking.due.title')}</h3>
      ${sorted.length === 0 ? html`<p class="muted">${t('tracking.due.none')}</p>` : html`
        <p class="small muted">${t('tracking.due.intro')}</p>
        <ul class="due-list" aria-labelledby="recs-due-title">${sorted.map((e) => {
          const date = formatDate(e.reportDueOn, getLang());
          const overdue = isOverdue(e.reportDueOn);
          return html`<li data-testid="report-due" data-ref="${e.reference}">
            <a href="#/catalogue/${encodeURIComponent(e.reference)}"><span class="mono">${e.reference}</span> ${e.profile?.title ?? ''}</a>
            <span class="${overdue ? 'due-overdue' : 'muted'}">${overdue ? html`<strong>${t('tracking.due.overdue', { date })}</strong>` : t('tracking.due.on', { date })}</span>
          </li>`;
        })}</ul>`}
    </section>`;
  }

  function statusBadge(r) {
    return r.status === 'finished'
      ? html`<span class="badge badge-finished">${t('rec.status.finished')}</span>`
      : html`<span class="badge badge-draft">${t('rec.status.draft')}</span>`;
  }

  function rowTemplate(r) {
    const when = fresh.get(r.id);
    const isFresh = when && Date.now() - when < 4000;
    return html`<li class="rec-row ${isFresh ? 'is-new' : ''}" data-id="${r.id}" data-testid="recommendation-row" data-status="${r.status}">
      <h3 class="rec-row-title"><a href="#/recommendations/${encodeURIComponent(r.id)}">${r.profile?.title || t('rec.untitled')}</a></h3>
      <p class="ws-meta">
        ${statusBadge(r)}
        ${r.reference ? html`<span class="mono">${r.reference}</span>` : ''}
        <span>${t('rec.revisionN', { n: r.revision })}</span>
        <span class="muted">${t('rec.updatedAt', { date: formatDateTime(r.updatedAt, getLang()) })}</span>
      </p>
    </li>`;
  }

  function listTemplate() {
    if (!canRead()) return html`<p class="muted">${t('rec.list.membersOnly')}</p>`;
    if (loadError && items === null) return html`${errorNotice(loadError)}<p><button type="button" class="button secondary" id="recs-retry">${t('app.retry')}</button></p>`;
    if (items === null) return html`<p class="loading">${t('app.loading')}</p>`;
    const sorted = rec.sortRecommendations(items);
    if (sorted.length === 0) return html`<p class="muted" data-testid="recommendation-empty">${t('rec.list.empty')}</p>`;
    const drafts = sorted.filter((r) => r.status !== 'finished').length;
    return html`
      <p class="count">${t('rec.list.count', { drafts, finished: sorted.length - drafts })}</p>
      <ul class="rec-list" data-testid="recommendation-list" aria-labelledby="recs-title">${sorted.map(rowTemplate)}</ul>`;
  }

  function formTemplate() {
    formShown = canCreate();
    if (!formShown) return html``;
    return html`
      <form id="rec-create-form" class="form rec-create" novalidate aria-labelledby="rec-create-title">
        <h3 id="rec-create-title">${t('rec.create.title')}</h3>
        <div id="rec-create-errors" class="error-summary" tabindex="-1" aria-labelledby="rec-create-errors-title" hidden></div>
        <div class="field">
          <label for="rec-new-title">${t('rec.create.label')}</label>
          <p class="hint" id="rec-new-title-hint">${t('rec.create.hint')}</p>
          <p class="field-error" id="rec-new-title-error" hidden></p>
          <input id="rec-new-title" name="title" type="text" autocomplete="off" required aria-required="true" aria-describedby="rec-new-title-hint" maxlength="200">
        </div>
        <div class="actions"><button type="submit" class="button primary" id="rec-create-submit">${t('rec.create.submit')}</button></div>
      </form>`;
  }

  function cardTemplate() {
    if (!canRead()) return html``;
    return html`<section class="card detail-wide" id="detail-recommendations" aria-labelledby="recs-title" data-testid="recommendations-card">
      <h2 id="recs-title">${t('rec.list.title')}</h2>
      <p class="muted">${t('rec.list.intro')}</p>
      <div id="recs-create">${formTemplate()}</div>
      <div id="recs-list">${listTemplate()}</div>
      <div id="recs-due">${dueTemplate()}</div>
    </section>`;
  }

  function refresh() {
    if (destroyed) return;
    const list = $('#recs-list');
    if (list) renderKeepingFocus(list, listTemplate());
    const form = $('#recs-create');
    if (form && formShown !== canCreate()) renderKeepingFocus(form, formTemplate());
  }

  const fieldMap = () => ({ title: { input: 'rec-new-title', error: 'rec-new-title-error', label: t('rec.create.label') } });

  async function create(form) {
    if (busy) return;
    const title = rec.normalizeValue('title', form.elements.namedItem('title').value);
    const issues = rec.validateSection('title', title);
    if (issues.length) {
      reportFieldErrors(form, fieldMap(), issues, 'rec-create-errors');
      return;
    }
    resetFieldErrors(form, fieldMap(), 'rec-create-errors');
    busy = true;
    const restore = busyButton($('#rec-create-submit'), t('rec.create.submitting'));
    try {
      const { data } = await ctx.call(ctx.api.post(base, { title }));
      items = rec.upsertRecommendation(items ?? [], data);
      ctx.app.flash = { kind: 'info', text: t('rec.create.done', { title: data.profile?.title ?? title }) };
      announce(t('rec.create.done', { title: data.profile?.title ?? title }));
      ctx.navigate(`#/recommendations/${encodeURIComponent(data.id)}`);
    } catch (err) {
      restore();
      if (err instanceof ApiError && err.fields.length) reportFieldErrors(form, fieldMap(), err.fields, 'rec-create-errors');
      else {
        const summary = $('#rec-create-errors');
        render(summary, html`<h4 id="rec-create-errors-title">${t('create.errors.title')}</h4>${errorNotice(err)}`);
        summary.hidden = false;
        summary.focus();
      }
    } finally {
      busy = false;
    }
  }

  return {
    cardTemplate,
    start() {
      load();
      loadDue();
    },
    refresh,
    onTopicEvent(event) {
      if (!event.name || !event.name.startsWith('recommendation.')) return;
      const known = items && items.some((r) => r.id === event.data?.id);
      const before = items;
      items = rec.applyListEvent(items, event, workspaceId);
      if (items === before) return;
      if (event.name === 'recommendation.created' && !known) {
        fresh.set(event.data.id, Date.now());
        announce(t('rec.live.created', { title: event.data.profile?.title ?? '' }));
      } else if (event.name === 'recommendation.finished') {
        loadDue();
        announce(t('rec.live.finished', { title: event.data.profile?.title ?? '', reference: event.data.reference ?? '' }));
      }
      refresh();
    },
    onSubmit(form) {
      if (form.id === 'rec-create-form') {
        create(form);
        return true;
      }
      return false;
    },
    onClick(el) {
      if (el.id === 'recs-retry') {
        loadError = null;
        refresh();
        load();
        return true;
      }
      return false;
    },
    destroy() {
      destroyed = true;
    },
  };
}
