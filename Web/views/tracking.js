// Decision tracking (Beschlusscontrolling) on catalogue entries: the status, the council
// decisions, the implementation reports (notes are Markdown, through lib/markdown.js
// only), per indicator the chart with a table alternative, and the two forms: "Beschluss
// erfassen" (administrators) and "Umsetzungsbericht" (the authoring workspace and the
// administrators). Used by views/catalogue.js.

import { html, attrs } from '../lib/html.js';
import { renderMarkdown } from '../lib/markdown.js';
import { ApiError } from '../lib/api.js';
import { t, getLang, formatDate } from '../lib/i18n.js';
import { $, announce, busyButton, errorNotice, reportFieldErrors, resetFieldErrors } from '../lib/ui.js';
import { render } from '../lib/html.js';
import * as tr from '../state/tracking.js';
import { formatNumber } from './profile.js';

export function trackingStatusLabel(status) {
  return tr.TRACKING_STATUSES.includes(status) ? t(`catalogue.status.${status}`) : String(status ?? '');
}

function outcomeLabel(o) {
  return tr.DECISION_OUTCOMES.includes(o) ? t(`tracking.outcome.${o}`) : String(o ?? '');
}

function implLabel(s) {
  return tr.IMPLEMENTATION_STATUSES.includes(s) ? t(`tracking.implStatus.${s}`) : String(s ?? '');
}

function heading(level, id, text) {
  return level === 2 ? html`<h2 id="${id}">${text}</h2>` : level === 3 ? html`<h3 id="${id}">${text}</h3>` : html`<h4 id="${id}">${text}</h4>`;
}

export function statusBadge(entry) {
  return html`<span class="badge badge-track badge-track-${tr.TRACKING_STATUSES.includes(entry.status) ? entry.status : 'submitted'}" data-testid="tracking-status">${t('catalogue.statusLabel', { status: trackingStatusLabel(entry.status) })}</span>`;
}

function dueTemplate(entry) {
  if (!entry.reportDueOn) return '';
  const date = formatDate(entry.reportDueOn, getLang());
  return tr.isOverdue(entry.reportDueOn)
    ? html`<p class="due due-overdue" data-testid="tracking-due"><strong>${t('tracking.dueOverdue', { date })}</strong></p>`
    : html`<p class="due" data-testid="tracking-due">${t('tracking.dueOn', { date })}</p>`;
}

function chartTemplate(entry, indicator, index, prefix, level) {
  const rows = tr.indicatorSeries(entry, index);
  const name = indicator.name || String(index + 1);
  const src = `/api/v1/catalogue/${encodeURIComponent(entry.reference)}/indicators/${index}/chart`;
  const unit = indicator.unit ?? '';
  return html`<li class="tracking-indicator" data-testid="tracking-indicator">
    ${level === 3 ? html`<h4>${name}</h4>` : html`<h5>${name}</h5>`}
    <div class="chart-pair">
      <img class="chart" src="${src}" alt="${t('tracking.chart.alt', { name })}" width="480" height="240" loading="lazy">
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="${prefix}-ind-${index}-caption">
        <table class="data-table" data-testid="tracking-table">
          <caption id="${prefix}-ind-${index}-caption">${t('tracking.table.caption', { name })}</caption>
          <thead><tr><th scope="col">${t('tracking.table.date')}</th><th scope="col">${t('tracking.table.value')}</th><th scope="col">${t('tracking.table.unit')}</th></tr></thead>
          <tbody>
            ${rows.length ? rows.map((r) => html`<tr><td>${formatDate(r.date, getLang())}</td><td>${formatNumber(r.value)}</td><td>${unit}</td></tr>`)
              : html`<tr><td colspan="3">${t('tracking.table.empty')}</td></tr>`}
          </tbody>
          <tfoot>
            <tr><th scope="row">${t('tracking.table.baseline')}</th><td>${formatNumber(indicator.baseline)}</td><td>${unit}</td></tr>
            <tr><th scope="row">${t('tracking.table.target')}</th><td>${formatNumber(indicator.target)}</td><td>${unit}</td></tr>
          </tfoot>
        </table>
      </div>
    </div>
  </li>`;
}

