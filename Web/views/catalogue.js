// The public catalogue of recommendations (#/catalogue, #/catalogue/<HE-…>): no sign-in
// needed. Filters by policy field, workspace, year, status and rating, and full-text
// search; the filters are part of the address (shareable) and of the CSV download link.
// Results are an accordion (WAI-ARIA pattern: a heading with a button that has
// aria-expanded, controlling the panel) that unfolds the whole profile. Entries that are
// added or rated while the page is open arrive live (topic `catalogue`, public).

import { html, render, attrs } from '../lib/html.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDate, formatDateTime, localizeFieldError } from '../lib/i18n.js';
import { $, announce, setTitle, errorNotice, focusHeading, renderKeepingFocus } from '../lib/ui.js';
import * as cat from '../state/catalogue.js';
import * as dir from '../state/workspaces.js';
import { profileTemplate, ratingBadge, ratingLabel } from './profile.js';
import { trackingTemplate, statusBadge, trackingStatusLabel, decisionFormTemplate, reportFormTemplate, submitTrackingForm } from './tracking.js';

const TRACKING_EVENTS = ['catalogue.decisionRecorded', 'catalogue.reportAdded'];

function statusLabel(status) {
  return cat.CATALOGUE_STATUSES.includes(status) ? t(`catalogue.status.${status}`) : String(status ?? '');
}

async function loadPolicyFields(ctx) {
  if (ctx.app.directory.loaded && Object.keys(ctx.app.directory.policyFields).length) return Object.values(ctx.app.directory.policyFields);
  try {
    const { data } = await ctx.api.get('/api/v1/policy-fields');
    return Array.isArray(data?.items) ? data.items : [];
  } catch {
    return [];
  }
}

function policyNameFrom(fields) {
  return (pid) => {
    const pf = fields.find((f) => f.id === pid);
    return pf ? dir.policyFieldName(pf, getLang()) : null;
  };
}

function entryMeta(entry) {
  return html`
    <span class="mono">${entry.reference}</span>
    <span>${entry.workspaceName}</span>
    <span>${t('catalogue.year', { year: entry.year })}</span>
    ${statusBadge(entry)}
    ${entry.consensus ? ratingBadge(entry.consensus.level) : ''}
    ${entry.consensus && !entry.inDossier ? html`<span class="small muted">${t('catalogue.notInDossier')}</span>` : ''}`;
}

function consensusTemplate(entry, level) {
  if (!entry.consensus) return html`<p class="muted">${t('catalogue.notRatedYet')}</p>`;
  return html`
    <p>${ratingBadge(entry.consensus.level)} <span class="small muted">${t('catalogue.ratedOn', { date: formatDateTime(entry.consensus.at, getLang()) })}</span></p>
    ${level === 2 ? html`<h3 class="h4">${t('catalogue.justification')}</h3>` : html`<h4>${t('catalogue.justification')}</h4>`}
    <p class="pre-line">${entry.consensus.justification}</p>`;
}

// ---------------------------------------------------------------- the list

