// Recurring meetings (issue 4). Route:
//   #/meeting-series/<id>   one series: its rule in words, the upcoming occurrences with
//                           cancel / move / "open as a meeting" per occurrence, invite, cancel all
// The planner's "Regelmäßige Sitzung" option and the list of a workspace's series live on the
// meetings page (views/meetings.js calls the helpers exported here). Live updates come on
// `workspace:<id>` (`meetingSeries.*`, Docs/api/websocket.md); the page refetches on them.
// All user text goes through html``.

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, formatDate } from '../lib/i18n.js';
import { renderMarkdown } from '../lib/markdown.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton } from '../lib/ui.js';
import * as ms from '../state/meeting-series.js';
import { splitLocal } from '../state/meetings.js';

const enc = encodeURIComponent;

function fieldError(id) {
  return html`<p class="field-error" id="${id}" hidden></p>`;
}

/** "dienstags" style names via i18n: the weekday codes in words, joined. */
function dayNames(codes) {
  const names = codes.map((c) => t(`mt.series.day.${c}`));
  if (names.length < 2) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${t('mt.series.and')} ${names[names.length - 1]}`;
}

/** The rule in words in the page's language ("alle 2 Wochen am Dienstag, 6 Termine"). */
export function ruleText(series) {
  const start = splitLocal(series.start);
  const s = ms.ruleSummary(series.rule, start.date);
  const main = t(s.key, { n: String(s.params.n), days: dayNames(s.params.days), ordinal: t(`mt.series.ordinal.${s.params.ordinal}`), day: String(s.params.day ?? '') });
  const end = s.end ? t(s.end.key, { count: String(s.end.params.count ?? ''), until: formatDate(s.end.params.until ?? '') }) : t('mt.series.end.never');
  return `${main}, ${end}`;
}

function whenText(o) {
  const s = splitLocal(o.start);
  const e = splitLocal(o.end);
  const endPart = e.date === s.date ? e.time : `${formatDate(e.date)} ${e.time}`;
  return t('mt.when', { date: formatDate(s.date), start: s.time, end: endPart });
}

function weekdayLong(date) {
  const code = ms.weekdayOf(date);
  return code ? t(`mt.series.day.${code}`) : '';
}

// ================================================================== planner option

/** The "Regelmäßige Sitzung" part of the meeting planner (inside its form). */
export function seriesPlannerFields(k = {}, { toggle = true } = {}) {
  const r = k.recurrence ?? {};
  const on = Boolean(k.recurring) || !toggle;
  const freq = r.frequency ?? 'weekly';
  const end = r.end ?? 'count';
  const days = r.weekdays ?? [];
  return html`${toggle ? html`<div class="check" id="mt-plan-recurring-box">
      <input type="checkbox" id="mt-plan-recurring" name="recurring" aria-controls="mt-rec" ${attrs({ checked: on })}>
      <label for="mt-plan-recurring">${t('mt.series.option')}</label>
    </div>` : ''}
    <fieldset class="field" id="mt-rec" ${attrs({ hidden: !on })} data-testid="mt-rec">
      <legend>${t('mt.series.repeat')}</legend>
      <p class="hint">${toggle ? t('mt.series.repeatHint') : t('mt.series.editRuleHint')}</p>
      <div class="field">
        <label for="mt-rec-frequency">${t('mt.series.frequency')}</label>
        ${fieldError('mt-rec-frequency-error')}
        <select id="mt-rec-frequency" name="frequency">
          <option value="weekly" ${attrs({ selected: freq === 'weekly' })}>${t('mt.series.weekly')}</option>
          <option value="monthly" ${attrs({ selected: freq === 'monthly' })}>${t('mt.series.monthly')}</option>
        </select>
      </div>
      <div class="field">
        <label for="mt-rec-interval">${t('mt.series.interval')}</label>
        <p class="hint" id="mt-rec-interval-hint">${t('mt.series.intervalHint')}</p>
        ${fieldError('mt-rec-interval-error')}
        <input type="number" id="mt-rec-interval" name="interval" min="1" max="99" step="1" inputmode="numeric" value="${String(r.interval ?? 1)}" aria-describedby="mt-rec-interval-hint">
      </div>
      <fieldset class="field" id="mt-rec-weekdays" ${attrs({ hidden: freq !== 'weekly' })}>
        <legend>${t('mt.series.weekdays')}</legend>
        <p class="hint">${t('mt.series.weekdaysHint')}</p>
        ${fieldError('mt-rec-day-MO-error')}
        ${ms.WEEKDAYS.map((d) => html`<div class="check"><input type="checkbox" id="mt-rec-day-${d}" name="weekdays" value="${d}" ${attrs({ checked: days.includes(d) })}>
          <label for="mt-rec-day-${d}">${t(`mt.series.day.${d}`)}</label></div>`)}
      </fieldset>
      <div class="field" id="mt-rec-monthly" ${attrs({ hidden: freq !== 'monthly' })}>
        <label for="mt-rec-monthly-mode">${t('mt.series.monthlyMode')}</label>
        ${fieldError('mt-rec-monthly-mode-error')}
        <select id="mt-rec-monthly-mode" name="monthlyMode">
          ${ms.MONTHLY_MODES.map((m) => html`<option value="${m}" ${attrs({ selected: (r.monthlyMode ?? 'weekday') === m })}>${t(`mt.series.monthlyMode.${m}`)}</option>`)}
        </select>
      </div>
      <fieldset class="field" id="mt-rec-end">
        <legend>${t('mt.series.end')}</legend>
        <div class="check"><input type="radio" id="mt-rec-end-count" name="recEnd" value="count" ${attrs({ checked: end === 'count' })}>
          <label for="mt-rec-end-count">${t('mt.series.endCount')}</label></div>
        <div class="field">
          <label for="mt-rec-count">${t('mt.series.count')}</label>
          ${fieldError('mt-rec-count-error')}
          <input type="number" id="mt-rec-count" name="count" min="1" max="500" step="1" inputmode="numeric" value="${String(r.count ?? 10)}">
        </div>
        <div class="check"><input type="radio" id="mt-rec-end-until" name="recEnd" value="until" ${attrs({ checked: end === 'until' })}>
          <label for="mt-rec-end-until">${t('mt.series.endUntil')}</label></div>
        <div class="field">
          <label for="mt-rec-until">${t('mt.series.until')}</label>
          ${fieldError('mt-rec-until-error')}
          <input type="date" id="mt-rec-until" name="until" value="${r.until ?? ''}">
        </div>
        <div class="check"><input type="radio" id="mt-rec-end-never" name="recEnd" value="never" ${attrs({ checked: end === 'never' })}>
          <label for="mt-rec-end-never">${t('mt.series.endNever')}</label></div>
      </fieldset>
    </fieldset>`;
}

/** The recurrence fields' values (also kept across a language switch). */
export function readRecurrence(form) {
  const val = (id) => form.querySelector(`#${id}`)?.value ?? '';
  return {
    recurring: Boolean(form.querySelector('#mt-plan-recurring')?.checked),
    recurrence: {
      frequency: val('mt-rec-frequency'),
      interval: val('mt-rec-interval'),
      weekdays: [...form.querySelectorAll('input[name="weekdays"]:checked')].map((x) => x.value),
      monthlyMode: val('mt-rec-monthly-mode'),
      end: form.querySelector('input[name="recEnd"]:checked')?.value ?? 'never',
      count: val('mt-rec-count'),
      until: val('mt-rec-until'),
    },
  };
}

