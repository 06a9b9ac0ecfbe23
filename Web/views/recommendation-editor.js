// The editor of one recommendation (#/recommendations/<id>): the profile as labelled
// sections, saved one by one or all at once (only what changed is sent), presence per
// section, live changes of others, the merge of a section both changed, the completeness
// checklist, the sign-off panel, similar drafts in other workspaces and a link to the
// history. Observers, finished recommendations and archived workspaces read only.
//
// Nothing typed is lost: every edit is kept in sessionStorage (per tab) until it is saved
// or equals the server's text; a section that someone else changed meanwhile is never
// overwritten, but shown side by side with the person's text to merge (state in
// state/recommendations.js).

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { renderMarkdown } from '../lib/markdown.js';
import { t, tn, getLang, formatDateTime, localizeFieldError, hasMessage } from '../lib/i18n.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, focusHeading } from '../lib/ui.js';
import * as rec from '../state/recommendations.js';
import * as dir from '../state/workspaces.js';
import { valueTemplate, sectionLabel, impactLabel, directionLabel } from './profile.js';
import { createComments } from './recommendation-comments.js';

function storage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function mountRecommendationEditor(target, route, keep, ctx) {
  const { app } = ctx;
  const id = route.id;
  const path = `/api/v1/recommendations/${encodeURIComponent(id)}`;
  const selfId = app.session?.user?.id ?? null;
  const draftKey = rec.DRAFT_PREFIX + id;

  let editor = rec.initialEditor(null);
  let signOff = null; // { slots, mayGiveAs, missing }
  let workspaceId = null;
  let topic = null;
  let subscribed = false;
  let presence = [];
  let similar = null;
  let similarAfterSave = false;
  let loadError = null;
  let rendered = false;
  let destroyed = false;
  let restoredNotice = false;
  const previews = new Set();
  const sectionErrors = {}; // section → [{field, code, message}]
  const saving = new Set();
  const notes = {}; // section → 'saved' | 'changedElsewhere'
  const mergeDrafts = {}; // section → merged text typed in the merge panel
  const contentKeys = {}; // section → key of what its controls show
  const shown = new Map(); // element id → markup last rendered there (skip identical re-renders)
  let refreshTimer = null;
  let focusTimer = null;
  let signOffBusy = false;
  let globalStatus = null; // SafeHtml shown above the sections
  let flash = ctx.flashTemplate();

  render(target, html`<p class="loading">${t('app.loading')}</p><h1 id="page-title" tabindex="-1" class="visually-hidden">${t('app.loading')}</h1>`);
  setTitle(t('app.loading'));

  // ------------------------------------------------------------ who may do what

  const server = () => editor.server;
  const workspace = () => (workspaceId ? app.directory.workspaces[workspaceId] ?? null : null);
  const role = () => (workspaceId ? ctx.roleIn(workspaceId) : null);
  function canEdit() {
    const r = server();
    if (!r || r.status !== 'draft') return false;
    const ws = workspace();
    if (ws && ws.archived) return false;
    return ctx.isAdmin() || role() === 'coordinator' || role() === 'member';
  }
  const policyFieldName = (pid) => ctx.policyFieldName(pid);

  const comments = createComments({
    ctx,
    recommendationId: id,
    getRecommendation: () => server(),
    currentText: (s) => String((server() ? rec.sectionValue(server().profile, s) : '') ?? ''),
    canWrite: () => canEdit(),
    isLead: () => ctx.isAdmin() || role() === 'coordinator',
    onAccepted: () => scheduleRefresh(),
  });

  // ------------------------------------------------------------ loading

  async function loadDetail() {
    const { data } = await ctx.call(ctx.api.get(path));
    if (destroyed) return null;
    applyDetail(data);
    return data.cursor && typeof data.cursor.seq === 'number' ? { epoch: data.cursor.epoch, seq: data.cursor.seq } : null;
  }

  function applyDetail(data) {
    if (!data || !data.recommendation) return;
    const first = editor.server === null;
    if (first) {
      editor = rec.initialEditor(data.recommendation);
      const stored = storage()?.getItem(draftKey);
      if (stored) {
        const before = editor;
        editor = rec.restoreDraft(editor, stored);
        restoredNotice = rec.dirtySections(editor).length > 0 && editor !== before;
        persist();
      }
    } else {
      absorb(data.recommendation, { announceChanges: false });
    }
    signOff = data.signOff ?? signOff;
    workspaceId = data.recommendation.workspaceId;
    topic = `workspace:${workspaceId}`;
    loadError = null;
    update();
    if (!first) comments.refreshAll();
  }

  async function loadSimilar() {
    try {
      const { data } = await ctx.call(ctx.api.get(`${path}/similar`));
      if (destroyed) return;
      similar = Array.isArray(data?.items) ? data.items : [];
    } catch {
      similar = similar ?? [];
    }
    renderSide();
  }

  function scheduleRefresh() {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (destroyed) return;
      loadDetail().catch(() => {});
    }, 250);
  }

  function start() {
    loadDetail()
      .then((cursor) => {
        if (destroyed || !app.live || !topic) return;
        comments.start();
        app.live.subscribe(topic, { cursor, reload: loadDetail });
        subscribed = true;
        loadSimilar();
      })
      .catch((err) => {
        loadError = err;
        update();
      });
  }

  // ------------------------------------------------------------ state changes

  function persist() {
    const store = storage();
    if (!store) return;
    try {
      const text = rec.serializeDraft(editor);
      if (text) store.setItem(draftKey, text);
      else store.removeItem(draftKey);
    } catch {
      /* storage full or refused: the edits stay in this page */
    }
  }

  /** Takes a newer server state; says which sections others changed. */
  function absorb(recommendation, { announceChanges = true } = {}) {
    const before = editor;
    const pendingBefore = new Set(rec.pendingSections(before));
    editor = rec.absorb(editor, recommendation);
    if (editor === before) return;
    // Our own save may come back over the live connection before its HTTP answer: the
    // sections being saved are not "changed by someone else".
    const changed = before.server ? rec.changedSections(before.server.profile, editor.server.profile).filter((s) => !saving.has(s)) : [];
    const newlyPending = rec.pendingSections(editor).filter((s) => !pendingBefore.has(s));
    for (const s of changed) notes[s] = 'changedElsewhere';
    persist();
    if (announceChanges && changed.length) {
      const names = changed.map(sectionLabel).join(', ');
      announce(newlyPending.length
        ? t('rec.live.conflict', { sections: newlyPending.map(sectionLabel).join(', ') })
        : t('rec.live.changed', { sections: names }));
    }
    if (before.server && before.server.status !== 'finished' && editor.server.status === 'finished') {
      announce(t('rec.live.finishedHere', { reference: editor.server.reference ?? '' }));
    }
  }

  // ------------------------------------------------------------ templates: head and side panels

  function statusBadge(r) {
    return r.status === 'finished'
      ? html`<span class="badge badge-finished">${t('rec.status.finished')}</span>`
      : html`<span class="badge badge-draft">${t('rec.status.draft')}</span>`;
  }

  function headTemplate() {
    const r = server();
    const ws = workspace();
    const wsName = ws ? ws.name : ctx.workspaceName(workspaceId) ?? t('rec.workspace');
    return html`
      <p class="back"><a href="#/workspaces/${encodeURIComponent(r.workspaceId)}"><span aria-hidden="true">← </span>${t('rec.backToWorkspace', { name: wsName })}</a></p>
      <h1 id="page-title" tabindex="-1">${r.profile.title || t('rec.untitled')}</h1>
      <p class="ws-meta" data-testid="recommendation-meta">
        <span class="badge badge-rec">${t('rec.kind')}</span>
        ${statusBadge(r)}
        <span data-testid="recommendation-revision">${t('rec.revisionN', { n: r.revision })}</span>
        <span class="muted">${t('rec.updatedAt', { date: formatDateTime(r.updatedAt, getLang()) })}</span>
      </p>
      ${summaryTemplate()}
      ${r.status === 'finished' ? html`<div class="notice notice-success" data-testid="recommendation-finished"><p>${t('rec.finishedNotice', { reference: r.reference ?? '' })}
        ${r.reference ? html`<a href="#/catalogue/${encodeURIComponent(r.reference)}">${t('rec.toCatalogue', { reference: r.reference })}</a>` : ''}</p></div>` : ''}
      ${r.status === 'draft' && !canEdit() ? html`<div class="notice notice-info" data-testid="recommendation-readonly"><p>${readOnlyReason()}</p></div>` : ''}`;
  }

  /** One line under the title: what is missing, where the sign-off stands, who is here (links to the panels). */
  function summaryTemplate() {
    const r = server();
    if (r.status !== 'draft' || !signOff) return html``;
    const missing = signOff.missing ?? [];
    const given = (signOff.slots ?? []).filter((slot) => slot.given).length;
    const needed = (signOff.slots ?? []).length;
    const others = Object.values(rec.presenceBySection(presence, id, selfId).bySection).flat().length;
    return html`<p class="rec-summary small" data-testid="recommendation-summary">
      <a href="#rec-check" data-focus="rec-check-title">${missing.length ? (missing.length === 1 ? t('rec.summary.missingOne') : t('rec.summary.missing', { count: missing.length })) : t('rec.summary.complete')}</a>
      · <a href="#rec-signoff" data-focus="rec-signoff-title">${t('rec.summary.signOffs', { given, needed })}</a>
      ${others ? html` · <a href="#rec-presence" data-focus="rec-presence-title">${tn('rec.summary.others', others)}</a>` : ''}
      · <a href="#/recommendations/${encodeURIComponent(id)}/history">${t('rec.history.title')}</a>
    </p>`;
  }

  function readOnlyReason() {
    const ws = workspace();
    if (ws && ws.archived) return t('rec.readOnly.archived');
    if (role() === 'observer') return t('rec.readOnly.observer');
    return t('rec.readOnly.generic');
  }

  function presenceTemplate() {
    const p = rec.presenceBySection(presence, id, selfId);
    const working = Object.entries(p.bySection).flatMap(([s, users]) => users.map((u) => ({ user: u, section: s })));
    return html`
      <h2 id="rec-presence-title" tabindex="-1">${t('rec.presence.title')}</h2>
      ${working.length
        ? html`<ul class="plain presence-list" data-testid="recommendation-presence">${working.map((w) => html`<li><span class="presence-dot" aria-hidden="true"></span>${t('rec.presence.inSection', { name: w.user.displayName || '?', section: sectionLabel(w.section) })}</li>`)}</ul>`
        : html`<p class="muted" data-testid="recommendation-presence">${t('rec.presence.none')}</p>`}
      ${p.here.length || p.elsewhere.length ? html`<p class="muted small">${t('rec.presence.alsoHere', { names: [...p.here, ...p.elsewhere].map((u) => u.displayName || '?').join(', ') })}</p>` : ''}`;
  }

  function missingTemplate() {
    const r = server();
    if (r.status === 'finished') return html`<h2 id="rec-check-title" tabindex="-1">${t('rec.check.title')}</h2><p>${t('rec.check.finished')}</p>`;
    const missing = signOff?.missing ?? [];
    if (!missing.length) {
      return html`<h2 id="rec-check-title" tabindex="-1">${t('rec.check.title')}</h2><p class="check-ok" data-testid="completeness"><span aria-hidden="true">✓ </span>${t('rec.check.complete')}</p>`;
    }
    return html`
      <h2 id="rec-check-title" tabindex="-1">${t('rec.check.title')}</h2>
      <p data-testid="completeness">${missing.length === 1 ? t('rec.check.missingOne') : t('rec.check.missing', { count: missing.length })}</p>
      <ul class="checklist">${missing.map((m) => {
        const s = rec.sectionOfField(m.field);
        const label = s ? sectionLabel(s) : m.field;
        const text = hasMessage(`rec.missing.${s}`) ? t(`rec.missing.${s}`) : m.message;
        return html`<li>${s && canEdit() ? html`<a href="#sec-${s}" data-focus="${focusTargetOf(s)}">${label}</a>` : label}: ${text}</li>`;
      })}</ul>`;
  }

  function capacityLabel(slot) {
    const c = rec.parseCapacity(slot.capacity);
    if (c.kind === 'coordinator') return t('rec.signOff.coordinator');
    if (c.kind === 'municipality') return t('rec.signOff.municipality', { name: slot.organization || t('rec.signOff.unknownMunicipality') });
    return slot.capacity;
  }

  function signOffTemplate() {
    const r = server();
    const slots = signOff?.slots ?? [];
    const mine = signOff?.mayGiveAs ?? [];
    const missing = signOff?.missing ?? [];
    const dirty = rec.dirtySections(editor).length;
    return html`
      <h2 id="rec-signoff-title" tabindex="-1">${t('rec.signOff.title')}</h2>
      <p class="hint">${r.status === 'finished' ? t('rec.signOff.doneHint') : t('rec.signOff.hint')}</p>
      <ul class="signoff-list" data-testid="signoff-slots">${slots.map((slot) => html`<li class="signoff-slot" data-capacity="${slot.capacity}">
        <span class="signoff-cap">${capacityLabel(slot)}</span>
        ${slot.given
          ? html`<span class="badge badge-on">${t('rec.signOff.given')}</span> <span class="small">${t('rec.signOff.by', { name: slot.given.displayName || '?', date: formatDateTime(slot.given.at, getLang()), n: slot.given.revision })}</span>
              ${r.status === 'draft' && slot.given.userId === selfId ? html`<button type="button" class="button quiet" data-action="signoff-withdraw" data-capacity="${slot.capacity}" id="signoff-withdraw-${slotId(slot.capacity)}">${t('rec.signOff.withdraw')}<span class="visually-hidden"> (${capacityLabel(slot)})</span></button>` : ''}`
          : html`<span class="badge badge-off">${t('rec.signOff.open')}</span>`}
      </li>`)}</ul>
      <div id="signoff-status"></div>
      ${r.status === 'draft' && mine.length ? html`<div class="actions">${mine.map((c) => html`<button type="button" class="button primary" data-action="signoff" data-capacity="${c}" id="signoff-${slotId(c)}" ${attrs({ 'aria-describedby': missing.length || dirty ? 'signoff-blocked' : null })}>${t('rec.signOff.give', { capacity: capacityLabel({ capacity: c, organization: slots.find((s) => s.capacity === c)?.organization }) })}</button>`)}</div>
        ${missing.length ? html`<p class="hint" id="signoff-blocked">${t('rec.signOff.blockedMissing')}</p>` : dirty ? html`<p class="hint" id="signoff-blocked">${t('rec.signOff.blockedDirty')}</p>` : ''}` : ''}`;
  }

  function slotId(capacity) {
    return String(capacity).replace(/[^A-Za-z0-9-]/g, '-');
  }

  function similarTemplate() {
    return html`
      <h2 id="rec-similar-title" tabindex="-1">${t('rec.similar.title')}</h2>
      <p class="hint">${t('rec.similar.hint')}</p>
      ${similar === null ? html`<p class="loading">${t('app.loading')}</p>`
        : similar.length === 0 ? html`<p class="muted" data-testid="similar-empty">${t('rec.similar.none')}</p>`
        : html`<ul class="plain similar-list" data-testid="similar-list">${similar.map((s) => html`<li>
            <span class="similar-title">${s.title}</span>
            <span class="small">${t('rec.similar.in')} <a href="#/workspaces/${encodeURIComponent(s.workspaceId)}">${s.workspaceName}</a> · ${t('rec.similar.score', { percent: Math.round(Number(s.score ?? 0) * 100) })}</span>
          </li>`)}</ul>`}
      ${similarAfterSave && similar && similar.length ? html`<p class="small muted">${t('rec.similar.afterSave')}</p>` : ''}`;
  }

  function sideTemplate() {
    return html`
      <section class="card" id="rec-presence" aria-labelledby="rec-presence-title">${presenceTemplate()}</section>
      <section class="card" id="rec-check" aria-labelledby="rec-check-title">${missingTemplate()}</section>
      <section class="card" id="rec-signoff" aria-labelledby="rec-signoff-title" data-testid="signoff-panel">${signOffTemplate()}</section>
      <section class="card" id="rec-similar" aria-labelledby="rec-similar-title" data-testid="similar-panel">${similarTemplate()}</section>
      <section class="card" id="rec-history" aria-labelledby="rec-history-title">
        <h2 id="rec-history-title">${t('rec.history.title')}</h2>
        <p><a href="#/recommendations/${encodeURIComponent(id)}/history" data-testid="history-link">${t('rec.history.link')}</a></p>
      </section>
      <section class="card" id="rec-panels" aria-labelledby="rec-panels-title">
        <h2 id="rec-panels-title">${t('panel.rec.title')}</h2>
        <p><a href="#/recommendations/${encodeURIComponent(id)}/panels" data-testid="panels-link">${t('panel.rec.link')}</a></p>
      </section>`;
  }

  function saveBarTemplate() {
    const dirty = rec.dirtySections(editor);
    const pending = rec.pendingSections(editor);
    const saveable = rec.saveableSections(editor);
    return html`
      <p id="rec-unsaved-text" data-testid="unsaved-count">${dirty.length === 0 ? t('rec.save.allSaved')
        : dirty.length === 1 ? t('rec.save.unsavedOne') : t('rec.save.unsaved', { count: dirty.length })}
        ${dirty.length ? html`<span class="small muted"> ${t('rec.save.keptHint')}</span>` : ''}</p>
      ${pending.length ? html`<p class="merge-hint">${t('rec.save.pending')} ${pending.map((s, i) => html`${i ? ', ' : ''}<a href="#sec-${s}-merge" data-focus="sec-${s}-merge">${sectionLabel(s)}</a>`)}</p>` : ''}
      <div class="actions">
        <button type="button" class="button primary" id="rec-save-all" aria-describedby="rec-unsaved-text" ${attrs({ 'aria-disabled': saveable.length === 0 || saving.size ? 'true' : null })}>${saving.size ? t('rec.save.saving') : t('rec.save.all')}</button>
      </div>`;
  }

  // ------------------------------------------------------------ templates: sections

  function focusTargetOf(s) {
    switch (s) {
      case 'policyFields': return $(`#sec-policyFields-group input`)?.id ?? 'sec-policyFields-title';
      case 'impactKinds': return `sec-impactKinds-${rec.IMPACT_KINDS[0]}`;
      case 'resources': return 'sec-resources-personnelFte';
      case 'budgetYears': return 'sec-budgetYears-year';
      case 'indicators': return $('#sec-indicators-rows input')?.id ?? 'sec-indicators-add';
      default: return `sec-${s}-input`;
    }
  }

  function errorsOf(s) {
    return sectionErrors[s] ?? [];
  }

  function errorText_(issues) {
    return issues.map((i) => localizeFieldError(i, getLang())).join(' ');
  }

  /** The error line of a section (or of one indicator field), tied to its control. */
  function errorLine(errId, issues) {
    return html`<p class="field-error" id="${errId}" ${attrs({ hidden: issues.length === 0 })}>${issues.length ? html`<span class="visually-hidden">${t('field.error', { message: '' })}</span>${errorText_(issues)}` : ''}</p>`;
  }

  function fieldIssues(s, predicate) {
    return errorsOf(s).filter((i) => predicate(String(i.field ?? '')));
  }

  function describedBy(...ids) {
    const list = ids.filter(Boolean);
    return list.length ? list.join(' ') : null;
  }

  function markdownControl(s, value, readOnly) {
    const preview = previews.has(s);
    const issues = errorsOf(s);
    return html`
      <div class="md-toolbar">
        <button type="button" class="button quiet" id="sec-${s}-preview" data-action="preview" data-section="${s}" aria-pressed="${preview ? 'true' : 'false'}" aria-controls="sec-${s}-input sec-${s}-previewbox">${t('rec.preview')}</button>
        <span class="small muted" id="sec-${s}-mdhint">${t('rec.markdownHint')}</span>
      </div>
      ${errorLine(`sec-${s}-error`, issues)}
      <textarea id="sec-${s}-input" name="${s}" rows="7" ${attrs({
        hidden: preview, readonly: readOnly, 'aria-invalid': issues.length ? 'true' : null,
        'aria-describedby': describedBy(issues.length ? `sec-${s}-error` : null, `sec-${s}-hint`, `sec-${s}-mdhint`),
      })}>${value}</textarea>
      <div class="md md-preview" id="sec-${s}-previewbox" data-testid="preview-${s}" ${attrs({ hidden: !preview })}>${preview ? (String(value).trim() ? renderMarkdown(value) : html`<p class="muted">${t('rec.empty')}</p>`) : ''}</div>`;
  }

  function lineControl(s, value) {
    const issues = errorsOf(s);
    return html`
      ${errorLine(`sec-${s}-error`, issues)}
      <input id="sec-${s}-input" name="${s}" type="text" autocomplete="off" value="${value}" ${attrs({
        maxlength: s === 'title' ? 200 : null, 'aria-invalid': issues.length ? 'true' : null,
        'aria-describedby': describedBy(issues.length ? `sec-${s}-error` : null, `sec-${s}-hint`),
      })}>`;
  }

  function policyFieldChoices(value) {
    const fields = dir.selectPolicyFields(app.directory, getLang(), ctx.compare);
    const known = new Set(fields.map((pf) => pf.id));
    const extra = value.filter((pid) => !known.has(pid)).map((pid) => ({ id: pid, unknown: true }));
    return [...fields.map((pf) => ({ id: pf.id, name: dir.policyFieldName(pf, getLang()) })), ...extra.map((x) => ({ id: x.id, name: t('rec.policyField.unknown') }))];
  }

  function checksControl(s, value, choices) {
    const issues = errorsOf(s);
    return html`
      <fieldset class="field" id="sec-${s}-group" aria-labelledby="sec-${s}-title" ${attrs({ 'aria-describedby': describedBy(issues.length ? `sec-${s}-error` : null, `sec-${s}-hint`) })}>
        ${errorLine(`sec-${s}-error`, issues)}
        <div class="checks ${choices.length > 4 ? 'checks-columns' : ''}">${choices.map((c) => html`
          <div class="check">
            <input type="checkbox" id="sec-${s}-${c.id}" name="${s}" value="${c.id}" ${attrs({ checked: value.includes(c.id), 'aria-invalid': issues.length ? 'true' : null, 'aria-describedby': c.hint ? `sec-${s}-${c.id}-hint` : null })}>
            <label for="sec-${s}-${c.id}">${c.name}${c.hint ? html` <span class="check-hint" id="sec-${s}-${c.id}-hint">${c.hint}</span>` : ''}</label>
          </div>`)}</div>
      </fieldset>`;
  }

  function numberField(s, key, label, value, { step = '1', hint = null, unit = null } = {}) {
    const issues = fieldIssues(s, (f) => f.toLowerCase() === `${s}.${key}`.toLowerCase());
    const fieldId = `sec-${s}-${key}`;
    return html`
      <div class="field">
        <label for="${fieldId}">${label}${unit ? html` <span class="muted">(${unit})</span>` : ''}</label>
        ${hint ? html`<p class="hint" id="${fieldId}-hint">${hint}</p>` : ''}
        ${errorLine(`${fieldId}-error`, issues)}
        <input id="${fieldId}" name="${key}" type="number" inputmode="${step === '1' ? 'numeric' : 'decimal'}" min="0" step="${step}" value="${value === null || value === undefined ? '' : String(value)}" ${attrs({
          'aria-invalid': issues.length ? 'true' : null, 'aria-describedby': describedBy(issues.length ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null),
        })}>
      </div>`;
  }

  function resourcesControl(value) {
    const noteIssues = fieldIssues('resources', (f) => f === 'resources.note');
    const other = fieldIssues('resources', (f) => f === 'resources');
    return html`
      ${errorLine('sec-resources-error', other)}
      <div class="resource-grid">
        ${numberField('resources', 'personnelFte', t('rec.resources.personnel'), value.personnelFte, { step: '0.1', unit: t('rec.resources.fteUnit'), hint: t('rec.resources.personnelHint') })}
        ${numberField('resources', 'durationMonths', t('rec.resources.duration'), value.durationMonths, { unit: t('rec.resources.monthsUnit') })}
        ${numberField('resources', 'moneyEuroPerYear', t('rec.resources.money'), value.moneyEuroPerYear, { unit: t('rec.resources.moneyUnit') })}
      </div>
      <div class="field">
        <label for="sec-resources-note">${t('rec.resources.note')}</label>
        <p class="hint" id="sec-resources-note-hint">${t('rec.resources.noteHint')}</p>
        ${errorLine('sec-resources-note-error', noteIssues)}
        <textarea id="sec-resources-note" name="note" rows="3" ${attrs({ 'aria-invalid': noteIssues.length ? 'true' : null, 'aria-describedby': describedBy(noteIssues.length ? 'sec-resources-note-error' : null, 'sec-resources-note-hint') })}>${value.note}</textarea>
      </div>`;
  }

  function budgetControl(value) {
    const issues = errorsOf('budgetYears');
    const year = value[0] ?? '';
    return html`
      ${errorLine('sec-budgetYears-error', issues)}
      <div class="field">
        <label for="sec-budgetYears-year">${t('rec.budget.year')}</label>
        <input id="sec-budgetYears-year" name="year" type="number" inputmode="numeric" min="2000" max="2100" step="1" value="${String(year)}" ${attrs({
          'aria-invalid': issues.length ? 'true' : null, 'aria-describedby': describedBy(issues.length ? 'sec-budgetYears-error' : null, 'sec-budgetYears-hint'),
        })}>
      </div>
      <div class="check">
        <input type="checkbox" id="sec-budgetYears-double" name="double" ${attrs({ checked: value.length === 2 })}>
        <label for="sec-budgetYears-double">${t('rec.budget.doubleLabel')}</label>
      </div>`;
  }

  function indicatorRow(ind, index) {
    const n = index + 1;
    const prefix = `sec-indicators-${index}`;
    const issues = fieldIssues('indicators', (f) => f === `indicators[${index}]` || f.startsWith(`indicators[${index}].`));
    const nameIssues = issues.filter((i) => String(i.field).endsWith('.name'));
    const otherIssues = issues.filter((i) => !String(i.field).endsWith('.name'));
    const num = (key, label) => html`
      <div class="field">
        <label for="${prefix}-${key}">${label}</label>
        <input id="${prefix}-${key}" name="${key}" type="number" inputmode="decimal" step="any" value="${ind[key] === null || ind[key] === undefined ? '' : String(ind[key])}" ${attrs({ 'aria-invalid': otherIssues.length ? 'true' : null })}>
      </div>`;
    return html`<fieldset class="indicator-row" data-index="${index}" data-testid="indicator-row">
      <legend>${t('rec.indicator.legend', { n })}</legend>
      ${errorLine(`${prefix}-error`, otherIssues)}
      <div class="indicator-grid">
        <div class="field indicator-name-field">
          <label for="${prefix}-name">${t('rec.indicator.name')}</label>
          ${errorLine(`${prefix}-name-error`, nameIssues)}
          <input id="${prefix}-name" name="name" type="text" autocomplete="off" maxlength="200" value="${ind.name}" ${attrs({ 'aria-invalid': nameIssues.length ? 'true' : null, 'aria-describedby': nameIssues.length ? `${prefix}-name-error` : null })}>
        </div>
        <div class="field">
          <label for="${prefix}-unit">${t('rec.indicator.unit')}</label>
          <input id="${prefix}-unit" name="unit" type="text" autocomplete="off" maxlength="40" value="${ind.unit}">
        </div>
        ${num('baseline', t('rec.indicator.baseline'))}
        ${num('target', t('rec.indicator.target'))}
        <div class="field">
          <label for="${prefix}-direction">${t('rec.indicator.direction')}</label>
          <select id="${prefix}-direction" name="direction">${rec.DIRECTIONS.map((d) => html`<option value="${d}" ${attrs({ selected: ind.direction === d })}>${directionLabel(d)}</option>`)}</select>
        </div>
        <div class="field indicator-source-field">
          <label for="${prefix}-source">${t('rec.indicator.source')}</label>
          <input id="${prefix}-source" name="source" type="text" autocomplete="off" maxlength="500" value="${ind.source}">
        </div>
      </div>
      <button type="button" class="button quiet danger-text" data-action="indicator-remove" data-index="${index}" id="${prefix}-remove">${t('rec.indicator.remove', { n })}</button>
    </fieldset>`;
  }

  function indicatorsControl(value) {
    const top = fieldIssues('indicators', (f) => f === 'indicators');
    return html`
      ${errorLine('sec-indicators-error', top)}
      <div id="sec-indicators-rows" class="indicator-rows">${value.map(indicatorRow)}</div>
      ${value.length === 0 ? html`<p class="muted">${t('rec.indicator.none')}</p>` : ''}
      <p><button type="button" class="button secondary" data-action="indicator-add" id="sec-indicators-add">${t('rec.indicator.add')}</button></p>`;
  }

  function controlTemplate(s, value) {
    switch (s) {
      case 'title':
      case 'responsibleBody':
        return lineControl(s, value);
      case 'policyFields':
        return checksControl(s, value, policyFieldChoices(value));
      case 'impactKinds':
        return checksControl(s, value, rec.IMPACT_KINDS.map((k) => ({ id: k, name: impactLabel(k), hint: t(`rec.impact.${k}.hint`) })));
      case 'resources':
        return resourcesControl(value);
      case 'budgetYears':
        return budgetControl(value);
      case 'indicators':
        return indicatorsControl(value);
      default:
        return markdownControl(s, value, false);
    }
  }

  /** What the merge panel shows for one version of a section. */
  function versionTemplate(s, value) {
    if (rec.MARKDOWN_SECTIONS.includes(s) || rec.LINE_SECTIONS.includes(s)) {
      return String(value ?? '').trim() ? html`<div class="merge-text">${value}</div>` : html`<p class="muted">${t('rec.empty')}</p>`;
    }
    return valueTemplate(s, value, { policyFieldName });
  }

  function mergeTemplate(s) {
    const m = rec.mergeOf(editor, s);
    if (!m) return html``;
    const textual = rec.MARKDOWN_SECTIONS.includes(s) || rec.LINE_SECTIONS.includes(s);
    const merged = mergeDrafts[s] ?? (textual ? m.suggestion : '');
    return html`<div class="merge" id="sec-${s}-merge" tabindex="-1" role="group" aria-labelledby="sec-${s}-merge-title" data-testid="merge-${s}">
      <h3 id="sec-${s}-merge-title">${t('rec.merge.title')}</h3>
      <p>${t('rec.merge.body')}</p>
      <div class="compare">
        <div class="merge-version" data-testid="merge-theirs">
          <h4>${t('rec.merge.theirs')}</h4>
          ${versionTemplate(s, m.theirs)}
        </div>
        <div class="merge-version" data-testid="merge-yours">
          <h4>${t('rec.merge.yours')}</h4>
          ${versionTemplate(s, m.yours)}
        </div>
      </div>
      ${textual ? html`<div class="field">
          <label for="sec-${s}-merged">${t('rec.merge.merged')}</label>
          <p class="hint" id="sec-${s}-merged-hint">${t('rec.merge.mergedHint')}</p>
          ${s === 'title'
            ? html`<input id="sec-${s}-merged" type="text" data-merge-input="${s}" value="${merged}" aria-describedby="sec-${s}-merged-hint" autocomplete="off">`
            : html`<textarea id="sec-${s}-merged" rows="8" data-merge-input="${s}" aria-describedby="sec-${s}-merged-hint">${merged}</textarea>`}
        </div>` : ''}
      <div class="actions">
        ${textual ? html`<button type="button" class="button primary" data-merge="merged" data-section="${s}" id="sec-${s}-merge-merged">${t('rec.merge.saveMerged')}</button>` : ''}
        ${m.combinable ? html`<button type="button" class="button primary" data-merge="both" data-section="${s}" id="sec-${s}-merge-both">${t('rec.merge.saveBoth')}</button>` : ''}
        <button type="button" class="button secondary" data-merge="mine" data-section="${s}" id="sec-${s}-merge-mine">${t('rec.merge.saveMine')}</button>
        <button type="button" class="button secondary" data-merge="theirs" data-section="${s}" id="sec-${s}-merge-theirs">${t('rec.merge.takeTheirs')}</button>
      </div>
    </div>`;
  }

  function presenceLine(s) {
    const users = rec.presenceBySection(presence, id, selfId).bySection[s] ?? [];
    if (!users.length) return html``;
    return html`<span class="presence-tag" data-testid="presence-${s}"><span class="presence-dot" aria-hidden="true"></span>${t('rec.presence.editing', { names: users.map((u) => u.displayName || '?').join(', ') })}</span>`;
  }

  function stateLine(s) {
    const parts = [];
    if (saving.has(s)) parts.push(html`<span class="badge badge-saving">${t('rec.save.savingSection')}</span>`);
    else if (rec.isPending(editor, s)) parts.push(html`<span class="badge badge-conflict">${t('rec.state.pending')}</span>`);
    else if (rec.isDirty(editor, s)) parts.push(html`<span class="badge badge-dirty">${t('rec.state.dirty')}</span>`);
    else if (notes[s] === 'saved') parts.push(html`<span class="badge badge-on">${t('rec.state.saved')}</span>`);
    else if (notes[s] === 'changedElsewhere') parts.push(html`<span class="badge badge-current">${t('rec.state.changedElsewhere')}</span>`);
    return html`${parts}`;
  }

  function sectionHeading(s, editable) {
    const label = sectionLabel(s);
    const labelled = editable && (rec.MARKDOWN_SECTIONS.includes(s) || rec.LINE_SECTIONS.includes(s));
    return html`<h2 id="sec-${s}-title" class="sec-title">${labelled ? html`<label for="sec-${s}-input">${label}</label>` : label}</h2>`;
  }

  function contentTemplate(s) {
    const editable = canEdit();
    const value = rec.displayValue(editor, s);
    if (!editable) return html`<div class="sec-readonly">${valueTemplate(s, value, { policyFieldName })}</div>`;
    return html`
      <div id="sec-${s}-mergebox">${rec.isPending(editor, s) ? mergeTemplate(s) : ''}</div>
      <form id="sec-form-${s}" class="sec-form" data-section="${s}" novalidate aria-labelledby="sec-${s}-title">
        ${controlTemplate(s, value)}
        <div class="actions sec-actions">
          <button type="submit" class="button secondary" id="sec-${s}-save">${t('rec.save.section')}<span class="visually-hidden"> (${sectionLabel(s)})</span></button>
          ${rec.isDirty(editor, s) && !rec.isPending(editor, s) ? html`<button type="button" class="button quiet" data-action="discard" data-section="${s}" id="sec-${s}-discard">${t('rec.save.discard')}<span class="visually-hidden"> (${sectionLabel(s)})</span></button>` : ''}
        </div>
      </form>`;
  }

  function sectionTemplate(s) {
    const editable = canEdit();
    return html`<section class="card rec-section" id="sec-${s}" data-section="${s}" aria-labelledby="sec-${s}-title" data-testid="section-${s}">
      <div class="sec-head">
        ${sectionHeading(s, editable)}
        <p class="sec-ccount" id="sec-${s}-ccount">${comments.countTemplate(s)}</p>
        <p class="sec-state" id="sec-${s}-state">${stateLine(s)}</p>
      </div>
      ${editable ? html`<p class="hint" id="sec-${s}-hint">${t(`rec.section.${s}.hint`)}</p>` : ''}
      <p class="sec-presence" id="sec-${s}-presence">${presenceLine(s)}</p>
      <div id="sec-${s}-content">${contentTemplate(s)}</div>
      ${comments.sectionTemplate(s)}
    </section>`;
  }

  function contentKey(s) {
    const editable = canEdit();
    return JSON.stringify({
      editable,
      value: rec.displayValue(editor, s),
      pending: editable ? rec.mergeOf(editor, s) && rec.isPending(editor, s) ? rec.mergeOf(editor, s) : null : null,
      dirty: rec.isDirty(editor, s),
      errors: errorsOf(s),
      preview: previews.has(s),
      fields: s === 'policyFields' ? policyFieldChoices(rec.displayValue(editor, s)) : null,
      lang: getLang(),
    });
  }

  // ------------------------------------------------------------ rendering

  function fullTemplate() {
    return html`
      <div id="rec-head">${headTemplate()}</div>
      ${flash}
      ${restoredNotice ? html`<div class="notice notice-info" id="rec-restored" data-testid="draft-restored"><p>${t('rec.draftRestored')}</p></div>` : ''}
      <div id="rec-status" class="rec-status">${globalStatus ?? ''}</div>
      <div class="rec-layout">
        <div class="rec-main">
          ${canEdit() ? html`<div class="card save-bar" id="rec-savebar" data-testid="save-bar">${saveBarTemplate()}</div>` : ''}
          <div id="rec-sections">${rec.SECTIONS.map(sectionTemplate)}</div>
          ${canEdit() ? html`<div class="card save-bar" id="rec-savebar-bottom">${saveBarBottomTemplate()}</div>` : ''}
        </div>
        <div class="rec-side" id="rec-side">${sideTemplate()}</div>
      </div>`;
  }

  function saveBarBottomTemplate() {
    return html`<div class="actions"><button type="button" class="button primary" id="rec-save-all-bottom" ${attrs({ 'aria-disabled': rec.saveableSections(editor).length === 0 || saving.size ? 'true' : null })}>${saving.size ? t('rec.save.saving') : t('rec.save.all')}</button></div>`;
  }

  let renderedEditable = null;
  function update() {
    if (destroyed) return;
    const r = server();
    if (!r) {
      if (loadError) {
        const notFound = loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 403);
        setTitle(t('rec.loadError'));
        renderKeepingFocus(target, html`
          <h1 id="page-title" tabindex="-1">${notFound ? t('rec.notFound') : t('rec.loadError')}</h1>
          ${notFound ? '' : html`${errorNotice(loadError)}<p><button type="button" class="button secondary" id="rec-retry">${t('app.retry')}</button></p>`}
          <p><a href="#/">${t('app.backToDirectory')}</a></p>`);
      }
      return;
    }
    setTitle(r.profile.title || t('rec.untitled'));
    const editable = canEdit();
    if (!rendered || renderedEditable !== editable) {
      const hadFocus = !rendered && document.activeElement && document.activeElement.id === 'page-title';
      if (!rendered) render(target, fullTemplate());
      else renderKeepingFocus(target, fullTemplate());
      flash = '';
      rendered = true;
      renderedEditable = editable;
      for (const s of rec.SECTIONS) contentKeys[s] = contentKey(s);
      if (hadFocus) focusHeading();
      return;
    }
    renderIfChanged('rec-head', headTemplate());
    renderSide();
    renderSaveBars();
    syncSections();
  }

  /**
   * Renders into the element with `id` unless it already shows exactly this markup. A
   * re-render between mousedown and mouseup would swallow a click (e.g. the change event
   * of a field fires when the person clicks a button), so nothing is re-rendered in vain.
   */
  function renderIfChanged(id, template) {
    const el = document.getElementById(id);
    if (!el) return;
    const markup = template.value;
    if (shown.get(id) === markup && el.isConnected && el.dataset.rendered === '1') return;
    renderKeepingFocus(el, template);
    el.dataset.rendered = '1';
    shown.set(id, markup);
  }

  function renderSide() {
    if (!rendered || destroyed) return;
    const side = $('#rec-side');
    if (!side) return;
    renderIfChanged('rec-presence', presenceTemplate());
    renderIfChanged('rec-check', missingTemplate());
    renderIfChanged('rec-signoff', signOffTemplate());
    renderIfChanged('rec-similar', similarTemplate());
  }

  function renderSaveBars() {
    renderIfChanged('rec-savebar', saveBarTemplate());
    renderIfChanged('rec-savebar-bottom', saveBarBottomTemplate());
  }

  function renderState(s) {
    renderIfChanged(`sec-${s}-state`, stateLine(s));
  }

  /** Re-renders the sections whose shown content changed, keeping focus and the caret. */
  function syncSections(force = []) {
    for (const s of rec.SECTIONS) {
      renderState(s);
      const key = contentKey(s);
      if (key === contentKeys[s] && !force.includes(s)) continue;
      contentKeys[s] = key;
      const host = document.getElementById(`sec-${s}-content`);
      if (!host) continue;
      const active = document.activeElement;
      const caret = active && host.contains(active) && typeof active.selectionStart === 'number' && active.id
        ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
      renderKeepingFocus(host, contentTemplate(s));
      if (caret) {
        const el = document.getElementById(caret.id);
        try {
          if (el && typeof el.setSelectionRange === 'function') el.setSelectionRange(caret.start, caret.end);
        } catch {
          /* number inputs have no selection */
        }
      }
    }
  }

  function renderPresence() {
    if (!rendered) return;
    renderIfChanged('rec-presence', presenceTemplate());
    renderIfChanged('rec-head', headTemplate());
    for (const s of rec.SECTIONS) renderIfChanged(`sec-${s}-presence`, presenceLine(s));
  }

  // ------------------------------------------------------------ reading the form

  function numberValue(input) {
    if (!input) return null;
    if (input.value === '') return input.validity && input.validity.badInput ? 'invalid' : null;
    const n = Number(input.value);
    return Number.isFinite(n) ? n : 'invalid';
  }

  function readSection(s) {
    const form = document.getElementById(`sec-form-${s}`);
    if (!form) return rec.displayValue(editor, s);
    switch (s) {
      case 'policyFields':
      case 'impactKinds':
        return [...form.querySelectorAll(`input[name="${s}"]:checked`)].map((x) => x.value);
      case 'budgetYears': {
        const year = numberValue(form.querySelector('#sec-budgetYears-year'));
        if (year === null) return [];
        if (year === 'invalid') return ['invalid'];
        return form.querySelector('#sec-budgetYears-double')?.checked ? [year, year + 1] : [year];
      }
      case 'resources':
        return {
          personnelFte: numberValue(form.querySelector('#sec-resources-personnelFte')),
          durationMonths: numberValue(form.querySelector('#sec-resources-durationMonths')),
          moneyEuroPerYear: numberValue(form.querySelector('#sec-resources-moneyEuroPerYear')),
          note: form.querySelector('#sec-resources-note')?.value ?? '',
        };
      case 'indicators':
        return [...form.querySelectorAll('.indicator-row')].map((row) => ({
          name: row.querySelector('[name="name"]').value,
          unit: row.querySelector('[name="unit"]').value,
          baseline: numberValue(row.querySelector('[name="baseline"]')),
          target: numberValue(row.querySelector('[name="target"]')),
          direction: row.querySelector('[name="direction"]').value,
          source: row.querySelector('[name="source"]').value,
        }));
      default: {
        const input = form.querySelector(`#sec-${s}-input`);
        return input ? input.value : rec.displayValue(editor, s);
      }
    }
  }

  /** The person typed: keep the edit; the form already shows it (no re-render). */
  function onEdited(s) {
    if (!canEdit()) return;
    const value = readSection(s);
    const hadErrors = errorsOf(s).length > 0;
    editor = rec.edit(editor, s, value);
    delete notes[s];
    persist();
    if (hadErrors) {
      // Clear the shown error once the person changes the field.
      delete sectionErrors[s];
    }
    const key = contentKey(s);
    // Only structure changes (discard button appears or goes, errors cleared) re-render.
    const dirtyShown = Boolean(document.getElementById(`sec-${s}-discard`));
    const dirtyNow = rec.isDirty(editor, s) && !rec.isPending(editor, s);
    if (hadErrors || dirtyShown !== dirtyNow) {
      contentKeys[s] = null;
      syncSections();
    } else {
      contentKeys[s] = key;
      renderState(s);
    }
    renderSaveBars();
    renderIfChanged('rec-signoff', signOffTemplate());
  }

  // ------------------------------------------------------------ saving

  function showSectionIssues(issues) {
    const touched = new Set();
    for (const i of issues) {
      const s = rec.sectionOfField(i.field) ?? 'title';
      (sectionErrors[s] ??= []).push(i);
      touched.add(s);
    }
    return [...touched];
  }

  function focusFirstError(sections) {
    const first = rec.SECTIONS.find((s) => sections.includes(s));
    if (!first) return;
    const host = document.getElementById(`sec-${first}`);
    const invalid = host?.querySelector('[aria-invalid="true"]');
    (invalid ?? document.getElementById(focusTargetOf(first)))?.focus();
  }

  function setGlobalStatus(template) {
    globalStatus = template;
    const el = $('#rec-status');
    if (el) render(el, template ?? html``);
  }

  async function save(sections) {
    if (!canEdit() || saving.size) return;
    // Read what the forms show right now (e.g. a value typed without an input event).
    const wanted = sections ?? rec.SECTIONS;
    for (const s of wanted) if (document.getElementById(`sec-form-${s}`) && !rec.isPending(editor, s)) editor = rec.edit(editor, s, readSection(s));
    for (const s of wanted) delete sectionErrors[s];
    const candidates = wanted.filter((s) => rec.isDirty(editor, s) && !rec.isPending(editor, s));
    const pendingAsked = wanted.filter((s) => rec.isPending(editor, s));
    const issues = candidates.flatMap((s) => rec.validateSection(s, editor.edits[s].value));
    if (issues.length) {
      const touched = showSectionIssues(issues);
      syncSections();
      announce(t('rec.save.invalid'));
      focusFirstError(touched);
      return;
    }
    const request = rec.saveRequest(editor, candidates);
    if (!request) {
      syncSections();
      renderSaveBars();
      if (pendingAsked.length) {
        document.getElementById(`sec-${pendingAsked[0]}-merge`)?.focus();
        announce(t('rec.save.mergeFirst'));
      } else {
        announce(t('rec.save.nothing'));
      }
      return;
    }
    for (const s of request.sections) saving.add(s);
    setGlobalStatus(null);
    renderSaveBars();
    for (const s of request.sections) renderState(s);
    try {
      const { data } = await ctx.call(ctx.api.patch(path, request.body, { headers: { 'If-Match': ifMatch(request.ifMatch) } }));
      if (destroyed) return;
      saving.clear();
      const before = editor.server;
      editor = rec.afterSave(editor, data.recommendation, request.sent);
      const othersChanged = before && data.recommendation && data.mergedOnto
        ? rec.changedSections(before.profile, data.recommendation.profile).filter((s) => !request.sections.includes(s)) : [];
      for (const s of request.sections) notes[s] = 'saved';
      for (const s of othersChanged) notes[s] = 'changedElsewhere';
      persist();
      if (Array.isArray(data.similar)) {
        similar = data.similar;
        similarAfterSave = true;
      }
      update();
      const names = request.sections.map(sectionLabel).join(', ');
      const text = data.mergedOnto
        ? t('rec.save.doneMerged', { sections: names, n: data.recommendation.revision })
        : t('rec.save.done', { sections: names, n: data.recommendation.revision });
      setGlobalStatus(html`<div class="notice notice-success" data-testid="save-result"><p>${text}</p>${similar && similar.length && similarAfterSave ? html`<p><a href="#rec-similar" data-focus="rec-similar-title">${t('rec.similar.found', { count: similar.length })}</a></p>` : ''}</div>`);
      announce(text + (similar && similar.length ? ` ${t('rec.similar.found', { count: similar.length })}` : ''));
      scheduleRefresh();
    } catch (err) {
      saving.clear();
      if (destroyed) return;
      if (err instanceof ApiError && err.status === 409 && err.body && err.body.current) {
        editor = rec.afterConflict(editor, err.body.current, err.fields);
        persist();
        update();
        const pending = rec.pendingSections(editor);
        if (pending.length) {
          const names = pending.map(sectionLabel).join(', ');
          setGlobalStatus(html`<div class="notice notice-error" role="alert" data-testid="conflict-notice"><p>${t('rec.conflict.notice', { sections: names })}</p></div>`);
          document.getElementById(`sec-${pending[0]}-merge`)?.focus();
        } else {
          setGlobalStatus(html`<div class="notice notice-info" role="status"><p>${t('rec.conflict.retry')}</p></div>`);
        }
        scheduleRefresh();
      } else if (err instanceof ApiError && err.fields.length) {
        const touched = showSectionIssues(err.fields);
        update();
        announce(t('rec.save.invalid'));
        focusFirstError(touched);
      } else {
        update();
        setGlobalStatus(errorNotice(err));
        announce(errorText(err));
      }
    }
  }

  function merge(s, how) {
    const m = rec.mergeOf(editor, s);
    if (!m) return;
    let value;
    if (how === 'theirs') value = m.theirs;
    else if (how === 'mine') value = m.yours;
    else if (how === 'both') value = m.suggestion;
    else value = document.getElementById(`sec-${s}-merged`)?.value ?? mergeDrafts[s] ?? m.suggestion;
    delete mergeDrafts[s];
    editor = rec.resolve(editor, s, value);
    persist();
    syncSections([s]);
    renderSaveBars();
    if (!rec.isDirty(editor, s)) {
      notes[s] = 'saved';
      renderState(s);
      announce(t('rec.merge.tookTheirs', { section: sectionLabel(s) }));
      document.getElementById(focusTargetOf(s))?.focus();
      if (!rec.pendingSections(editor).length) setGlobalStatus(null);
      return;
    }
    document.getElementById(`sec-${s}-save`)?.focus();
    save([s]);
  }

  // ------------------------------------------------------------ sign-off

  async function giveSignOff(button) {
    if (signOffBusy) return;
    const capacity = button.getAttribute('data-capacity');
    const status = $('#signoff-status');
    if (rec.dirtySections(editor).length) {
      render(status, html`<div class="notice notice-error" role="alert"><p>${t('rec.signOff.blockedDirty')}</p></div>`);
      return;
    }
    if ((signOff?.missing ?? []).length) {
      render(status, html`<div class="notice notice-error" role="alert"><p>${t('rec.signOff.blockedMissing')}</p></div>`);
      return;
    }
    signOffBusy = true;
    button.setAttribute('aria-disabled', 'true');
    try {
      const { data } = await ctx.call(ctx.api.post(`${path}/sign-offs`, { capacity }, { headers: { 'If-Match': ifMatch(server().revision) } }));
      signOffBusy = false;
      absorb(data.recommendation, { announceChanges: false });
      signOff = data.signOff ?? signOff;
      update();
      const finished = data.recommendation?.status === 'finished';
      announce(finished ? t('rec.signOff.finished', { reference: data.recommendation.reference ?? '' }) : t('rec.signOff.done'));
      if (finished) focusHeading();
      else $('#rec-signoff-title')?.focus();
    } catch (err) {
      signOffBusy = false;
      button.removeAttribute('aria-disabled');
      const el = $('#signoff-status');
      if (err instanceof ApiError && err.code === 'recommendation.incomplete') {
        render(el, html`<div class="notice notice-error" role="alert"><p>${t('rec.signOff.blockedMissing')}</p></div>`);
      } else if (err instanceof ApiError && err.status === 409) {
        render(el, html`<div class="notice notice-error" role="alert"><p>${t('rec.signOff.changed')}</p></div>`);
      } else if (el) {
        render(el, errorNotice(err));
      }
      scheduleRefresh();
    }
  }

  async function withdrawSignOff(button) {
    if (signOffBusy) return;
    const capacity = button.getAttribute('data-capacity');
    signOffBusy = true;
    button.setAttribute('aria-disabled', 'true');
    try {
      await ctx.call(ctx.api.del(`${path}/sign-offs/${encodeURIComponent(capacity)}`));
      signOffBusy = false;
      await loadDetail();
      announce(t('rec.signOff.withdrawn'));
      $('#rec-signoff')?.querySelector('button')?.focus();
    } catch (err) {
      signOffBusy = false;
      button.removeAttribute('aria-disabled');
      const el = $('#signoff-status');
      if (el) render(el, errorNotice(err));
    }
  }

  // ------------------------------------------------------------ presence focus

  function sectionOfElement(el) {
    const host = el && el.closest ? el.closest('.rec-section[data-section]') : null;
    return host ? host.getAttribute('data-section') : null;
  }

  function sendFocus(section) {
    if (!app.live || !topic || !subscribed) return;
    app.live.setFocus(topic, canEdit() ? rec.focusKey(id, section) : null);
  }

  function onFocusIn(e) {
    const s = sectionOfElement(e.target);
    if (focusTimer) {
      clearTimeout(focusTimer);
      focusTimer = null;
    }
    if (s) sendFocus(s);
  }

  function onFocusOut() {
    if (focusTimer) clearTimeout(focusTimer);
    focusTimer = setTimeout(() => {
      focusTimer = null;
      if (destroyed) return;
      if (!sectionOfElement(document.activeElement)) sendFocus(null);
    }, 400);
  }

  target.addEventListener('focusin', onFocusIn);
  target.addEventListener('focusout', onFocusOut);

  start();

  return {
    name: 'recommendation',
    handlesFocus: false,
    update(reason) {
      if (reason === 'directory' && rendered) update();
    },
    onTopicEvent(event) {
      if (!topic || event.topic !== topic || !event.data) return;
      const data = event.data;
      if (event.name === 'recommendation.commentChanged') {
        comments.onTopicEvent(event);
      } else if (rec.LIST_EVENTS.has(event.name) && data.id === id) {
        absorb(data);
        update();
        comments.refreshAll();
        scheduleRefresh();
      } else if ((event.name === 'recommendation.signedOff' || event.name === 'recommendation.signOffWithdrawn') && data.recommendationId === id) {
        signOff = rec.applySignOffEvent(signOff, event, server()?.revision);
        renderSide();
        if (data.userId !== selfId) {
          announce(event.name === 'recommendation.signedOff'
            ? t('rec.live.signedOff', { name: data.displayName || '?' })
            : t('rec.live.signOffWithdrawn', { name: data.displayName || '?' }));
        }
        scheduleRefresh();
      } else if (event.name === 'workspace.archived' || event.name === 'workspace.restored' || event.name.startsWith('member.')) {
        scheduleRefresh();
        if (rendered) setTimeout(() => update(), 50);
      }
    },
    onPresence(detail) {
      if (!topic || detail.topic !== topic) return;
      presence = Array.isArray(detail.users) ? detail.users : [];
      renderPresence();
    },
    onRevoked(revokedTopic) {
      if (revokedTopic !== topic) return false;
      subscribed = false;
      announce(t('live.revoked'));
      loadDetail().catch((err) => {
        loadError = err;
        editor = rec.initialEditor(null);
        rendered = false;
        update();
      });
      return true;
    },
    onSubmit(form) {
      if (comments.onSubmit(form)) return;
      const s = form.getAttribute('data-section');
      if (s && form.id === `sec-form-${s}`) {
        if (rec.isPending(editor, s)) {
          document.getElementById(`sec-${s}-merge`)?.focus();
          announce(t('rec.save.mergeFirst'));
          return;
        }
        save([s]);
      }
    },
    onInput(el) {
      if (el.hasAttribute && el.hasAttribute('data-merge-input')) {
        mergeDrafts[el.getAttribute('data-merge-input')] = el.value;
        return;
      }
      const form = el.form;
      const s = form && form.getAttribute('data-section');
      if (s && form.id === `sec-form-${s}`) onEdited(s);
    },
    onChange(el) {
      const form = el.form;
      const s = form && form.getAttribute('data-section');
      if (s && form.id === `sec-form-${s}`) onEdited(s);
    },
    onClick(el) {
      if (el.id === 'rec-retry') {
        loadError = null;
        start();
        return true;
      }
      if (comments.onClick(el)) return true;
      if (el.id === 'rec-save-all' || el.id === 'rec-save-all-bottom') {
        save(null);
        return true;
      }
      const action = el.getAttribute('data-action');
      const s = el.getAttribute('data-section');
      if (action === 'preview' && s) {
        if (previews.has(s)) previews.delete(s);
        else previews.add(s);
        syncSections();
        announce(previews.has(s) ? t('rec.preview.on', { section: sectionLabel(s) }) : t('rec.preview.off', { section: sectionLabel(s) }));
        return true;
      }
      if (action === 'discard' && s) {
        editor = rec.discard(editor, s);
        delete sectionErrors[s];
        persist();
        syncSections();
        renderSaveBars();
        renderIfChanged('rec-signoff', signOffTemplate());
        announce(t('rec.save.discarded', { section: sectionLabel(s) }));
        document.getElementById(focusTargetOf(s))?.focus();
        return true;
      }
      if (action === 'indicator-add') {
        const value = readSection('indicators');
        value.push({ name: '', unit: '', baseline: null, target: null, direction: 'increase', source: '' });
        editor = rec.edit(editor, 'indicators', value);
        persist();
        syncSections(['indicators']);
        renderSaveBars();
        document.getElementById(`sec-indicators-${value.length - 1}-name`)?.focus();
        announce(t('rec.indicator.added', { n: value.length }));
        return true;
      }
      if (action === 'indicator-remove') {
        const index = Number(el.getAttribute('data-index'));
        const value = readSection('indicators');
        value.splice(index, 1);
        editor = rec.edit(editor, 'indicators', value);
        delete sectionErrors.indicators;
        persist();
        syncSections(['indicators']);
        renderSaveBars();
        document.getElementById(value.length ? `sec-indicators-${Math.min(index, value.length - 1)}-name` : 'sec-indicators-add')?.focus();
        announce(t('rec.indicator.removed', { n: index + 1 }));
        return true;
      }
      if (action === 'signoff') {
        giveSignOff(el);
        return true;
      }
      if (action === 'signoff-withdraw') {
        withdrawSignOff(el);
        return true;
      }
      const how = el.getAttribute('data-merge');
      if (how && s) {
        merge(s, how);
        return true;
      }
      return false;
    },
    destroy() {
      destroyed = true;
      comments.destroy();
      if (refreshTimer) clearTimeout(refreshTimer);
      if (focusTimer) clearTimeout(focusTimer);
      target.removeEventListener('focusin', onFocusIn);
      target.removeEventListener('focusout', onFocusOut);
      if (app.live && topic && subscribed) {
        app.live.setFocus(topic, null);
        app.live.unsubscribe(topic);
      }
    },
    // Test hook (debug builds read it through window.__roundtable.app.view).
    get editorState() {
      return editor;
    },
  };
}