export function mountCatalogue(target, route, keep, ctx) {
  let filters = cat.filtersFromQuery(cat.hashQuery(location.hash));
  let state = cat.initialCatalogue();
  let policyFields = [];
  let loadError = null;
  let destroyed = false;
  let requestSeq = 0;
  let subscribed = false;
  const open = new Set(keep?.open ?? []);
  const fresh = new Map();
  let announceCount = false;

  setTitle(t('catalogue.title').replace(/\u00AD/g, ''));
  ctx.ensureLive();

  const policyFieldName = () => policyNameFrom(policyFields);

  function optionsTemplate() {
    const fields = policyFields.slice().sort((a, b) => ctx.compare(dir.policyFieldName(a, getLang()), dir.policyFieldName(b, getLang())));
    const workspaces = Object.entries(state.facets.workspaces).sort((a, b) => ctx.compare(a[1], b[1]));
    if (filters.workspace && !state.facets.workspaces[filters.workspace]) workspaces.push([filters.workspace, t('catalogue.filter.unknownWorkspace')]);
    const years = state.facets.years.slice();
    if (filters.year && !years.includes(Number(filters.year))) years.push(Number(filters.year));
    return html`
      <div class="field">
        <label for="cat-policyField">${t('catalogue.filter.policyField')}</label>
        <select id="cat-policyField" name="policyField">
          <option value="">${t('catalogue.filter.all.policyField')}</option>
          ${fields.map((pf) => html`<option value="${pf.id}" ${attrs({ selected: filters.policyField === pf.id })}>${dir.policyFieldName(pf, getLang())}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="cat-workspace">${t('catalogue.filter.workspace')}</label>
        <select id="cat-workspace" name="workspace">
          <option value="">${t('catalogue.filter.all.workspace')}</option>
          ${workspaces.map(([wid, name]) => html`<option value="${wid}" ${attrs({ selected: filters.workspace === wid })}>${name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="cat-year">${t('catalogue.filter.year')}</label>
        <select id="cat-year" name="year">
          <option value="">${t('catalogue.filter.all.year')}</option>
          ${years.sort((a, b) => b - a).map((y) => html`<option value="${String(y)}" ${attrs({ selected: filters.year === String(y) })}>${String(y)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="cat-status">${t('catalogue.filter.status')}</label>
        <select id="cat-status" name="status">
          <option value="">${t('catalogue.filter.all.status')}</option>
          ${cat.CATALOGUE_STATUSES.map((s) => html`<option value="${s}" ${attrs({ selected: filters.status === s })}>${statusLabel(s)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="cat-rating">${t('catalogue.filter.rating')}</label>
        <select id="cat-rating" name="rating">
          <option value="">${t('catalogue.filter.all.rating')}</option>
          ${cat.RATING_LEVELS.map((l) => html`<option value="${l}" ${attrs({ selected: filters.rating === l })}>${ratingLabel(l)}</option>`)}
        </select>
      </div>`;
  }

  function formTemplate() {
    return html`
      <form id="cat-filters" class="filters cat-filters" role="search" aria-labelledby="cat-filters-title" data-testid="catalogue-filters">
        <h2 id="cat-filters-title" class="visually-hidden">${t('catalogue.filters')}</h2>
        <div class="field cat-search">
          <label for="cat-q">${t('catalogue.filter.q')}</label>
          <p class="hint" id="cat-q-hint">${t('catalogue.filter.qHint')}</p>
          <p class="field-error" id="cat-q-error" hidden></p>
          <div class="inline-controls">
            <input id="cat-q" name="q" type="search" maxlength="200" autocomplete="off" value="${filters.q}" aria-describedby="cat-q-hint">
            <button type="submit" class="button primary" id="cat-search">${t('catalogue.filter.search')}</button>
          </div>
        </div>
        <div id="cat-options" class="cat-options">${optionsTemplate()}</div>
        <p class="cat-reset"><a href="#/catalogue" id="cat-reset" ${attrs({ hidden: !cat.hasFilters(filters) })}>${t('catalogue.filter.reset')}</a></p>
      </form>`;
  }

  function countText(n) {
    if (n === 0) return t('catalogue.count.zero');
    if (n === 1) return t('catalogue.count.one');
    return t('catalogue.count', { count: n });
  }

  function entryTemplate(entry) {
    const key = entry.reference;
    const expanded = open.has(key);
    const when = fresh.get(key);
    const isFresh = when && Date.now() - when < 4000;
    return html`<li class="cat-entry ${isFresh ? 'is-new' : ''}" data-ref="${key}" data-testid="catalogue-entry">
      <h2 class="cat-heading">
        <button type="button" class="cat-toggle" id="cat-${key}-button" data-ref="${key}" aria-expanded="${expanded ? 'true' : 'false'}" aria-controls="cat-${key}-panel">
          <span class="cat-title">${entry.profile?.title ?? key}</span>
          <span class="cat-chevron" aria-hidden="true"></span>
        </button>
      </h2>
      <p class="ws-meta cat-meta">${entryMeta(entry)}</p>
      <div class="cat-panel" id="cat-${key}-panel" data-testid="catalogue-panel" ${attrs({ hidden: !expanded })}>${expanded ? panelTemplate(entry) : ''}</div>
    </li>`;
  }

  function panelTemplate(entry) {
    return html`
      <p class="small muted">${t('catalogue.finishedOn', { date: formatDate(String(entry.finishedAt ?? '').slice(0, 10), getLang()), revision: entry.revision })}</p>
      ${profileTemplate(entry.profile, { level: 3, idPrefix: `cat-${entry.reference}`, policyFieldName: policyFieldName() })}
      <section class="profile-section" aria-labelledby="cat-${entry.reference}-rating">
        <h3 id="cat-${entry.reference}-rating">${t('catalogue.rating')}</h3>
        ${consensusTemplate(entry, 3)}
      </section>
      <section class="profile-section tracking" aria-labelledby="cat-${entry.reference}-tracking" data-testid="tracking">
        ${trackingTemplate(entry, { level: 3, prefix: `cat-${entry.reference}` })}
      </section>
      <p><a href="#/catalogue/${encodeURIComponent(entry.reference)}">${t('catalogue.permalink', { reference: entry.reference })}</a></p>`;
  }

  function resultsTemplate() {
    if (loadError && state.items === null) {
      const fieldIssue = loadError instanceof ApiError && loadError.fields.length ? loadError.fields.map((f) => localizeFieldError(f, getLang())).join(' ') : null;
      return html`${fieldIssue ? html`<div class="notice notice-error" role="alert"><p>${fieldIssue}</p></div>` : errorNotice(loadError)}
        <p><button type="button" class="button secondary" id="cat-retry">${t('app.retry')}</button></p>`;
    }
    if (state.items === null) return html`<p class="loading">${t('app.loading')}</p>`;
    const items = state.items;
    return html`
      <div class="cat-toolbar">
        <p class="count" id="cat-count" data-testid="catalogue-count">${countText(items.length)}</p>
        <a class="button secondary" id="cat-csv" href="${cat.cataloguePath(filters, { csv: true })}" download="handlungsempfehlungen.csv" data-testid="catalogue-csv">${t('catalogue.csv')}</a>
        ${filters.year && items.some((e) => e.inDossier) ? html`
          <a class="button secondary" href="${`/api/v1/dossiers/${filters.year}/pdf`}" data-testid="catalogue-dossier-pdf">${t('catalogue.dossierPdf', { year: filters.year })}</a>
          <a class="button secondary" href="${`/api/v1/dossiers/${filters.year}/html`}" data-testid="catalogue-dossier-html">${t('catalogue.dossierHtml', { year: filters.year })}</a>` : ''}
      </div>
      ${items.length === 0 ? html`<p class="empty">${cat.hasFilters(filters) ? t('catalogue.emptyFiltered') : t('catalogue.empty')}</p>` : ''}
      <ul class="cat-list" data-testid="catalogue-list" aria-labelledby="page-title">${items.map(entryTemplate)}</ul>`;
  }

  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('catalogue.title')}</h1>
    <p class="lead">${t('catalogue.intro')}</p>
    ${ctx.app.session ? '' : html`<p class="small">${t('catalogue.public')} <a href="#/signin">${t('catalogue.signInLink')}</a></p>`}
    ${ctx.flashTemplate()}
    ${formTemplate()}
    <div id="cat-results"></div>`);

  function drawResults() {
    if (destroyed) return;
    const region = $('#cat-results');
    if (region) renderKeepingFocus(region, resultsTemplate());
    if (announceCount && state.items !== null) {
      announceCount = false;
      announce(countText(state.items.length));
    }
  }

  function drawOptions() {
    const box = $('#cat-options');
    if (box) renderKeepingFocus(box, optionsTemplate());
    const reset = $('#cat-reset');
    if (reset) reset.hidden = !cat.hasFilters(filters);
  }

  async function loadList() {
    const seq = ++requestSeq;
    const wanted = filters;
    const needsFacets = cat.hasFilters(wanted) && !state.facetsLoaded;
    try {
      const [list, all] = await Promise.all([
        ctx.api.get(cat.cataloguePath(wanted)),
        needsFacets ? ctx.api.get('/api/v1/catalogue') : Promise.resolve(null),
      ]);
      if (destroyed || seq !== requestSeq) return null;
      state = cat.applyList(state, list.data ?? {}, { facets: false });
      if (all) state = { ...state, facets: cat.facetsOf(all.data?.items ?? [], state.facets) };
      if (!cat.hasFilters(wanted) || all) state = { ...state, facetsLoaded: true };
      loadError = null;
      drawOptions();
      drawResults();
      return state.cursor && typeof state.cursor.seq === 'number' ? { epoch: state.cursor.epoch, seq: state.cursor.seq } : null;
    } catch (err) {
      if (destroyed || seq !== requestSeq) return null;
      loadError = err;
      state = { ...state, items: null };
      drawResults();
      throw err;
    }
  }

  function applyFilters(next, { push = true } = {}) {
    if (cat.sameFilters(next, filters)) return;
    filters = next;
    const hash = cat.catalogueHash(filters);
    if (push) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
    announceCount = true;
    state = { ...state, items: null };
    drawOptions();
    drawResults();
    loadList().catch(() => {});
  }

  function readFilters() {
    const form = $('#cat-filters');
    const get = (name) => form.elements.namedItem(name)?.value ?? '';
    return cat.filtersFromQuery(new URLSearchParams(cat.filtersToQuery({
      policyField: get('policyField'), workspace: get('workspace'), year: get('year'), status: get('status'), rating: get('rating'), q: get('q'),
    })));
  }

  Promise.all([loadPolicyFields(ctx).then((f) => {
    policyFields = f;
    if (!destroyed) drawOptions();
  }), loadList()]).then(([, cursor]) => {
    if (destroyed || !ctx.app.live) return;
    ctx.app.live.subscribe('catalogue', { cursor: cursor ?? null, reload: loadList });
    subscribed = true;
  }).catch(() => {});
  drawResults();

  async function refetchEntry(reference) {
    if (!reference || !(state.items ?? []).some((e) => e.reference === reference)) return;
    try {
      const { data } = await ctx.api.get(`/api/v1/catalogue/${encodeURIComponent(reference)}`);
      if (destroyed || !state.items) return;
      const before = state.items.find((e) => e.reference === reference);
      state = { ...state, items: state.items.map((e) => (e.reference === reference ? data : e)) };
      if (before && before.status !== data.status) announce(t('catalogue.live.tracking', { reference, status: trackingStatusLabel(data.status) }));
      drawResults();
    } catch {
      /* the next reload brings it */
    }
  }

  function toggle(button) {
    const key = button.getAttribute('data-ref');
    const entry = (state.items ?? []).find((e) => e.reference === key);
    const panel = document.getElementById(`cat-${key}-panel`);
    if (!entry || !panel) return;
    const expand = button.getAttribute('aria-expanded') !== 'true';
    if (expand) open.add(key);
    else open.delete(key);
    button.setAttribute('aria-expanded', expand ? 'true' : 'false');
    if (expand) render(panel, panelTemplate(entry));
    panel.hidden = !expand;
  }

  return {
    name: 'catalogue',
    onSubmit(form) {
      if (form.id === 'cat-filters') applyFilters(readFilters());
    },
    onChange(el) {
      if (el.form && el.form.id === 'cat-filters' && el.tagName === 'SELECT') applyFilters(readFilters());
    },
    onClick(el) {
      if (el.classList.contains('cat-toggle')) {
        toggle(el);
        return true;
      }
      if (el.id === 'cat-reset') {
        applyFilters({ ...cat.EMPTY_FILTERS });
        const q = $('#cat-q');
        if (q) q.value = '';
        $('#cat-q')?.focus();
        return true;
      }
      if (el.id === 'cat-retry') {
        loadError = null;
        drawResults();
        loadList().catch(() => {});
        return true;
      }
      return false;
    },
    onTopicEvent(event) {
      if (event.topic !== 'catalogue') return;
      if (TRACKING_EVENTS.includes(event.name)) {
        refetchEntry(event.data?.reference);
        return;
      }
      const { state: next, change } = cat.applyCatalogueEvent(state, event, filters);
      state = next;
      if (change === 'added') {
        fresh.set(event.data.reference, Date.now());
        announce(t('catalogue.live.added', { reference: event.data.reference, title: event.data.profile?.title ?? '' }));
      } else if (change === 'updated' && event.name === 'catalogue.consensusSet') {
        announce(t('catalogue.live.rated', { reference: event.data.reference, rating: ratingLabel(event.data.consensus?.level) }));
      }
      drawOptions();
      if (change) drawResults();
    },
    keep() {
      return { open: [...open] };
    },
    destroy() {
      destroyed = true;
      if (subscribed && ctx.app.live) ctx.app.live.unsubscribe('catalogue');
    },
  };
}

// ---------------------------------------------------------------- one entry

export function mountCatalogueEntry(target, route, keep, ctx) {
  const reference = route.reference;
  let destroyed = false;
  let policyFields = [];
  let entry = null;
  let drawn = false;
  let busy = false;
  render(target, html`<p class="loading">${t('app.loading')}</p><h1 id="page-title" tabindex="-1" class="visually-hidden">${reference}</h1>`);
  setTitle(reference);
  ctx.ensureLive();

  const canDecide = () => ctx.isAdmin();
  const canReport = () => Boolean(entry) && (ctx.isAdmin() || ['coordinator', 'member'].includes(ctx.roleIn(entry.workspaceId)));

  function formsTemplate() {
    if (!ctx.app.session || !entry) return '';
    return html`
      ${canDecide() ? html`<section class="card" id="entry-decision-card">${decisionFormTemplate()}</section>` : ''}
      ${canReport() ? html`<section class="card" id="entry-report-card">${reportFormTemplate(entry)}</section>` : ''}`;
  }

  function drawTracking() {
    if (destroyed || !drawn) return;
    const meta = $('#entry-meta');
    if (meta) renderKeepingFocus(meta, entryMeta(entry));
    const box = $('#entry-tracking-box');
    if (box) renderKeepingFocus(box, trackingTemplate(entry, { level: 2, prefix: 'entry' }));
  }

  function draw(error = null) {
    if (destroyed) return;
    const hadFocus = document.activeElement && document.activeElement.id === 'page-title';
    if (error || !entry) {
      const notFound = error instanceof ApiError && error.status === 404;
      render(target, html`
        <p class="back"><a href="#/catalogue"><span aria-hidden="true">← </span>${t('catalogue.back')}</a></p>
        <h1 id="page-title" tabindex="-1">${notFound ? t('catalogue.notFound', { reference }) : t('catalogue.loadError')}</h1>
        ${notFound ? '' : errorNotice(error)}`);
      drawn = false;
    } else {
      setTitle(`${entry.profile.title} (${entry.reference})`);
      render(target, html`
        <p class="back"><a href="#/catalogue"><span aria-hidden="true">← </span>${t('catalogue.back')}</a></p>
        <article class="cat-article" data-testid="catalogue-article" aria-labelledby="page-title">
          <h1 id="page-title" tabindex="-1">${entry.profile.title}</h1>
          <p class="ws-meta" id="entry-meta">${entryMeta(entry)}</p>
          <p class="small muted">${t('catalogue.finishedOn', { date: formatDate(String(entry.finishedAt ?? '').slice(0, 10), getLang()), revision: entry.revision })}</p>
          <section class="card" aria-labelledby="entry-rating">
            <h2 id="entry-rating">${t('catalogue.rating')}</h2>
            ${consensusTemplate(entry, 2)}
          </section>
          <section class="card tracking" id="entry-tracking-box" aria-labelledby="entry-tracking" data-testid="tracking">${trackingTemplate(entry, { level: 2, prefix: 'entry' })}</section>
          ${formsTemplate()}
          <div class="card">${profileTemplate(entry.profile, { level: 2, idPrefix: 'entry', policyFieldName: policyNameFrom(policyFields) })}</div>
        </article>`);
      drawn = true;
    }
    if (hadFocus) focusHeading();
  }

  async function refetch() {
    try {
      const { data } = await ctx.api.get(`/api/v1/catalogue/${encodeURIComponent(reference)}`);
      if (destroyed) return;
      const before = entry?.status;
      entry = data;
      drawTracking();
      if (before && before !== entry.status) announce(t('catalogue.live.tracking', { reference, status: trackingStatusLabel(entry.status) }));
    } catch {
      /* keep what is shown */
    }
  }

  Promise.all([
    loadPolicyFields(ctx),
    ctx.api.get(`/api/v1/catalogue/${encodeURIComponent(reference)}`),
  ]).then(([fields, { data }]) => {
    policyFields = fields;
    entry = data;
    draw();
    if (!destroyed && ctx.app.live) ctx.app.live.subscribe('catalogue', { cursor: null });
  }).catch((err) => draw(err));

  return {
    name: 'catalogueEntry',
    onSubmit(form) {
      if ((form.id !== 'decision-form' && form.id !== 'report-form') || !entry || busy) return;
      busy = true;
      submitTrackingForm(form, entry, ctx).then((ok) => (ok ? refetch() : null)).finally(() => {
        busy = false;
      });
    },
    onTopicEvent(event) {
      if (event.topic !== 'catalogue' || !event.data || event.data.reference !== reference) return;
      if (TRACKING_EVENTS.includes(event.name)) {
        refetch();
        return;
      }
      entry = event.data;
      drawTracking();
      if (event.name === 'catalogue.consensusSet') {
        const box = $('#entry-rating')?.parentElement;
        if (box) renderKeepingFocus(box, html`<h2 id="entry-rating">${t('catalogue.rating')}</h2>${consensusTemplate(entry, 2)}`);
        announce(t('catalogue.live.rated', { reference, rating: ratingLabel(entry.consensus?.level) }));
      }
    },
    destroy() {
      destroyed = true;
      if (ctx.app.live) ctx.app.live.unsubscribe('catalogue');
    },
  };
}