/** Field name (as the state helpers and the hub name them) → input id, for error messages. */
export const seriesErrorMap = {
  frequency: 'mt-rec-frequency', interval: 'mt-rec-interval', weekdays: 'mt-rec-day-MO', monthlyMode: 'mt-rec-monthly-mode',
  count: 'mt-rec-count', until: 'mt-rec-until', rule: 'mt-rec-frequency', recurrence: 'mt-rec-frequency',
};

/** Shows or hides the recurrence fields as the planner's choices change. */
export function wireSeriesPlanner(target) {
  target.addEventListener('change', (e) => {
    const id = e.target?.id;
    if (id === 'mt-plan-recurring') {
      const box = document.getElementById('mt-rec');
      if (box) box.hidden = !e.target.checked;
      const submit = document.getElementById('mt-plan-submit');
      if (submit) submit.textContent = e.target.checked ? t('mt.series.submit') : t('mt.plan.submit');
    } else if (id === 'mt-rec-frequency') {
      const weekly = e.target.value === 'weekly';
      const days = document.getElementById('mt-rec-weekdays');
      const monthly = document.getElementById('mt-rec-monthly');
      if (days) days.hidden = !weekly;
      if (monthly) monthly.hidden = weekly;
    }
  });
}

/**
 * Plans a series from the planner's values; `showErrors(errors)` marks the fields. On success
 * the browser goes to the new series' page.
 */