/** The tracking block; `level` is the level of its heading (2 on the entry page, 3 in the accordion). */
export function trackingTemplate(entry, { level = 2, prefix = 'entry' } = {}) {
  const decisions = tr.sortedDecisions(entry);
  const reports = tr.sortedReports(entry);
  const indicators = Array.isArray(entry.profile?.indicators) ? entry.profile.indicators : [];
  const sub = level + 1;
  return html`
    ${heading(level, `${prefix}-tracking`, t('tracking.title'))}
    <p>${statusBadge(entry)}</p>
    ${dueTemplate(entry)}
    ${heading(sub, `${prefix}-decisions`, t('tracking.decisions'))}
    ${decisions.length ? html`<ul class="tracking-list" data-testid="tracking-decisions" aria-labelledby="${prefix}-decisions">${decisions.map((d) => html`<li data-testid="tracking-decision">
        <p><strong>${t('tracking.decision.line', { date: formatDate(d.decidedOn, getLang()), body: d.body, outcome: outcomeLabel(d.outcome) })}</strong></p>
        ${d.note ? html`<p class="pre-line">${d.note}</p>` : ''}
      </li>`)}</ul>` : html`<p class="muted">${t('tracking.decisions.none')}</p>`}
    ${heading(sub, `${prefix}-reports`, t('tracking.reports'))}
    ${reports.length ? html`<ul class="tracking-list" data-testid="tracking-reports" aria-labelledby="${prefix}-reports">${reports.map((r) => html`<li data-testid="tracking-report">
        <p><strong>${t('tracking.report.line', { date: formatDate(r.reportedOn, getLang()), status: implLabel(r.status) })}</strong></p>
        ${r.note ? html`<div class="md">${renderMarkdown(r.note)}</div>` : ''}
      </li>`)}</ul>` : html`<p class="muted">${t('tracking.reports.none')}</p>`}
    ${indicators.length && (reports.length || entry.status !== 'submitted') ? html`
      ${heading(sub, `${prefix}-indicators`, t('tracking.indicators'))}
      <ul class="tracking-indicators">${indicators.map((ind, i) => chartTemplate(entry, ind, i, prefix, sub))}</ul>` : ''}`;
}

// ---------------------------------------------------------------- forms

const decisionFields = () => ({
  decidedOn: { input: 'dec-date', error: 'dec-date-error', label: t('tracking.decisionForm.date') },
  body: { input: 'dec-body', error: 'dec-body-error', label: t('tracking.decisionForm.body') },
  outcome: { input: 'dec-outcome', error: 'dec-outcome-error', label: t('tracking.decisionForm.outcome') },
  note: { input: 'dec-note', error: 'dec-note-error', label: t('tracking.decisionForm.note') },
});

const reportFields = () => ({
  reportedOn: { input: 'rep-date', error: 'rep-date-error', label: t('tracking.reportForm.date') },
  status: { input: 'rep-status', error: 'rep-status-error', label: t('tracking.reportForm.status') },
  values: { input: 'rep-value-0', error: 'rep-values-error', group: 'rep-values', label: t('tracking.reportForm.values') },
  note: { input: 'rep-note', error: 'rep-note-error', label: t('tracking.reportForm.note') },
});

function errorP(id) {
  return html`<p class="field-error" id="${id}" hidden></p>`;
}