export async function submitSeriesPlan(ctx, wsId, values, form, showErrors) {
  const { body, errors } = ms.seriesBody({ ...values, ...readRecurrence(form) });
  if (errors) {
    showErrors(errors);
    return;
  }
  const done = busyButton($('#mt-plan-submit'), t('app.loading'));
  try {
    const { data } = await ctx.call(ctx.api.post(`/api/v1/workspaces/${enc(wsId)}/meeting-series`, body));
    ctx.app.flash = { kind: 'info', text: t('mt.series.created', { title: data.title }) };
    ctx.navigate(`#/meeting-series/${data.id}`);
  } catch (err) {
    done();
    if (err instanceof ApiError && err.fields.length) showErrors(err.fields);
    else render($('#mt-plan-errors'), errorNotice(err));
  }
}

/** The workspace's series on its meetings page. */
export function seriesListTemplate(list) {
  if (!list) return '';
  return html`<section class="card" aria-labelledby="mt-series-title">
    <h2 id="mt-series-title">${t('mt.series.listTitle')}</h2>
    ${list.length ? html`<ul class="mt-list" data-testid="mt-series-list">${list.map((s) => html`<li class="mt-row" data-testid="mt-series" data-id="${s.id}">
      <a href="#/meeting-series/${s.id}">${s.title}</a> <span class="badge mt-status mt-status-${s.status}">${t(`mt.series.status.${s.status}`)}</span>
      <span class="mt-meta">${ruleText(s)}, ${splitLocal(s.start).time}–${splitLocal(s.end).time}</span></li>`)}</ul>`
      : html`<p>${t('mt.list.none')}</p>`}
  </section>`;
}

// ================================================================== the series page

export function mountMeetingSeries(target, route, keep, ctx) {
  const { app } = ctx;
  const id = route.id;
  let destroyed = false;
  let state = null; // the API's series detail: { series, occurrences, hasMore, invitees, mayManage }
  let error = null;
  let limit = 20;
  let moving = null; // the recurrence id whose move form is open
  let confirmCancel = false;
  let editing = false; // the "change the series" form is open
  let topic = null;
  const flash = ctx.flashTemplate();

  setTitle(t('mt.series.page'));
  render(target, html`
    <p class="breadcrumb" id="ms-crumb"></p>
    <h1 id="page-title" tabindex="-1">${t('mt.series.page')}</h1>
    ${flash}
    <div id="ms-error" role="status"></div>
    <div id="ms-body"><p class="loading">${t('app.loading')}</p></div>`);

  async function load() {
    try {
      const { data } = await ctx.call(ctx.api.get(`/api/v1/meeting-series/${enc(id)}?limit=${limit}`));
      if (destroyed) return null;
      state = data;
      error = null;
      follow();
    } catch (err) {
      if (destroyed) return null;
      error = err;
    }
    draw();
    return null;
  }

  function follow() {
    const ws = state?.series?.workspaceId;
    if (!ws || topic || !app.live) return;
    if (!(ctx.isAdmin() || ctx.roleIn(ws) !== null)) return;
    topic = `workspace:${ws}`;
    app.live.subscribe(topic, { cursor: null, reload: load });
  }

  function draw() {
    if (destroyed) return;
    if (!state) {
      render($('#ms-body'), error ? errorNotice(error) : html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    const s = state.series;
    const wsName = ctx.workspaceName(s.workspaceId);
    render($('#ms-crumb'), html`<a href="#/workspaces/${s.workspaceId}/meetings">${wsName ? t('mt.series.backNamed', { name: wsName }) : t('mt.list.title')}</a>`);
    const h1 = $('#page-title');
    if (h1) h1.textContent = s.title;
    setTitle(s.title);
    const manage = Boolean(state.mayManage);
    const acts = ms.seriesActions(s, { manage });
    const now = Date.now();
    const first = splitLocal(s.start);
    renderKeepingFocus($('#ms-body'), html`
      ${error ? errorNotice(error) : ''}
      <section class="card" aria-labelledby="ms-facts-title">
        <h2 id="ms-facts-title" tabindex="-1">${t('mt.facts')}</h2>
        <dl class="facts">
          <dt>${t('mt.status')}</dt><dd><span class="badge mt-status mt-status-${s.status}" data-testid="ms-status">${t(`mt.series.status.${s.status}`)}</span></dd>
          <dt>${t('mt.series.rhythm')}</dt><dd data-testid="ms-rule">${ruleText(s)}</dd>
          <dt>${t('mt.series.time')}</dt><dd>${t('mt.series.timeValue', { start: first.time, end: splitLocal(s.end).time })}</dd>
          <dt>${t('mt.series.first')}</dt><dd>${weekdayLong(first.date)}, ${formatDate(first.date)}</dd>
          ${s.place ? html`<dt>${t('mt.place')}</dt><dd>${s.place}</dd>` : ''}
          ${s.onlineUrl ? html`<dt>${t('mt.online')}</dt><dd><a href="${s.onlineUrl}" rel="noopener noreferrer">${s.onlineUrl}</a></dd>` : ''}
        </dl>
        ${s.description ? html`<div class="markdown">${renderMarkdown(s.description)}</div>` : ''}
        <ul class="mt-list">
          <li><a href="/api/v1/meeting-series/${s.id}/series.ics" download data-testid="ms-ics">${t('mt.series.ics')}</a></li>
        </ul>
        ${acts.invite || acts.cancel ? html`<div class="actions">
          ${acts.invite ? html`<button type="button" class="button primary" id="ms-invite" data-testid="ms-invite">${t('mt.series.invite')}</button>` : ''}
          ${acts.cancel ? html`<button type="button" class="button secondary" id="ms-edit-open" aria-expanded="${editing ? 'true' : 'false'}" aria-controls="ms-edit">${t('mt.series.edit')}</button>` : ''}
          ${acts.cancel && !confirmCancel ? html`<button type="button" class="button danger" id="ms-cancel" data-testid="ms-cancel">${t('mt.series.cancel')}</button>` : ''}
        </div>` : ''}
        ${acts.cancel && confirmCancel ? html`<div class="notice" role="group" aria-labelledby="ms-cancel-q">
          <p id="ms-cancel-q">${t(s.status === 'invited' ? 'mt.series.cancelConfirmInvited' : 'mt.series.cancelConfirm')}</p>
          <div class="actions">
            <button type="button" class="button danger" id="ms-cancel-yes" data-testid="ms-cancel-yes">${t('mt.series.cancelYes')}</button>
            <button type="button" class="button secondary" id="ms-cancel-no">${t('mt.series.keep')}</button>
          </div></div>` : ''}
      </section>
      ${editing && acts.cancel ? editTemplate(s) : ''}
      <section class="card" aria-labelledby="ms-occ-title">
        <h2 id="ms-occ-title" tabindex="-1">${t('mt.series.upcoming')}</h2>
        ${state.occurrences.length ? html`<ul class="ms-occurrences" data-testid="ms-occurrences">
          ${state.occurrences.map((o) => occurrenceTemplate(o, s, manage, now))}</ul>` : html`<p>${t('mt.series.noneUpcoming')}</p>`}
        ${state.hasMore ? html`<div class="actions"><button type="button" class="button secondary" id="ms-more">${t('mt.series.more')}</button></div>` : ''}
      </section>
      ${s.cancelledOccurrences.length ? html`<section class="card" aria-labelledby="ms-off-title">
        <h2 id="ms-off-title">${t('mt.series.cancelledTitle')}</h2>
        <ul class="mt-list" data-testid="ms-cancelled">${s.cancelledOccurrences.map((c) => html`<li>${weekdayLong(splitLocal(c).date)}, ${formatDate(splitLocal(c).date)}, ${splitLocal(c).time}</li>`)}</ul>
      </section>` : ''}
      ${state.invitees.length ? answersTemplate() : ''}`);
  }

  /** Answers for the whole series: the counts, my answer (invitees), who answered what (managers). */
  function answersTemplate() {
    const tally = state.tally ?? { accepted: 0, tentative: 0, declined: 0, pending: 0 };
    const mine = ms.mayAnswer(state, app.session?.user?.id ?? null);
    return html`<section class="card" aria-labelledby="ms-inv-title">
      <h2 id="ms-inv-title">${t('mt.series.invitees')}</h2>
      <p data-testid="ms-tally">${t('mt.rsvp.tally', { accepted: String(tally.accepted), tentative: String(tally.tentative), declined: String(tally.declined), pending: String(tally.pending) })}</p>
      ${mine ? html`<p>${t('mt.series.answerHint')}</p><div class="actions" role="group" aria-label="${t('mt.rsvp.mine')}">
        ${['accepted', 'tentative', 'declined'].map((r) => html`<button type="button" class="button ${state.myResponse === r ? 'primary' : 'secondary'}" id="ms-rsvp-${r}" data-rsvp="${r}" aria-pressed="${state.myResponse === r ? 'true' : 'false'}">${t(`mt.rsvp.${r}`)}</button>`)}
      </div>` : ''}
      <ul class="mt-list">${state.invitees.map((i) => html`<li>${i.name || i.key}${i.response ? html` · ${t(`mt.rsvp.${i.response}`)}` : ''}</li>`)}</ul>
    </section>`;
  }

  /** Changing the series: title, place, time of day and rhythm (the first date stays). */
  function editTemplate(s) {
    const start = splitLocal(s.start);
    const end = splitLocal(s.end);
    return html`<section class="card" aria-labelledby="ms-edit-title">
      <h2 id="ms-edit-title" tabindex="-1">${t('mt.series.edit')}</h2>
      <form id="ms-edit" novalidate>
        <div id="ms-edit-errors"></div>
        <div class="field"><label for="ms-edit-name">${t('mt.plan.name')}</label>${fieldError('ms-edit-name-error')}
          <input type="text" id="ms-edit-name" name="title" required maxlength="200" autocomplete="off" value="${s.title}"></div>
        <div class="field"><label for="ms-edit-place">${t('mt.plan.place')}</label>
          <input type="text" id="ms-edit-place" name="place" maxlength="200" autocomplete="off" value="${s.place ?? ''}"></div>
        <div class="mt-times">
          <div class="field"><label for="ms-edit-start">${t('mt.plan.start')}</label>${fieldError('ms-edit-start-error')}
            <input type="time" id="ms-edit-start" name="startTime" required value="${start.time}"></div>
          <div class="field"><label for="ms-edit-end">${t('mt.plan.end')}</label>${fieldError('ms-edit-end-error')}
            <input type="time" id="ms-edit-end" name="endTime" required value="${end.time}"></div>
        </div>
        ${seriesPlannerFields({ recurrence: ms.parseRule(s.rule) }, { toggle: false })}
        ${s.status === 'invited' ? html`<p class="hint">${t('mt.series.editInvitedHint')}</p>` : ''}
        <div class="actions">
          <button type="submit" class="button primary" id="ms-edit-submit">${t('mt.series.editSubmit')}</button>
          <button type="button" class="button secondary" id="ms-edit-close">${t('mt.templates.cancel')}</button>
        </div>
      </form>
    </section>`;
  }

  function occurrenceTemplate(o, s, manage, now) {
    const a = ms.occurrenceActions(o, s, { manage, nowMs: now });
    const rid = o.recurrenceId;
    const date = splitLocal(o.start).date;
    const label = `${weekdayLong(date)}, ${whenText(o)}`;
    const safe = rid.replace(/[^0-9]/g, '');
    return html`<li class="ms-occurrence" data-testid="ms-occurrence" data-rid="${rid}">
      <p class="ms-when"><strong>${label}</strong>${o.isMoved ? html` <span class="badge badge-current">${t('mt.series.moved')}</span>` : ''}</p>
      ${a.cancel || a.move || a.open || a.meeting ? html`<div class="mt-item-tools">
        ${a.meeting ? html`<a class="button secondary" href="#/meetings/${o.meetingId}">${t('mt.series.toMeeting')}<span class="visually-hidden"> ${label}</span></a>` : ''}
        ${a.open ? html`<button type="button" class="button secondary" data-act="open" data-rid="${rid}">${t('mt.series.open')}<span class="visually-hidden"> ${label}</span></button>` : ''}
        ${a.move ? html`<button type="button" class="button secondary" data-act="move" data-rid="${rid}" aria-expanded="${moving === rid ? 'true' : 'false'}" aria-controls="ms-move-${safe}">${t('mt.series.move')}<span class="visually-hidden"> ${label}</span></button>` : ''}
        ${a.cancel ? html`<button type="button" class="button danger" data-act="cancel" data-rid="${rid}" data-testid="ms-cancel-occurrence">${t('mt.series.cancelOne')}<span class="visually-hidden"> ${label}</span></button>` : ''}
      </div>` : ''}
      ${moving === rid ? moveForm(o, safe) : ''}
    </li>`;
  }

  function moveForm(o, safe) {
    const s = splitLocal(o.start);
    const e = splitLocal(o.end);
    return html`<form class="ms-move" id="ms-move-${safe}" data-rid="${o.recurrenceId}" novalidate aria-labelledby="ms-move-${safe}-title">
      <h3 id="ms-move-${safe}-title">${t('mt.series.moveTitle')}</h3>
      <div id="ms-move-errors"></div>
      <div class="field">
        <label for="ms-move-date">${t('mt.plan.date')}</label>
        ${fieldError('ms-move-date-error')}
        <input type="date" id="ms-move-date" name="date" required value="${s.date}">
      </div>
      <div class="mt-times">
        <div class="field"><label for="ms-move-start">${t('mt.plan.start')}</label>${fieldError('ms-move-start-error')}
          <input type="time" id="ms-move-start" name="startTime" required value="${s.time}"></div>
        <div class="field"><label for="ms-move-end">${t('mt.plan.end')}</label>${fieldError('ms-move-end-error')}
          <input type="time" id="ms-move-end" name="endTime" required value="${e.time}"></div>
      </div>
      <div class="actions">
        <button type="submit" class="button primary" id="ms-move-submit">${t('mt.series.moveSubmit')}</button>
        <button type="button" class="button secondary" data-act="move-close">${t('mt.templates.cancel')}</button>
      </div>
    </form>`;
  }

  const moveMap = { date: 'ms-move-date', startTime: 'ms-move-start', start: 'ms-move-start', endTime: 'ms-move-end', end: 'ms-move-end' };
  const editMap = { ...seriesErrorMap, title: 'ms-edit-name', startTime: 'ms-edit-start', start: 'ms-edit-start', endTime: 'ms-edit-end', end: 'ms-edit-end' };

  function markErrors(form, errors, map = moveMap, summary = 'ms-move-errors') {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
    let first = null;
    const loose = [];
    for (const e of errors) {
      const key = `mt.error.${e.field}.${e.code}`;
      const text = t(key) !== key ? t(key) : (e.message || t('mt.error.generic'));
      const inputId = map[String(e.field ?? '').split(/[.[]/)[0]];
      const input = inputId && document.getElementById(inputId);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', `${inputId}-error`);
        const box = document.getElementById(`${inputId}-error`);
        if (box) { box.textContent = text; box.hidden = false; }
        first = first ?? input;
      } else loose.push(text);
    }
    if (loose.length) render(document.getElementById(summary), html`<p class="error" role="alert">${loose.join(' ')}</p>`);
    first?.focus();
  }

  /** A change with If-Match; a 409 shows the current state and says so. */
  async function change(promise, { button = null, success = null, focus = null } = {}) {
    const done = button ? busyButton(button, t('app.loading')) : () => {};
    try {
      await promise;
      moving = null;
      confirmCancel = false;
      await load();
      if (success) announce(success);
      if (focus) (document.getElementById(focus) ?? $('#page-title'))?.focus();
      return true;
    } catch (err) {
      done();
      if (err instanceof ApiError && err.status === 409) {
        await load();
        render($('#ms-error'), html`<p class="notice">${t('mt.series.conflict')}</p>`);
        announce(t('mt.series.conflict'));
      } else {
        render($('#ms-error'), errorNotice(err));
        announce(errorText(err));
      }
      return false;
    }
  }

  const headers = () => ({ headers: { 'If-Match': ifMatch(state.series.version) } });

  target.addEventListener('click', async (e) => {
    const b = e.target.closest('button');
    if (!b || !state) return;
    const rid = b.dataset.rid;
    if (b.dataset.rsvp) {
      const response = b.dataset.rsvp;
      const done = busyButton(b, t('app.loading'));
      try {
        await ctx.call(ctx.api.post(`/api/v1/meeting-series/${enc(id)}/rsvp`, { response }));
        await load();
        $(`#ms-rsvp-${response}`)?.focus();
        announce(t('mt.rsvp.saved', { response: t(`mt.rsvp.${response}`) }));
      } catch (err) {
        done();
        render($('#ms-error'), errorNotice(err));
        announce(errorText(err));
      }
    } else if (b.id === 'ms-edit-open') {
      editing = !editing;
      draw();
      if (editing) $('#ms-edit-title')?.focus();
    } else if (b.id === 'ms-edit-close') {
      editing = false;
      draw();
      $('#ms-edit-open')?.focus();
    } else if (b.id === 'ms-invite') {
      await change(ctx.call(ctx.api.post(`/api/v1/meeting-series/${enc(id)}/invite`, undefined, headers())), { button: b, success: t('mt.series.invited'), focus: 'ms-facts-title' });
    } else if (b.id === 'ms-cancel') {
      confirmCancel = true;
      draw();
      $('#ms-cancel-yes')?.focus();
    } else if (b.id === 'ms-cancel-no') {
      confirmCancel = false;
      draw();
      $('#ms-cancel')?.focus();
    } else if (b.id === 'ms-cancel-yes') {
      await change(ctx.call(ctx.api.post(`/api/v1/meeting-series/${enc(id)}/cancel`, undefined, headers())), { button: b, success: t('mt.series.cancelled'), focus: 'ms-facts-title' });
    } else if (b.id === 'ms-more') {
      limit = Math.min(100, limit + 20);
      await load();
      b.focus?.();
    } else if (b.dataset.act === 'cancel') {
      const label = formatDate(splitLocal(rid).date);
      await change(ctx.call(ctx.api.post(`/api/v1/meeting-series/${enc(id)}/occurrences/${enc(rid)}/cancel`, undefined, headers())),
        { button: b, success: t('mt.series.cancelledOne', { date: label }), focus: 'ms-occ-title' });
    } else if (b.dataset.act === 'move') {
      moving = moving === rid ? null : rid;
      draw();
      if (moving) $('#ms-move-date')?.focus();
    } else if (b.dataset.act === 'move-close') {
      const was = moving;
      moving = null;
      draw();
      target.querySelector(`button[data-act="move"][data-rid="${was}"]`)?.focus();
    } else if (b.dataset.act === 'open') {
      const done = busyButton(b, t('app.loading'));
      try {
        const { data } = await ctx.call(ctx.api.post(`/api/v1/meeting-series/${enc(id)}/occurrences/${enc(rid)}/meeting`));
        ctx.navigate(`#/meetings/${data.meeting.id}`);
      } catch (err) {
        done();
        render($('#ms-error'), errorNotice(err));
        announce(errorText(err));
      }
    }
  });

  target.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && moving && e.target.closest('.ms-move')) {
      const was = moving;
      moving = null;
      draw();
      target.querySelector(`button[data-act="move"][data-rid="${was}"]`)?.focus();
    }
  });

  target.addEventListener('submit', async (e) => {
    if (e.target.id !== 'ms-edit') return;
    e.preventDefault();
    const form = e.target;
    const { recurrence } = readRecurrence(form);
    const { body, errors } = ms.seriesPatch(state.series, { title: form.title.value, place: form.place.value, startTime: form.startTime.value,
      endTime: form.endTime.value, recurrence });
    if (errors) {
      markErrors(form, errors, editMap, 'ms-edit-errors');
      return;
    }
    if (!Object.keys(body).length) {
      editing = false;
      draw();
      $('#ms-edit-open')?.focus();
      return;
    }
    const done = busyButton($('#ms-edit-submit'), t('app.loading'));
    try {
      await ctx.call(ctx.api.patch(`/api/v1/meeting-series/${enc(id)}`, body, headers()));
      editing = false;
      await load();
      announce(t('mt.series.edited'));
      $('#ms-occ-title')?.focus();
    } catch (err) {
      done();
      if (err instanceof ApiError && err.status === 409 && err.code !== 'series.cancelled') {
        editing = false;
        await load();
        render($('#ms-error'), html`<p class="notice">${t('mt.series.conflict')}</p>`);
        announce(t('mt.series.conflict'));
      } else if (err instanceof ApiError && err.fields.length) markErrors(form, err.fields, editMap, 'ms-edit-errors');
      else render($('#ms-edit-errors'), errorNotice(err));
    }
  });

  target.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!form.classList.contains('ms-move')) return;
    e.preventDefault();
    const rid = form.dataset.rid;
    const { body, errors } = ms.moveBody({ date: form.date.value, startTime: form.startTime.value, endTime: form.endTime.value });
    if (errors) {
      markErrors(form, errors);
      return;
    }
    const done = busyButton($('#ms-move-submit'), t('app.loading'));
    try {
      await ctx.call(ctx.api.post(`/api/v1/meeting-series/${enc(id)}/occurrences/${enc(rid)}/move`, body, headers()));
      moving = null;
      await load();
      announce(t('mt.series.movedOne', { date: formatDate(body.start.slice(0, 10)), time: body.start.slice(11) }));
      $('#ms-occ-title')?.focus();
    } catch (err) {
      done();
      if (err instanceof ApiError && err.fields.length) markErrors(form, err.fields);
      else if (err instanceof ApiError && err.status === 409) {
        moving = null;
        await load();
        render($('#ms-error'), html`<p class="notice">${t('mt.series.conflict')}</p>`);
        announce(t('mt.series.conflict'));
      } else render($('#ms-move-errors'), errorNotice(err));
    }
  });

  wireSeriesPlanner(target);
  load();
  return {
    name: 'meetingSeries',
    update(reason) {
      if (reason === 'directory' && state) draw();
    },
    onTopicEvent(event) {
      if (!state || event.topic !== topic) return;
      // Our own changes are loaded already (same version); someone else's are fetched and read out.
      const newer = ms.isAboutSeries(event, id) && (event.data.series.version ?? 0) > state.series.version;
      const occurrence = String(event.name).startsWith('meeting.') && event.data?.meeting?.seriesId === id;
      if (newer && (editing || moving)) {
        // Keep the open form and what was typed; saving it runs into the 409 and shows the new state.
        render($('#ms-error'), html`<p class="notice">${t('mt.series.changedWhileEditing')}</p>`);
        announce(t('mt.series.changedWhileEditing'));
        return;
      }
      if (newer || occurrence) load().then(() => { if (newer) announce(t('mt.series.changedLive')); });
    },
    keep() { return null; },
    destroy() {
      destroyed = true;
      if (topic && app.live) app.live.unsubscribe(topic);
    },
  };
}