export function decisionFormTemplate() {
  return html`
    <form id="decision-form" class="form" novalidate aria-labelledby="decision-form-title" data-testid="decision-form">
      <h2 id="decision-form-title">${t('tracking.decisionForm.title')}</h2>
      <div id="decision-errors" class="error-summary" tabindex="-1" aria-labelledby="decision-errors-title" hidden></div>
      <div class="field">
        <label for="dec-date">${t('tracking.decisionForm.date')}</label>
        ${errorP('dec-date-error')}
        <input id="dec-date" name="decidedOn" type="date" required aria-required="true" value="${tr.todayISO()}" max="${tr.todayISO()}">
      </div>
      <div class="field">
        <label for="dec-body">${t('tracking.decisionForm.body')}</label>
        <p class="hint" id="dec-body-hint">${t('tracking.decisionForm.bodyHint')}</p>
        ${errorP('dec-body-error')}
        <input id="dec-body" name="body" type="text" required aria-required="true" maxlength="120" autocomplete="off" aria-describedby="dec-body-hint" value="Kreistag">
      </div>
      <div class="field">
        <label for="dec-outcome">${t('tracking.decisionForm.outcome')}</label>
        ${errorP('dec-outcome-error')}
        <select id="dec-outcome" name="outcome" required aria-required="true">
          ${tr.DECISION_OUTCOMES.map((o) => html`<option value="${o}">${outcomeLabel(o)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="dec-note">${t('tracking.decisionForm.note')}</label>
        ${errorP('dec-note-error')}
        <textarea id="dec-note" name="note" rows="3" maxlength="4000"></textarea>
      </div>
      <div class="actions"><button type="submit" class="button primary" id="decision-submit">${t('tracking.decisionForm.submit')}</button></div>
    </form>`;
}

export function reportFormTemplate(entry) {
  const indicators = Array.isArray(entry.profile?.indicators) ? entry.profile.indicators : [];
  return html`
    <form id="report-form" class="form" novalidate aria-labelledby="report-form-title" data-testid="report-form">
      <h2 id="report-form-title">${t('tracking.reportForm.title')}</h2>
      <div id="report-errors" class="error-summary" tabindex="-1" aria-labelledby="report-errors-title" hidden></div>
      <div class="field">
        <label for="rep-date">${t('tracking.reportForm.date')}</label>
        ${errorP('rep-date-error')}
        <input id="rep-date" name="reportedOn" type="date" required aria-required="true" value="${tr.todayISO()}" max="${tr.todayISO()}">
      </div>
      <div class="field">
        <label for="rep-status">${t('tracking.reportForm.status')}</label>
        ${errorP('rep-status-error')}
        <select id="rep-status" name="status" required aria-required="true">
          ${tr.IMPLEMENTATION_STATUSES.map((s) => html`<option value="${s}" ${attrs({ selected: s === 'inProgress' })}>${implLabel(s)}</option>`)}
        </select>
      </div>
      ${indicators.length ? html`<fieldset class="field" id="rep-values">
        <legend>${t('tracking.reportForm.values')}</legend>
        ${errorP('rep-values-error')}
        ${indicators.map((ind, i) => html`<div class="field">
          <label for="rep-value-${i}">${ind.unit ? t('tracking.reportForm.valueLabel', { name: ind.name || String(i + 1), unit: ind.unit }) : (ind.name || String(i + 1))}</label>
          <input id="rep-value-${i}" name="value-${i}" type="text" inputmode="decimal" autocomplete="off" data-indicator="${String(i)}">
        </div>`)}
      </fieldset>` : ''}
      <div class="field">
        <label for="rep-note">${t('tracking.reportForm.note')}</label>
        ${errorP('rep-note-error')}
        <textarea id="rep-note" name="note" rows="5" maxlength="8000"></textarea>
      </div>
      <div class="actions"><button type="submit" class="button primary" id="report-submit">${t('tracking.reportForm.submit')}</button></div>
    </form>`;
}

function summaryError(summaryId, err) {
  const summary = document.getElementById(summaryId);
  if (!summary) return;
  render(summary, html`<h3 id="${summaryId}-title">${t('create.errors.title')}</h3>${errorNotice(err)}`);
  summary.hidden = false;
  summary.focus();
}

/**
 * Submits one of the two forms. Resolves to true when saved (the caller refetches the
 * entry), false otherwise (errors are shown).
 */
export async function submitTrackingForm(form, entry, ctx) {
  const isDecision = form.id === 'decision-form';
  const map = isDecision ? decisionFields() : reportFields();
  const summaryId = isDecision ? 'decision-errors' : 'report-errors';
  const get = (name) => form.elements.namedItem(name)?.value ?? '';
  let payload;
  if (isDecision) {
    payload = tr.decisionPayload({ decidedOn: get('decidedOn'), body: get('body'), outcome: get('outcome'), note: get('note') });
  } else {
    const values = [...form.querySelectorAll('input[data-indicator]')].map((el) => el.value);
    payload = tr.reportPayload({ reportedOn: get('reportedOn'), status: get('status'), values, note: get('note') });
  }
  if (payload.issues.length) {
    reportFieldErrors(form, map, payload.issues, summaryId);
    return false;
  }
  resetFieldErrors(form, map, summaryId);
  const button = $(isDecision ? '#decision-submit' : '#report-submit');
  if (button?.getAttribute('aria-disabled') === 'true') return false;
  const restore = busyButton(button, t(isDecision ? 'tracking.decisionForm.submitting' : 'tracking.reportForm.submitting'));
  const path = `/api/v1/catalogue/${encodeURIComponent(entry.reference)}/${isDecision ? 'decisions' : 'reports'}`;
  try {
    await ctx.call(ctx.api.post(path, payload.body));
    restore();
    form.elements.namedItem('note').value = '';
    for (const el of form.querySelectorAll('input[data-indicator]')) el.value = '';
    announce(t(isDecision ? 'tracking.decisionForm.done' : 'tracking.reportForm.done'));
    return true;
  } catch (err) {
    restore();
    if (err instanceof ApiError && err.fields.length) reportFieldErrors(form, map, err.fields, summaryId);
    else summaryError(summaryId, err);
    return false;
  }
}