// ================================================================== answer by link (no account)

/** `#/series-rsvp/<token>[/<answer>]`: answering a series invitation from the mail, without signing
 * in. The answer in the link is only preselected (focused), never sent on opening: mail scanners
 * open links too. */
export function mountSeriesRsvp(target, route, keep, ctx) {
  const token = route.token;
  let destroyed = false;
  let info = null;
  let error = null;
  setTitle(t('mt.rsvpPage.title'));

  function draw() {
    if (destroyed) return;
    let body;
    if (!info) {
      body = error ? html`${errorNotice(error)}<p>${t('mt.rsvpPage.invalidHint')}</p>` : html`<p class="loading">${t('app.loading')}</p>`;
    } else {
      const s = info.series;
      body = html`
        <dl class="facts">
          <dt>${t('mt.series.page')}</dt><dd data-testid="srsvp-title">${s.title}</dd>
          <dt>${t('mt.series.rhythm')}</dt><dd>${ruleText(s)}</dd>
          <dt>${t('mt.series.time')}</dt><dd>${t('mt.series.timeValue', { start: splitLocal(s.start).time, end: splitLocal(s.end).time })}</dd>
          ${s.place ? html`<dt>${t('mt.place')}</dt><dd>${s.place}</dd>` : ''}
          ${s.onlineUrl ? html`<dt>${t('mt.online')}</dt><dd><a href="${s.onlineUrl}" rel="noopener noreferrer">${s.onlineUrl}</a></dd>` : ''}
        </dl>
        ${s.status === 'cancelled' ? html`<p class="notice notice-error">${t('mt.series.rsvpCancelled')}</p>` : html`
        <p data-testid="srsvp-current">${info.response ? t('mt.rsvpPage.current', { response: t(`mt.rsvp.${info.response}`) }) : t('mt.rsvpPage.none')}</p>
        <div class="actions" role="group" aria-labelledby="srsvp-question">
          <p id="srsvp-question" class="visually-hidden">${t('mt.rsvpPage.question')}</p>
          ${['accepted', 'tentative', 'declined'].map((r) => html`<button type="button" class="button ${info.response === r ? 'primary' : 'secondary'}" id="srsvp-${r}" data-rsvp="${r}" aria-pressed="${info.response === r ? 'true' : 'false'}">${t(`mt.rsvp.${r}`)}</button>`)}
        </div>`}`;
    }
    renderKeepingFocus(target, html`<section class="card narrow" aria-labelledby="page-title">
      <h1 id="page-title" tabindex="-1">${t('mt.rsvpPage.title')}</h1>
      <p>${t('mt.series.rsvpIntro')}</p>
      <div id="srsvp-error"></div>
      ${body}
    </section>`);
  }

  async function load() {
    try {
      const { data } = await ctx.api.get(`/api/v1/series-rsvp/${enc(token)}`);
      if (destroyed) return;
      info = data;
    } catch (err) {
      error = err;
    }
    draw();
    if (info && route.answer) document.getElementById(`srsvp-${route.answer}`)?.focus();
  }

  target.addEventListener('click', async (e) => {
    const b = e.target.closest('[data-rsvp]');
    if (!b || !info) return;
    const done = busyButton(b, t('app.loading'));
    try {
      const { data } = await ctx.api.post(`/api/v1/series-rsvp/${enc(token)}`, { response: b.dataset.rsvp });
      info = data;
      draw();
      document.getElementById(`srsvp-${b.dataset.rsvp}`)?.focus();
      announce(t('mt.rsvp.saved', { response: t(`mt.rsvp.${b.dataset.rsvp}`) }));
    } catch (err) {
      done();
      render($('#srsvp-error'), errorNotice(err));
      announce(errorText(err));
    }
  });

  draw();
  load();
  return { name: 'seriesRsvp', destroy() { destroyed = true; } };
}
