// Meetings (issue 4). Routes:
//   #/workspaces/<id>/meetings   the workspace's meetings and the planner (from a template)
//   #/workspaces/<id>/actions    the workspace-wide action list, overdue ones marked
//   #/meetings/<id>              overview: facts, invitation, answers, the agenda editor
//   #/meetings/<id>/live         live view: current item, local countdown, minutes editor
//   #/meetings/<id>/minutes      approval: circulate, objections and answers, approve, publish
//   #/rsvp/<token>               answer an invitation from the e-mail link (no sign-in)
//   #/admin/meeting-templates    district templates (administrators)
// Live updates come on the meeting's topic (`meeting:<id>`, or `workspace:<id>` where the
// hub has no meeting topic: agenda.liveChanged, minutes.saved, …, see Docs/api/websocket.md);
// without them the page refetches after its own actions, so it degrades to "reload to see
// others' changes". The timer is a
// stored end time; the browser counts down itself. All user text goes through html``
// or renderMarkdown.

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, tn, getLang, formatDate, formatDateTime } from '../lib/i18n.js';
import { renderMarkdown } from '../lib/markdown.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton, copyText, confirmAction } from '../lib/ui.js';
import * as mt from '../state/meetings.js';
import { seriesPlannerFields, readRecurrence, seriesErrorMap, wireSeriesPlanner, submitSeriesPlan, seriesListTemplate } from './meeting-series.js';

const enc = encodeURIComponent;

function statusBadge(status) {
  return html`<span class="badge mt-status mt-status-${status}" data-testid="mt-status">${t(`mt.status.${status}`)}</span>`;
}

function whenText(meeting) {
  const s = mt.splitLocal(meeting.start);
  const e = mt.splitLocal(meeting.end);
  const endPart = e.date === s.date ? e.time : `${formatDate(e.date)} ${e.time}`;
  return t('mt.when', { date: formatDate(s.date), start: s.time, end: endPart });
}

function todayBerlin() {
  return mt.berlinDate(Date.now());
}

function fieldError(id) {
  return html`<p class="field-error" id="${id}" hidden></p>`;
}

/** Marks fields invalid from local or server errors and focuses the first. */
function showErrors(form, errors, map, summaryId) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  const items = [];
  for (const e of errors) {
    const name = String(e.field ?? '').split(/[.[]/)[0];
    const spec = map[name];
    const key = `mt.error.${name}.${e.code}`;
    const text = t(key) !== key ? t(key) : (e.message || t('mt.error.generic'));
    if (spec) {
      const input = document.getElementById(spec);
      const err = document.getElementById(`${spec}-error`);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', `${spec}-error`);
      }
      if (err) {
        err.textContent = text;
        err.hidden = false;
      }
    }
    items.push({ text, target: spec });
  }
  const box = document.getElementById(summaryId);
  if (box) {
    render(box, html`<div class="error-summary" role="alert" tabindex="-1"><h2>${t('mt.error.title')}</h2><ul>${items.map((i) => html`<li>${i.target ? html`<a href="#${i.target}" data-focus="${i.target}">${i.text}</a>` : i.text}</li>`)}</ul></div>`);
    box.querySelector('.error-summary')?.focus();
  }
}

// ================================================================== list and planner

export function mountMeetingList(target, route, keep, ctx) {
  const wsId = route.id;
  let destroyed = false;
  let meetings = null;
  let templates = [];
  let members = [];
  let error = null;
  let feedUrl = null;
  let seriesList = null; // the workspace's recurring meetings (views/meeting-series.js)
  const manage = ctx.canEdit(wsId);
  const wsName = () => ctx.workspaceName(wsId) ?? '';
  setTitle(t('mt.list.title'));

  function draw() {
    if (destroyed) return;
    const now = todayBerlin();
    const list = meetings ?? [];
    const upcoming = list.filter((m) => m.start.slice(0, 10) >= now && m.status !== 'cancelled').sort((a, b) => (a.start < b.start ? -1 : 1));
    const past = list.filter((m) => !upcoming.includes(m)).sort((a, b) => (a.start < b.start ? 1 : -1));
    const item = (m) => html`<li class="mt-row" data-testid="mt-meeting" data-id="${m.id}">
      <a href="#/meetings/${m.id}">${m.title}</a> ${statusBadge(m.status)}
      <span class="mt-meta">${whenText(m)}${m.place ? html` · ${m.place}` : ''}</span></li>`;
    renderKeepingFocus(target, html`
      <p class="breadcrumb"><a href="#/workspaces/${wsId}">${wsName() || t('mt.backToWorkspace')}</a></p>
      <h1 id="page-title" tabindex="-1">${t('mt.list.title')}</h1>
      <p><a href="#/workspaces/${wsId}/actions" data-testid="mt-actions-link">${t('mt.actions.title')}</a></p>
      ${error ? errorNotice(error) : ''}
      <section class="card" aria-labelledby="mt-upcoming-title">
        <h2 id="mt-upcoming-title">${t('mt.list.upcoming')}</h2>
        ${meetings === null ? html`<p class="loading">${t('app.loading')}</p>`
          : upcoming.length ? html`<ul class="mt-list" data-testid="mt-upcoming">${upcoming.map(item)}</ul>` : html`<p>${t('mt.list.none')}</p>`}
      </section>
      <section class="card" aria-labelledby="mt-past-title">
        <h2 id="mt-past-title">${t('mt.list.past')}</h2>
        ${meetings === null ? '' : past.length ? html`<ul class="mt-list" data-testid="mt-past">${past.map(item)}</ul>` : html`<p>${t('mt.list.none')}</p>`}
      </section>
      ${seriesListTemplate(seriesList)}
      ${manage ? feedTemplate() : ''}
      ${manage ? plannerTemplate() : ''}`);
  }

  function feedTemplate() {
    return html`<section class="card" aria-labelledby="mt-feed-title">
      <h2 id="mt-feed-title">${t('mt.feed.title')}</h2>
      <p>${t('mt.feed.body')}</p>
      ${feedUrl ? html`<div class="field"><label for="mt-feed-url">${t('mt.feed.url')}</label>
        <input type="text" id="mt-feed-url" readonly value="${feedUrl}" data-testid="mt-feed-url"></div>
        <div class="actions"><button type="button" class="button secondary" id="mt-feed-copy">${t('mt.feed.copy')}</button></div>` : ''}
      <div class="actions"><button type="button" class="button secondary" id="mt-feed-new">${feedUrl ? t('mt.feed.renew') : t('mt.feed.create')}</button></div>
    </section>`;
  }

  function plannerTemplate() {
    const k = keep?.planner ?? {};
    return html`<section class="card" aria-labelledby="mt-plan-title" id="mt-planner">
      <h2 id="mt-plan-title">${t('mt.plan.title')}</h2>
      <p>${t('mt.plan.intro')}</p>
      <form id="mt-plan" novalidate>
        <div id="mt-plan-errors"></div>
        <div class="field">
          <label for="mt-plan-template">${t('mt.plan.template')}</label>
          ${fieldError('mt-plan-template-error')}
          <select id="mt-plan-template" name="templateId" required>
            <option value="">${t('mt.plan.chooseTemplate')}</option>
            ${templates.map((x) => html`<option value="${x.id}" ${attrs({ selected: k.templateId === x.id })}>${x.name} (${t('mt.template.version', { version: String(x.version) })})</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="mt-plan-title-input">${t('mt.plan.name')}</label>
          ${fieldError('mt-plan-title-input-error')}
          <input type="text" id="mt-plan-title-input" name="title" required maxlength="200" autocomplete="off" value="${k.title ?? ''}">
        </div>
        <div class="field">
          <label for="mt-plan-date">${t('mt.plan.date')}</label>
          ${fieldError('mt-plan-date-error')}
          <input id="mt-plan-date" name="date" type="date" required value="${k.date ?? ''}">
        </div>
        <div class="mt-times">
          <div class="field">
            <label for="mt-plan-start">${t('mt.plan.start')}</label>
            ${fieldError('mt-plan-start-error')}
            <input id="mt-plan-start" name="startTime" type="time" required value="${k.startTime ?? '17:00'}">
          </div>
          <div class="field">
            <label for="mt-plan-end">${t('mt.plan.end')}</label>
            ${fieldError('mt-plan-end-error')}
            <input id="mt-plan-end" name="endTime" type="time" required value="${k.endTime ?? '19:00'}">
          </div>
        </div>
        <div class="field">
          <label for="mt-plan-place">${t('mt.plan.place')}</label>
          <input type="text" id="mt-plan-place" name="place" maxlength="200" autocomplete="off" value="${k.place ?? ''}">
        </div>
        <div class="field">
          <label for="mt-plan-url">${t('mt.plan.url')}</label>
          <p class="hint" id="mt-plan-url-hint">${t('mt.plan.urlHint')}</p>
          ${fieldError('mt-plan-url-error')}
          <input id="mt-plan-url" name="onlineUrl" type="url" class="mt-url" inputmode="url" autocomplete="off" aria-describedby="mt-plan-url-hint" value="${k.onlineUrl ?? ''}">
        </div>
        <div class="field">
          <label for="mt-plan-description">${t('mt.plan.description')}</label>
          <textarea id="mt-plan-description" name="description" rows="3" maxlength="4000">${k.description ?? ''}</textarea>
        </div>
        <fieldset class="field" id="mt-plan-members">
          <legend>${t('mt.plan.members')}</legend>
          ${members.length ? members.map((mb) => html`<div class="checkbox">
            <input type="checkbox" id="mt-inv-${mb.userId}" name="members" value="${mb.userId}" checked>
            <label for="mt-inv-${mb.userId}">${mb.displayName ?? mb.userId}</label></div>`) : html`<p>${t('mt.plan.noMembers')}</p>`}
        </fieldset>
        <div class="field">
          <label for="mt-plan-guests">${t('mt.plan.guests')}</label>
          <p class="hint" id="mt-plan-guests-hint">${t('mt.plan.guestsHint')}</p>
          ${fieldError('mt-plan-guests-error')}
          <textarea id="mt-plan-guests" name="guests" rows="2" aria-describedby="mt-plan-guests-hint" autocomplete="off">${k.guests ?? ''}</textarea>
        </div>
        ${seriesPlannerFields(k)}
        <div class="actions"><button type="submit" class="button primary" id="mt-plan-submit">${k.recurring ? t('mt.series.submit') : t('mt.plan.submit')}</button></div>
      </form>
    </section>`;
  }

  async function load() {
    try {
      const requests = [ctx.call(ctx.api.get(`/api/v1/workspaces/${enc(wsId)}/meetings`))];
      if (manage) {
        requests.push(ctx.call(ctx.api.get('/api/v1/meeting-templates')));
        requests.push(ctx.call(ctx.api.get(`/api/v1/workspaces/${enc(wsId)}/members`)));
      }
      const [ms, ts, mbs] = await Promise.all(requests);
      const sl = await ctx.call(ctx.api.get(`/api/v1/workspaces/${enc(wsId)}/meeting-series`)).catch(() => null);
      if (destroyed) return;
      seriesList = sl?.data?.items ?? seriesList;
      meetings = ms.data?.items ?? [];
      templates = ts?.data?.items ?? [];
      members = mbs?.data?.items ?? [];
      error = null;
    } catch (err) {
      error = err;
      meetings = meetings ?? [];
    }
    draw();
  }

  const errorMap = { templateId: 'mt-plan-template', title: 'mt-plan-title-input', date: 'mt-plan-date', startTime: 'mt-plan-start', start: 'mt-plan-start', endTime: 'mt-plan-end', end: 'mt-plan-end', onlineUrl: 'mt-plan-url', guests: 'mt-plan-guests', invitees: 'mt-plan-guests' };

  target.addEventListener('submit', async (e) => {
    if (e.target.id !== 'mt-plan') return;
    e.preventDefault();
    const form = e.target;
    const values = {
      templateId: form.templateId.value, title: form.title.value, date: form.date.value, startTime: form.startTime.value,
      endTime: form.endTime.value, place: form.place.value, onlineUrl: form.onlineUrl.value, description: form.description.value,
      guests: form.guests.value, members: [...form.querySelectorAll('input[name="members"]:checked')].map((x) => x.value),
    };
    if (form.querySelector('#mt-plan-recurring')?.checked) {
      await submitSeriesPlan(ctx, wsId, values, form, (errs) => showErrors(form, errs, { ...errorMap, ...seriesErrorMap }, 'mt-plan-errors'));
      return;
    }
    const { body, errors } = mt.plannerBody(values);
    if (errors) {
      showErrors(form, errors, errorMap, 'mt-plan-errors');
      return;
    }
    const done = busyButton($('#mt-plan-submit'), t('app.loading'));
    try {
      const { data } = await ctx.call(ctx.api.post(`/api/v1/workspaces/${enc(wsId)}/meetings`, body));
      ctx.app.flash = { kind: 'info', text: t('mt.plan.created', { title: data.title }) };
      ctx.navigate(`#/meetings/${data.id}`);
    } catch (err) {
      done();
      if (err instanceof ApiError && err.fields.length) showErrors(form, err.fields, errorMap, 'mt-plan-errors');
      else render($('#mt-plan-errors'), errorNotice(err));
    }
  });
  target.addEventListener('click', async (e) => {
    const a = e.target.closest('[data-focus]');
    if (a) {
      e.preventDefault();
      document.getElementById(a.dataset.focus)?.focus();
      return;
    }
    const b = e.target.closest('button');
    if (b?.id === 'mt-feed-new') {
      const done = busyButton(b, t('app.loading'));
      try {
        const { data } = await ctx.call(ctx.api.post(`/api/v1/workspaces/${enc(wsId)}/calendar-feed`));
        feedUrl = data.url;
        draw();
        $('#mt-feed-url')?.focus();
        announce(t('mt.feed.created'));
      } catch (err) {
        done();
        announce(errorText(err));
      }
    } else if (b?.id === 'mt-feed-copy') {
      const ok = await copyText(feedUrl, $('#mt-feed-url'));
      announce(ok ? t('mt.feed.copied') : t('mt.feed.copyFailed'));
    }
  });

  wireSeriesPlanner(target);
  draw();
  load();
  return {
    name: 'meetingList',
    update(reason) {
      if (reason === 'directory') draw();
    },
    keep() {
      const form = $('#mt-plan');
      if (!form) return null;
      return { planner: { templateId: form.templateId.value, title: form.title.value, date: form.date.value, startTime: form.startTime.value, endTime: form.endTime.value, place: form.place.value, onlineUrl: form.onlineUrl.value, description: form.description.value, guests: form.guests.value, ...readRecurrence(form) } };
    },
    onTopicEvent() {},
    destroy() { destroyed = true; },
  };
}

// ================================================================== one meeting

export function mountMeeting(target, route, keep, ctx) {
  const { app } = ctx;
  const id = route.id;
  const tab = route.tab ?? 'overview'; // overview | live | minutes
  let destroyed = false;
  let state = null; // { meeting, agenda, invitees, tally, myResponse, mayManage, mayWriteMinutes, minutes }
  let error = null;
  let editors = keep?.editors ?? {}; // minutes text sections being edited (state/meetings.js); kept across a language switch
  let notesItem = keep?.notesItem ?? null; // the agenda item whose notes the live view edits
  let topic = null;
  let liveErrors = null;
  let ticker = null;
  let lastTimer = null;
  let dragId = null;
  let editDraft = null; // the edit form's values while it is open (kept across live redraws)
  let editOpen = false;
  let editConflict = null; // { fields, current } after a 409 or a live change underneath
  let editOrigin = null; // the meeting as the edit form started from (only my changes are sent)
  let editingItem = null; // the agenda item whose edit form is open
  let deleteConfirm = false; // the delete confirmation step is open
  let editingEntry = null; // 'decision:<id>' or 'actionItem:<id>' whose edit form is open
  let entryDraft = null; // that form's values (kept across live redraws and after a 409)
  let entryConflict = false; // the entry changed underneath: the form shows my values, the list the current ones
  let entryBase = 0; // the entry's version when its form opened (the save names it, so nothing is overwritten unseen)
  const flash = ctx.flashTemplate();

  setTitle(t('mt.meeting'));
  render(target, html`
    <p class="breadcrumb" id="mt-crumb"></p>
    <h1 id="page-title" tabindex="-1">${t('mt.meeting')}</h1>
    ${flash}
    <div id="mt-tabs"></div>
    <div id="mt-error"></div>
    <div id="mt-body"><p class="loading">${t('app.loading')}</p></div>`);

  const myId = () => app.session?.user?.id ?? null;
  const manage = () => Boolean(state?.mayManage);
  let recommendations = null; // the workspace's recommendations [{id, title}] for agenda links (null: not loaded)

  let recommendationsLoading = false;
  async function loadRecommendations() {
    const ws = state?.meeting?.workspaceId;
    if (!ws || recommendations || recommendationsLoading) return;
    recommendationsLoading = true;
    try {
      const { data } = await ctx.call(ctx.api.get(`/api/v1/workspaces/${enc(ws)}/recommendations`));
      recommendations = (data?.items ?? []).map((r) => ({ id: r.id, title: r.profile?.title || t('rec.untitled') }));
    } catch {
      recommendations = [];
    }
    if (!destroyed) draw();
  }

  const recommendationTitle = (rid) => recommendations?.find((r) => r.id === rid)?.title ?? t('mt.links.unknownRecommendation');

  async function load() {
    try {
      const [detail, minutes] = await Promise.all([
        ctx.call(ctx.api.get(`/api/v1/meetings/${enc(id)}`)),
        ctx.call(ctx.api.get(`/api/v1/meetings/${enc(id)}/minutes`)).catch(() => ({ data: { minutes: null } })),
      ]);
      if (destroyed) return null;
      state = { ...detail.data, minutes: minutes.data?.minutes ?? null };
      if (!state.agenda) {
        try {
          const ag = await ctx.call(ctx.api.get(`/api/v1/meetings/${enc(id)}/agenda`));
          state.agenda = ag.data;
        } catch { /* no agenda for me */ }
      }
      if (state.minutes) editors = mt.othersSaved(editors, state.minutes);
      error = null;
      follow();
      if (state.agenda?.items?.some((x) => x.recommendationIds?.length) || state.mayManage) loadRecommendations();
    } catch (err) {
      if (destroyed) return null;
      error = err;
    }
    draw();
    return null;
  }

  /**
   * Live updates: the meeting's own topic `meeting:<id>` (Docs/api/websocket.md); a hub that
   * does not know it (or refuses it) is followed on `workspace:<id>` instead, which carries
   * the same meeting events. Without a connection the page refetches after its own actions.
   */
  function follow() {
    const ws = state?.meeting?.workspaceId;
    if (!ws || topic || !app.live) return;
    const member = ctx.isAdmin() || ctx.roleIn(ws) !== null;
    if (!member) return;
    topic = `meeting:${id}`;
    liveErrors = (e) => {
      if (destroyed || e.detail.topic !== `meeting:${id}` || topic !== `meeting:${id}`) return;
      if (e.detail.code !== 'subscription.unknownTopic' && e.detail.code !== 'subscription.forbidden') return;
      topic = `workspace:${ws}`;
      app.live.subscribe(topic, { cursor: null, reload: load });
    };
    app.live.addEventListener('liveerror', liveErrors);
    app.live.subscribe(topic, { cursor: null, reload: load });
  }

  // ---------------------------------------------------------------- actions

  /** Sends a request; the answer replaces part of the state; errors are shown and read out. */
  async function act(promise, { button = null, apply = null, success = null } = {}) {
    const done = button ? busyButton(button, t('app.loading')) : () => {};
    try {
      const answer = await ctx.call(promise);
      if (apply) apply(answer.data);
      render($('#mt-error'), html``);
      draw();
      if (success) announce(success);
      return answer;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body?.current) {
        const cur = err.body.current;
        if (cur.items && cur.meetingId) state.agenda = cur;
        else if (cur.status && cur.workspaceId) state.meeting = cur;
        draw();
        render($('#mt-error'), html`<div class="notice notice-error" role="alert"><p>${t('mt.conflict.reloaded')}</p></div>`);
        announce(t('mt.conflict.reloaded'));
      } else {
        render($('#mt-error'), errorNotice(err));
        announce(errorText(err));
      }
      return null;
    } finally {
      done();
    }
  }

  const refreshDetail = async () => {
    const { data } = await ctx.call(ctx.api.get(`/api/v1/meetings/${enc(id)}`));
    const minutes = state.minutes;
    state = { ...data, minutes, agenda: data.agenda ?? state.agenda };
  };

  function meetingStep(step, button, body = undefined) {
    const headers = step === 'invite' || step === 'cancel' ? { 'If-Match': ifMatch(state.meeting.version) } : {};
    return act(ctx.api.post(`/api/v1/meetings/${enc(id)}/${step}`, body, { headers }), {
      button,
      apply: (m) => { state.meeting = mt.newest(state.meeting, m); },
      success: t(`mt.step.${step}.done`),
    }).then(async (answer) => {
      if (answer) {
        try { await refreshDetail(); draw(); } catch { /* the step itself went through */ }
      }
      return answer;
    });
  }

  function agendaEdit(edit, { focusId = null, button = null } = {}) {
    const predicted = edit.op === 'add' || edit.op === 'remove' || edit.op === 'update' ? null : mt.applyAgendaEdit(state.agenda.items, edit);
    if (predicted && predicted.error) {
      announce(t(`mt.agenda.cannot.${predicted.error}`));
      return Promise.resolve(null);
    }
    return act(ctx.api.post(`/api/v1/meetings/${enc(id)}/agenda/edits`, edit, { headers: { 'If-Match': ifMatch(state.agenda.version) } }), {
      button,
      apply: (agenda) => { state.agenda = mt.newest(state.agenda, agenda); },
    }).then((answer) => {
      if (answer && focusId) {
        const item = state.agenda.items.find((x) => x.id === focusId);
        document.getElementById(`ag-grab-${focusId}`)?.focus();
        if (item) announce(t('mt.agenda.moved', { title: item.title, number: item.number }));
      }
      return answer;
    });
  }

  function liveStep(body, button) {
    return act(ctx.api.post(`/api/v1/meetings/${enc(id)}/agenda/live`, body), {
      button,
      apply: (agenda) => { state.agenda = mt.newest(state.agenda, agenda); },
    }).then(async (answer) => {
      if (answer && body.step === 'start') {
        try { await refreshDetail(); draw(); } catch { /* ignore */ }
      }
      if (answer) announceCurrent();
      return answer;
    });
  }

  function announceCurrent() {
    const ls = mt.liveState(state.agenda);
    if (ls.phase === 'running' && ls.current) announce(t('mt.live.now', { number: ls.current.number, title: ls.current.title }));
    else if (ls.phase === 'finished') announce(t('mt.live.finished'));
  }

  function minutesAnswer(data) {
    if (data && data.meetingId) state.minutes = mt.newest(state.minutes, data, 'revision');
    else if (data && data.minutes) state.minutes = mt.newest(state.minutes, data.minutes, 'revision');
  }

  async function saveText(key, button) {
    const e = editors[key];
    if (!e) return;
    const field = document.getElementById(`mn-${cssId(key)}`);
    const text = field ? field.value : e.draft;
    editors = mt.typeDraft(editors, key, text);
    const done = button ? busyButton(button, t('app.loading')) : () => {};
    try {
      const { data } = await ctx.call(ctx.api.put(`/api/v1/meetings/${enc(id)}/minutes/sections`, mt.textSaveBody(key, text, editors[key].baseVersion)));
      minutesAnswer(data);
      const typed = document.getElementById(`mn-${cssId(key)}`)?.value;
      editors = mt.saved(editors, key, state.minutes, typed);
      render($('#mt-error'), html``);
      draw();
      announce(t('mt.minutes.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body?.current) {
        state.minutes = err.body.current;
        editors = mt.conflict(editors, key, state.minutes);
        draw();
        if (editors[key]?.merge) {
          document.getElementById(`mg-${cssId(key)}`)?.focus();
          announce(t('mt.minutes.conflict'));
        } else {
          announce(t('mt.minutes.saved'));
        }
      } else {
        render($('#mt-error'), errorNotice(err));
        announce(errorText(err));
      }
    } finally {
      done();
    }
  }

  function saveSection(body, { button = null, success = t('mt.minutes.saved') } = {}) {
    return act(ctx.api.put(`/api/v1/meetings/${enc(id)}/minutes/sections`, body), { button, apply: minutesAnswer, success });
  }

  function minutesStep(path, body, button, success) {
    return act(ctx.api.post(`/api/v1/meetings/${enc(id)}/minutes/${path}`, body), { button, apply: minutesAnswer, success }).then(async (answer) => {
      if (answer) {
        try { await refreshDetail(); draw(); } catch { /* ignore */ }
      }
      return answer;
    });
  }

  // ---------------------------------------------------------------- templates

  function cssId(key) {
    return key.replace(/[^A-Za-z0-9-]/g, '_');
  }

  function tabsTemplate() {
    const link = (name, hash, label) => html`<li><a href="${hash}" data-testid="mt-tab-${name}" ${attrs({ 'aria-current': tab === name ? 'page' : null })}>${label}</a></li>`;
    return html`<nav class="subnav" aria-label="${t('mt.tabs')}"><ul>
      ${link('overview', `#/meetings/${id}`, t('mt.tab.overview'))}
      ${link('live', `#/meetings/${id}/live`, t('mt.tab.live'))}
      ${link('minutes', `#/meetings/${id}/minutes`, t('mt.tab.minutes'))}
    </ul></nav>`;
  }

  function factsTemplate() {
    const m = state.meeting;
    return html`<section class="card" aria-labelledby="mt-facts-title">
      <h2 id="mt-facts-title">${t('mt.facts')}</h2>
      <dl class="facts">
        <dt>${t('mt.status')}</dt><dd>${statusBadge(m.status)}</dd>
        <dt>${t('mt.date')}</dt><dd data-testid="mt-when">${whenText(m)}</dd>
        ${m.place ? html`<dt>${t('mt.place')}</dt><dd>${m.place}</dd>` : ''}
        ${m.onlineUrl ? html`<dt>${t('mt.online')}</dt><dd><a href="${m.onlineUrl}" rel="noopener noreferrer">${m.onlineUrl}</a></dd>` : ''}
        <dt>${t('mt.template')}</dt><dd>${t('mt.template.version', { version: String(m.templateVersion) })}</dd>
        ${m.cancellationReason ? html`<dt>${t('mt.cancelReason')}</dt><dd>${m.cancellationReason}</dd>` : ''}
      </dl>
      ${m.description ? html`<div class="markdown">${renderMarkdown(m.description)}</div>` : ''}
      <ul class="plain mt-exports">
        <li><a href="/api/v1/meetings/${m.id}/invite.ics" download>${t('mt.export.ics')}</a></li>
        <li><a href="/api/v1/meetings/${m.id}/export/invitation.html?lang=${getLang()}">${t('mt.export.invitation')}</a></li>
        <li><a href="/api/v1/meetings/${m.id}/export/invitation.pdf?lang=${getLang()}">${t('mt.export.invitationPdf')}</a></li>
        <li><a href="/api/v1/meetings/${m.id}/export/agenda.html?lang=${getLang()}">${t('mt.export.agenda')}</a></li>
        <li><a href="/api/v1/meetings/${m.id}/export/agenda.pdf?lang=${getLang()}">${t('mt.export.agendaPdf')}</a></li>
        <li><a href="/api/v1/meetings/${m.id}/export/agenda.md?lang=${getLang()}">${t('mt.export.agendaMd')}</a></li>
      </ul>
    </section>`;
  }

  function stepsTemplate() {
    const steps = mt.meetingActions(state.meeting, { manage: manage() });
    if (!steps.length) return '';
    return html`<section class="card" aria-labelledby="mt-steps-title">
      <h2 id="mt-steps-title">${t('mt.steps')}</h2>
      <div class="actions">
        ${steps.filter((s) => s !== 'cancel').map((s) => html`<button type="button" class="button ${s === 'invite' ? 'primary' : 'secondary'}" id="mt-step-${s}" data-step="${s}">${t(`mt.step.${s}`)}</button>`)}
      </div>
      ${steps.includes('cancel') ? html`<form id="mt-cancel" class="mt-inline-form" novalidate>
        <div class="field"><label for="mt-cancel-reason">${t('mt.cancel.reason')}</label>
        <input type="text" id="mt-cancel-reason" name="reason" maxlength="500" autocomplete="off"></div>
        <div class="actions"><button type="submit" class="button secondary danger-text" id="mt-step-cancel">${t('mt.step.cancel')}</button></div>
      </form>` : ''}
    </section>`;
  }

  function rsvpTemplate() {
    const tally = state.tally ?? { accepted: 0, tentative: 0, declined: 0, pending: 0 };
    const me = myId();
    const invited = me && (state.invitees ?? []).some((i) => i.key === `member:${me}`);
    const open = ['invited', 'planned'].includes(state.meeting.status);
    return html`<section class="card" aria-labelledby="mt-rsvp-title">
      <h2 id="mt-rsvp-title">${t('mt.rsvp.title')}</h2>
      <p data-testid="mt-tally">${t('mt.rsvp.tally', { accepted: String(tally.accepted), tentative: String(tally.tentative), declined: String(tally.declined), pending: String(tally.pending) })}</p>
      ${invited && open && state.meeting.status === 'invited' ? html`<div class="actions" role="group" aria-label="${t('mt.rsvp.mine')}">
        ${mt.RESPONSES.map((r) => html`<button type="button" class="button ${state.myResponse === r ? 'primary' : 'secondary'}" id="mt-rsvp-${r}" data-rsvp="${r}" aria-pressed="${state.myResponse === r ? 'true' : 'false'}">${t(`mt.rsvp.${r}`)}</button>`)}
      </div>` : ''}
      ${(state.invitees ?? []).length ? html`<h3>${t('mt.invitees')}</h3><ul class="mt-invitees" data-testid="mt-invitees">${state.invitees.map((i) => html`<li>${mt.inviteeLabel(i)}${i.role === 'chair' ? html` <span class="badge">${t('mt.role.chair')}</span>` : ''}${i.response ? html` · ${t(`mt.rsvp.${i.response}`)}` : ''}</li>`)}</ul>` : ''}
    </section>`;
  }

  function agendaItemTemplate(item, editable, currentId) {
    const movable = editable && !item.standard;
    const indentStyle = `mt-depth-${Math.min(item.depth ?? 0, 2)}`;
    const label = `${item.number} ${item.title}`;
    return html`<li class="mt-item ${indentStyle} ${item.id === currentId ? 'mt-item-current' : ''}" data-id="${item.id}" data-testid="mt-agenda-item" ${attrs({ draggable: movable ? 'true' : null, 'aria-current': item.id === currentId ? 'step' : null })}>
      <div class="mt-item-head">
        ${movable ? html`<button type="button" class="mt-grab" id="ag-grab-${item.id}" data-grab="${item.id}" aria-describedby="ag-kbd-hint"><span class="mt-number">${item.number}</span> <span class="mt-title">${item.title}</span></button>`
          : html`<span class="mt-grab-static"><span class="mt-number">${item.number}</span> <span class="mt-title">${item.title}</span></span>`}
        <span class="mt-meta">${t('mt.agenda.minutes', { n: String(item.plannedMinutes ?? item.durationMinutes) })}${item.presenter ? html` · ${item.presenter}` : ''}${item.isPublic === false ? html` · <span class="badge">${t('mt.agenda.nonPublic')}</span>` : ''}${item.standard ? html` · <span class="mt-standard">${t('mt.agenda.standard')}</span>` : ''}</span>
      </div>
      ${movable ? html`<div class="mt-item-tools" role="group" aria-label="${t('mt.agenda.toolsFor', { item: label })}">
        <button type="button" class="button quiet" id="ag-up-${item.id}" data-edit="moveUp" data-item="${item.id}" aria-label="${t('mt.agenda.up', { item: label })}"><span aria-hidden="true">↑</span></button>
        <button type="button" class="button quiet" id="ag-down-${item.id}" data-edit="moveDown" data-item="${item.id}" aria-label="${t('mt.agenda.down', { item: label })}"><span aria-hidden="true">↓</span></button>
        <button type="button" class="button quiet" id="ag-in-${item.id}" data-edit="indent" data-item="${item.id}" aria-label="${t('mt.agenda.indent', { item: label })}"><span aria-hidden="true">→</span></button>
        <button type="button" class="button quiet" id="ag-out-${item.id}" data-edit="outdent" data-item="${item.id}" aria-label="${t('mt.agenda.outdent', { item: label })}"><span aria-hidden="true">←</span></button>
        <button type="button" class="button quiet danger-text" id="ag-rm-${item.id}" data-edit="remove" data-item="${item.id}" aria-label="${t('mt.agenda.remove', { item: label })}">${t('mt.agenda.removeShort')}</button>
      </div>` : ''}
      ${itemLinksTemplate(item)}
      ${editable && editingItem !== item.id ? html`<button type="button" class="button quiet" id="ag-edit-${item.id}" data-item-edit="${item.id}" aria-label="${t('mt.agenda.editItem', { item: label })}">${t('mt.agenda.editShort')}</button>` : ''}
      ${editable && editingItem === item.id ? itemFormTemplate(item) : ''}
    </li>`;
  }

  function agendaTemplate() {
    const agenda = state.agenda;
    if (!agenda) return html`<section class="card"><h2>${t('mt.agenda')}</h2><p>${t('mt.agenda.none')}</p></section>`;
    const editable = manage() && !agenda.live?.finishedAt && ['planned', 'invited', 'held'].includes(state.meeting.status);
    return html`<section class="card" aria-labelledby="mt-agenda-title" id="mt-agenda">
      <h2 id="mt-agenda-title">${t('mt.agenda')}</h2>
      <p class="mt-meta">${t('mt.agenda.total', { n: String(agenda.plannedMinutes ?? mt.plannedTotal(agenda.items)) })}</p>
      ${editable ? html`<p class="hint" id="ag-kbd-hint">${t('mt.agenda.kbdHint')}</p>` : ''}
      <ol class="mt-agenda plain" data-testid="mt-agenda">${agenda.items.map((x) => agendaItemTemplate(x, editable, agenda.live && !agenda.live.finishedAt ? agenda.live.currentItemId : null))}</ol>
      ${editable ? addItemTemplate() : ''}
    </section>`;
  }

  /** The recommendations and documents linked to an agenda item (documents open outside the hub). */
  function itemLinksTemplate(item) {
    const recs = item.recommendationIds ?? [];
    const docs = item.documents ?? [];
    if (!recs.length && !docs.length) return '';
    if (recs.length && recommendations === null) loadRecommendations();
    return html`<div class="mt-item-links" data-testid="mt-item-links">
      ${recs.length ? html`<p class="mt-meta"><span>${t('mt.links.recommendations')}:</span></p><ul class="mt-links">${recs.map((rid) => html`<li><a href="#/recommendations/${encodeURIComponent(rid)}">${recommendationTitle(rid)}</a></li>`)}</ul>` : ''}
      ${docs.length ? html`<p class="mt-meta"><span>${t('mt.links.documents')}:</span></p><ul class="mt-links">${docs.map((d) => html`<li><a href="${mt.safeDocumentUrl(d.url)}" rel="noopener noreferrer">${d.title}</a></li>`)}</ul>` : ''}
    </div>`;
  }

  /** The link fields of the item form: the workspace's recommendations as checkboxes, documents as title/address rows. */
  function itemLinkFieldsTemplate(item) {
    const chosen = new Set(item.recommendationIds ?? []);
    const docs = [...(item.documents ?? []), { title: '', url: '' }];
    return html`<fieldset class="mt-link-fields"><legend>${t('mt.links.pickRecommendations')}</legend>
        ${recommendations === null ? html`<p class="loading">${t('app.loading')}</p>`
          : recommendations.length ? recommendations.map((r) => html`<div class="field checkbox"><input type="checkbox" id="ie-rec-${item.id}-${r.id}" name="rec" value="${r.id}" ${attrs({ checked: chosen.has(r.id) })}><label for="ie-rec-${item.id}-${r.id}">${r.title}</label></div>`)
          : html`<p>${t('mt.links.noRecommendations')}</p>`}
      </fieldset>
      <fieldset class="mt-link-fields"><legend>${t('mt.links.docsLegend')}</legend>
        <p class="hint" id="ie-docs-hint-${item.id}">${t('mt.links.docHint')}</p>
        ${docs.map((d, i) => html`<div class="mt-doc-row">
          <div class="field"><label for="ie-doc-title-${item.id}-${i}">${t('mt.links.docTitle', { n: String(i + 1) })}</label>
            <input type="text" id="ie-doc-title-${item.id}-${i}" name="docTitle" maxlength="200" autocomplete="off" value="${d.title}" aria-describedby="ie-docs-hint-${item.id}"></div>
          <div class="field"><label for="ie-doc-url-${item.id}-${i}">${t('mt.links.docUrl', { n: String(i + 1) })}</label>
            <input type="url" id="ie-doc-url-${item.id}-${i}" name="docUrl" maxlength="2000" autocomplete="off" inputmode="url" value="${d.url}"></div>
        </div>`)}
      </fieldset>`;
  }

  function itemFormTemplate(item) {
    return html`<form class="mt-item-form" data-item-form="${item.id}" novalidate aria-label="${t('mt.agenda.editItem', { item: `${item.number} ${item.title}` })}">
      ${item.standard ? html`<p class="hint">${t('mt.agenda.standardHint')}</p>` : html`<div class="field"><label for="ie-title-${item.id}">${t('mt.agenda.itemTitle')}</label>
        <input type="text" id="ie-title-${item.id}" name="title" maxlength="200" autocomplete="off" value="${item.title}"></div>`}
      <div class="field"><label for="ie-dur-${item.id}">${t('mt.agenda.duration')}</label>
        <input id="ie-dur-${item.id}" name="duration" type="number" min="0" max="600" inputmode="numeric" value="${String(item.durationMinutes)}"></div>
      <div class="field"><label for="ie-pres-${item.id}">${t('mt.agenda.presenter')}</label>
        <input type="text" id="ie-pres-${item.id}" name="presenter" maxlength="120" autocomplete="off" value="${item.presenter ?? ''}"></div>
      <div class="field checkbox"><input type="checkbox" id="ie-pub-${item.id}" name="isPublic" ${attrs({ checked: item.isPublic !== false })}><label for="ie-pub-${item.id}">${t('mt.agenda.public')}</label></div>
      ${itemLinkFieldsTemplate(item)}
      <div class="actions"><button type="submit" class="button primary" id="ie-save-${item.id}">${t('mt.agenda.saveItem')}</button>
        <button type="button" class="button secondary" id="ie-cancel-${item.id}" data-item-cancel="${item.id}">${t('mt.templates.cancel')}</button></div>
    </form>`;
  }

  function addItemTemplate() {
    const parents = state.agenda.items.filter((x) => (x.depth ?? 0) < mt.MAX_DEPTH - 1);
    const topics = state.agenda.items.find((x) => x.standard === 'topics');
    return html`<form id="ag-add" class="mt-add" novalidate>
      <h3>${t('mt.agenda.add')}</h3>
      <div id="ag-add-errors"></div>
      <div class="field"><label for="ag-add-title">${t('mt.agenda.itemTitle')}</label>
        ${fieldError('ag-add-title-error')}
        <input type="text" id="ag-add-title" name="title" required maxlength="200" autocomplete="off"></div>
      <div class="field"><label for="ag-add-duration">${t('mt.agenda.duration')}</label>
        ${fieldError('ag-add-duration-error')}
        <input id="ag-add-duration" name="duration" type="number" min="0" max="600" value="15" inputmode="numeric"></div>
      <div class="field"><label for="ag-add-presenter">${t('mt.agenda.presenter')}</label>
        <input type="text" id="ag-add-presenter" name="presenter" maxlength="120" autocomplete="off"></div>
      <div class="field"><label for="ag-add-parent">${t('mt.agenda.parent')}</label>
        <select id="ag-add-parent" name="parentId">
          <option value="">${t('mt.agenda.topLevel')}</option>
          ${parents.map((p) => html`<option value="${p.id}" ${attrs({ selected: topics && p.id === topics.id })}>${p.number} ${p.title}</option>`)}
        </select></div>
      <div class="field checkbox"><input type="checkbox" id="ag-add-public" name="isPublic" checked><label for="ag-add-public">${t('mt.agenda.public')}</label></div>
      <div class="actions"><button type="submit" class="button primary" id="ag-add-submit">${t('mt.agenda.addSubmit')}</button></div>
    </form>`;
  }

  function editTemplate() {
    if (!manage() || !['planned', 'invited'].includes(state.meeting.status)) return '';
    if (!editDraft) editOrigin = state.meeting;
    const v = editDraft ?? mt.editValues(state.meeting);
    const fieldLabel = { title: t('mt.plan.name'), description: t('mt.plan.description'), start: t('mt.plan.start'), end: t('mt.plan.end'), place: t('mt.plan.place'), onlineUrl: t('mt.plan.url') };
    return html`<section class="card" aria-labelledby="mt-edit-title">
      <details id="mt-edit-details" ${attrs({ open: editOpen || Boolean(editConflict) })}>
        <summary><h2 id="mt-edit-title" class="mt-summary-title">${t('mt.edit.title')}</h2></summary>
        ${state.meeting.status === 'invited' ? html`<p class="hint">${t('mt.edit.invitedHint')}</p>` : ''}
        ${editConflict ? html`<div class="notice notice-error" role="alert" data-testid="mt-edit-conflict"><p>${t('mt.edit.conflict')}</p>
          <ul>${editConflict.fields.map((f) => html`<li>${fieldLabel[f]}: ${String(editConflict.current[f] ?? '–')}</li>`)}</ul></div>` : ''}
        <form id="mt-edit" novalidate>
          <div id="mt-edit-errors"></div>
          <div class="field"><label for="mt-edit-name">${t('mt.plan.name')}</label>${fieldError('mt-edit-name-error')}<input type="text" id="mt-edit-name" name="title" maxlength="200" autocomplete="off" value="${v.title}"></div>
          <div class="field"><label for="mt-edit-date">${t('mt.plan.date')}</label>${fieldError('mt-edit-date-error')}<input id="mt-edit-date" name="date" type="date" value="${v.date}"></div>
          <div class="mt-times">
            <div class="field"><label for="mt-edit-start">${t('mt.plan.start')}</label>${fieldError('mt-edit-start-error')}<input id="mt-edit-start" name="startTime" type="time" value="${v.startTime}"></div>
            <div class="field"><label for="mt-edit-end">${t('mt.plan.end')}</label>${fieldError('mt-edit-end-error')}<input id="mt-edit-end" name="endTime" type="time" value="${v.endTime}"></div>
          </div>
          <div class="field"><label for="mt-edit-place">${t('mt.plan.place')}</label><input type="text" id="mt-edit-place" name="place" maxlength="200" autocomplete="off" value="${v.place}"></div>
          <div class="field"><label for="mt-edit-url">${t('mt.plan.url')}</label>${fieldError('mt-edit-url-error')}<input id="mt-edit-url" name="onlineUrl" type="url" class="mt-url" autocomplete="off" value="${v.onlineUrl}"></div>
          <div class="field"><label for="mt-edit-description">${t('mt.plan.description')}</label><textarea id="mt-edit-description" name="description" rows="3">${v.description}</textarea></div>
          <div class="actions"><button type="submit" class="button primary" id="mt-edit-submit">${t('mt.edit.save')}</button></div>
        </form>
      </details>
    </section>`;
  }

  function readEdit() {
    const f = $('#mt-edit');
    if (!f) return null;
    return { title: f.title.value, description: f.description.value, date: f.date.value, startTime: f.startTime.value, endTime: f.endTime.value, place: f.place.value, onlineUrl: f.onlineUrl.value };
  }

  async function saveEdit(form) {
    const values = readEdit();
    // Only what I changed against what I started from; others' changes meanwhile stay.
    const origin = editOrigin ?? state.meeting;
    const { body, errors } = mt.meetingPatch(origin, values);
    const map = { title: 'mt-edit-name', date: 'mt-edit-date', startTime: 'mt-edit-start', start: 'mt-edit-start', endTime: 'mt-edit-end', end: 'mt-edit-end', onlineUrl: 'mt-edit-url' };
    if (errors) { showErrors(form, errors, map, 'mt-edit-errors'); return; }
    if (!Object.keys(body).length) { announce(t('mt.edit.nothing')); return; }
    const done = busyButton($('#mt-edit-submit'), t('app.loading'));
    try {
      const { data } = await ctx.call(ctx.api.patch(`/api/v1/meetings/${enc(id)}`, body, { headers: { 'If-Match': ifMatch(state.meeting.version) } }));
      state.meeting = data;
      editDraft = null;
      editConflict = null;
      editOrigin = null;
      editOpen = false;
      const details = $('#mt-edit-details');
      if (details) details.open = false; // draw() takes the open state from the page
      try { await refreshDetail(); } catch { /* the edit went through */ }
      draw();
      $('#mt-edit-title')?.focus();
      announce(t('mt.edit.saved'));
    } catch (err) {
      done();
      if (err instanceof ApiError && err.status === 409 && err.body?.current) {
        const current = err.body.current;
        editConflict = { fields: mt.changedFields(origin, current), current };
        editDraft = values;
        state.meeting = current;
        draw();
        document.querySelector('[data-testid="mt-edit-conflict"]')?.focus?.();
        announce(t('mt.edit.conflict'));
      } else if (err instanceof ApiError && err.fields.length) {
        showErrors(form, err.fields, map, 'mt-edit-errors');
      } else {
        render($('#mt-edit-errors'), errorNotice(err));
      }
    }
  }

  function overviewTemplate() {
    return html`${factsTemplate()}${stepsTemplate()}${editTemplate()}${rsvpTemplate()}${agendaTemplate()}${deleteTemplate()}`;
  }

  // ----- deleting (managers, before the meeting is held; a confirmation step first)

  function deleteTemplate() {
    const m = state.meeting;
    if (!mt.mayDelete(m, { manage: manage() })) return '';
    const what = mt.deleteConsequences(m);
    return html`<section class="card" aria-labelledby="mt-delete-title">
      <h2 id="mt-delete-title">${t('mt.delete.title')}</h2>
      <p>${t('mt.delete.hint')}${what.cancel ? html` ${t('mt.delete.cancelMail')}` : ''}${what.oparl ? html` ${t('mt.delete.oparl')}` : ''}</p>
      ${deleteConfirm ? html`<div role="group" aria-labelledby="mt-delete-question" id="mt-delete-confirm-group" class="notice notice-error">
          <p id="mt-delete-question"><strong>${t('mt.delete.question', { title: m.title })}</strong></p>
          <div class="actions">
            <button type="button" class="button danger" id="mt-delete-confirm">${t('mt.delete.confirm')}</button>
            <button type="button" class="button secondary" id="mt-delete-cancel">${t('mt.delete.keep')}</button>
          </div>
        </div>`
        : html`<div class="actions"><button type="button" class="button secondary danger-text" id="mt-delete" aria-expanded="false">${t('mt.delete.button')}</button></div>`}
    </section>`;
  }

  function deletedTemplate() {
    const ws = state.meeting.workspaceId;
    return html`<div class="notice notice-info" role="status"><p>${t('mt.delete.gone')}</p>
      <p><a href="#/workspaces/${ws}/meetings">${t('mt.list.title')}</a></p></div>`;
  }

  async function deleteMeeting(button) {
    const m = state.meeting;
    const answer = await act(ctx.api.del(`/api/v1/meetings/${enc(id)}`, { headers: { 'If-Match': ifMatch(m.version) } }), { button });
    if (!answer) {
      deleteConfirm = false;
      draw();
      return;
    }
    ctx.app.flash = { kind: 'info', text: t('mt.delete.done', { title: m.title }) };
    ctx.navigate(`#/workspaces/${m.workspaceId}/meetings`);
  }

  // ----- live view

  function liveTemplate() {
    const agenda = state.agenda;
    const ls = mt.liveState(agenda);
    const mayRun = manage() && ['planned', 'invited', 'held'].includes(state.meeting.status);
    const items = agenda?.items ?? [];
    let controls = '';
    if (mayRun && ls.phase === 'notStarted') {
      // The hub lets a meeting start at most an hour before its time: say from when, instead of an error.
      const opensAt = mt.startableFrom(state.meeting.startsAt);
      controls = opensAt && Date.now() < opensAt.getTime()
        ? html`<p class="hint" data-testid="mt-live-opens">${t('mt.live.opensAt', { time: formatDateTime(opensAt.toISOString(), getLang()) })}</p>`
        : html`<div class="actions"><button type="button" class="button primary" id="live-start" data-live="start">${t('mt.live.start')}</button></div>`;
    } else if (mayRun && ls.phase === 'running') {
      controls = html`<div class="actions" role="group" aria-label="${t('mt.live.controls')}">
        <button type="button" class="button primary" id="live-advance" data-live="advance">${t('mt.live.advance')}</button>
        <button type="button" class="button secondary" id="live-extend" data-live="extend">${t('mt.live.extend')}</button>
        <button type="button" class="button secondary" id="live-finish" data-live="finish">${t('mt.live.finish')}</button>
      </div>
      <form id="live-goto" class="mt-inline-form" novalidate>
        <div class="field"><label for="live-goto-item">${t('mt.live.goTo')}</label>
        <select id="live-goto-item" name="itemId">${items.map((x) => html`<option value="${x.id}">${x.number} ${x.title}</option>`)}</select></div>
        <div class="actions"><button type="submit" class="button secondary" id="live-goto-submit">${t('mt.live.goToSubmit')}</button></div>
      </form>`;
    }
    let now = '';
    if (ls.phase === 'running' && ls.current) {
      now = html`<section class="card mt-current" aria-labelledby="mt-current-title" data-testid="mt-current">
        <h2 id="mt-current-title">${t('mt.live.current')}</h2>
        <p class="mt-current-item" data-testid="mt-current-item"><span class="mt-number">${ls.current.number}</span> ${ls.current.title}</p>
        ${ls.current.presenter ? html`<p class="mt-meta">${t('mt.agenda.presenter')}: ${ls.current.presenter}</p>` : ''}
        <p class="mt-timer" data-testid="mt-timer"><span id="mt-timer-label">${t('mt.live.remaining')}</span> <span class="mt-countdown" id="mt-countdown" data-testid="mt-countdown">–</span></p>
        ${ls.next ? html`<p class="mt-meta">${t('mt.live.next', { number: ls.next.number, title: ls.next.title })}</p>` : ''}
      </section>`;
    } else if (ls.phase === 'finished') {
      now = html`<p class="notice notice-info" data-testid="mt-finished">${t('mt.live.finished')}</p>`;
    } else {
      now = html`<p class="notice notice-info" data-testid="mt-not-started">${t('mt.live.notStarted')}</p>`;
    }
    return html`
      ${now}
      ${controls}
      ${agendaTemplate()}
      ${state.mayWriteMinutes || state.minutes ? minutesEditorTemplate(ls) : ''}`;
  }

  function textEditor(key, label, { hintId = null } = {}) {
    const e = editors[key];
    const { value, version } = mt.sectionOf(state.minutes, key);
    const writable = state.mayWriteMinutes && (state.minutes?.approval?.stage ?? 'draft') !== 'approved';
    const fid = `mn-${cssId(key)}`;
    if (!writable) {
      return html`<div class="mt-section"><h4>${label}</h4>${value ? html`<div class="markdown">${renderMarkdown(value)}</div>` : html`<p class="muted">${t('mt.minutes.empty')}</p>`}</div>`;
    }
    const draft = e ? e.draft : (value ?? '');
    return html`<div class="mt-section" data-section="${key}">
      <label for="${fid}">${label}</label>
      ${e?.changedUnderneath ? html`<p class="notice notice-info" id="${fid}-changed">${t('mt.minutes.changedUnderneath')}</p>` : ''}
      <textarea id="${fid}" rows="5" data-text-section="${key}" data-testid="mn-${key.split(':')[0]}" ${attrs({ 'aria-describedby': hintId })}>${draft}</textarea>
      <div class="actions"><button type="button" class="button secondary" id="${fid}-save" data-save-section="${key}">${t('mt.minutes.save')}</button>
        <span class="mt-meta">${t('mt.minutes.version', { version: String(e ? e.baseVersion : version) })}</span></div>
      ${e?.merge ? mergeTemplate(key, e) : ''}
    </div>`;
  }

  function mergeTemplate(key, e) {
    const id = cssId(key);
    const suggestion = mt.mergeSuggestion(e.merge.mine, e.merge.theirs, e.merge.base);
    return html`<div class="merge" id="mg-${id}" tabindex="-1" role="group" aria-labelledby="mg-${id}-title" data-testid="mt-merge">
      <h4 id="mg-${id}-title">${t('mt.merge.title')}</h4>
      <p>${t('mt.merge.body')}</p>
      <div class="merge-versions">
        <div class="merge-version" data-testid="mt-merge-theirs"><h5>${t('mt.merge.theirs')}</h5><div class="merge-text">${e.merge.theirs}</div></div>
        <div class="merge-version" data-testid="mt-merge-mine"><h5>${t('mt.merge.mine')}</h5><div class="merge-text">${e.merge.mine}</div></div>
      </div>
      <div class="field"><label for="mg-${id}-text">${t('mt.merge.merged')}</label>
        <textarea id="mg-${id}-text" rows="6" data-testid="mt-merge-text">${suggestion}</textarea></div>
      <div class="actions"><button type="button" class="button primary" id="mg-${id}-save" data-merge-save="${key}">${t('mt.merge.save')}</button></div>
    </div>`;
  }

  function inviteeName(key) {
    const inv = (state.invitees ?? []).find((i) => i.key === key);
    return mt.inviteeLabel(inv ?? { key });
  }

  function minutesEditorTemplate(ls) {
    const mins = state.minutes;
    const items = (state.agenda?.items ?? []).filter((x) => !x.hasChildren);
    const notesFor = notesItem && items.some((x) => x.id === notesItem) ? notesItem : (ls.current?.id ?? items[0]?.id ?? null);
    const item = items.find((x) => x.id === notesFor);
    const writable = state.mayWriteMinutes && (mins?.approval?.stage ?? 'draft') !== 'approved';
    const attendance = mins?.attendance ?? [];
    const people = [...new Set([...(state.invitees ?? []).map((i) => i.key), ...attendance.map((a) => a.value.person)])];
    return html`<section class="card" aria-labelledby="mt-minutes-title" id="mt-minutes-editor">
      <h2 id="mt-minutes-title" tabindex="-1">${t('mt.minutes')}</h2>
      ${mins ? '' : html`<p class="hint">${t('mt.minutes.startsEmpty')}</p>`}
      <h3>${t('mt.minutes.notes')}</h3>
      ${items.length ? html`<div class="field"><label for="mn-item">${t('mt.minutes.notesItem')}</label>
        <select id="mn-item" data-notes-item="1">${items.map((x) => html`<option value="${x.id}" ${attrs({ selected: x.id === notesFor })}>${x.number} ${x.title}</option>`)}</select></div>` : ''}
      ${item ? textEditor(`notes:${item.id}`, t('mt.minutes.notesFor', { number: item.number, title: item.title })) : ''}
      <h3>${t('mt.minutes.attendance')}</h3>
      <ul class="plain mt-attendance" data-testid="mt-attendance">${people.map((key) => {
        const entry = attendance.find((a) => a.value.person === key);
        const status = entry?.value.status ?? '';
        const sid = cssId(key);
        const name = entry?.value.name || inviteeName(key);
        return html`<li>${writable ? html`<label for="att-${sid}">${name}${entry?.value.organization ? html` (${entry.value.organization})` : ''}</label>
          <select id="att-${sid}" data-attendance="${key}" data-version="${String(entry?.version ?? 0)}">
            <option value="" ${attrs({ selected: !status })}>${t('mt.attendance.unknown')}</option>
            ${mt.ATTENDANCE.map((s) => html`<option value="${s}" ${attrs({ selected: status === s })}>${t(`mt.attendance.${s}`)}</option>`)}
          </select>
          ${entry ? html`<div class="checkbox mt-consent"><input type="checkbox" id="att-c-${sid}" data-consent="${key}" ${attrs({ checked: Boolean(entry.value.publicationConsent) })}>
            <label for="att-c-${sid}">${t('mt.attendance.consent', { name })}</label></div>` : ''}` : html`${entry?.value.name ?? inviteeName(key)}: ${status ? t(`mt.attendance.${status}`) : t('mt.attendance.unknown')}`}</li>`;
      })}</ul>
      <h3>${t('mt.minutes.decisions')}</h3>
      ${(mins?.decisions ?? []).length ? html`<ul class="mt-decisions" data-testid="mt-decisions">${mins.decisions.map((d, i) => html`<li data-testid="mt-decision"><div class="markdown">${renderMarkdown(d.value.text)}</div>${d.value.votes ? html`<p class="mt-meta">${t('mt.votes', { yes: String(d.value.votes.inFavour), no: String(d.value.votes.against), abstain: String(d.value.votes.abstentions) })}</p>` : ''}
        ${writable ? entryEditTemplate('decision', d, i) : ''}
        ${writable ? html`<button type="button" class="button quiet danger-text" id="dec-rm-${d.value.id}" data-remove-section="decision:${d.value.id}" data-version="${String(d.version)}">${t('mt.minutes.remove')}<span class="visually-hidden"> (${t('mt.decision')} ${String(i + 1)})</span></button>` : ''}</li>`)}</ul>` : html`<p class="muted">${t('mt.minutes.empty')}</p>`}
      ${writable ? html`<form id="mn-decision" class="mt-add" novalidate>
        <div class="field"><label for="mn-decision-text">${t('mt.decision.text')}</label><textarea id="mn-decision-text" name="text" rows="2" maxlength="4000"></textarea></div>
        <fieldset class="mt-votes"><legend>${t('mt.decision.votes')}</legend>
          <div class="field"><label for="mn-yes">${t('mt.decision.yes')}</label><input id="mn-yes" name="yes" type="number" min="0" inputmode="numeric"></div>
          <div class="field"><label for="mn-no">${t('mt.decision.no')}</label><input id="mn-no" name="no" type="number" min="0" inputmode="numeric"></div>
          <div class="field"><label for="mn-abstain">${t('mt.decision.abstain')}</label><input id="mn-abstain" name="abstain" type="number" min="0" inputmode="numeric"></div>
        </fieldset>
        <div class="actions"><button type="submit" class="button secondary" id="mn-decision-submit">${t('mt.decision.add')}</button></div>
      </form>` : ''}
      <h3>${t('mt.minutes.actionItems')}</h3>
      ${actionItemsTemplate(mins?.actionItems ?? [], writable)}
      <h3>${t('mt.minutes.openPoints')}</h3>
      ${textEditor('openPoints', t('mt.minutes.openPoints'))}
    </section>`;
  }

  // ----- editing a decision (text, votes) or an action item (text, owner, due date) after it was added

  function entryValues(kind, v) {
    const x = v.value;
    if (kind === 'decision') {
      return { text: x.text ?? '', yes: x.votes ? String(x.votes.inFavour) : '', no: x.votes ? String(x.votes.against) : '', abstain: x.votes ? String(x.votes.abstentions) : '' };
    }
    return { text: x.text ?? '', owner: x.owner?.userID ? `member:${x.owner.userID}` : '', ownerName: x.owner?.name ?? '', due: x.due ?? '' };
  }

  function entryEditTemplate(kind, v, index) {
    const key = `${kind}:${v.value.id}`;
    const fid = `ed-${kind === 'decision' ? 'dec' : 'ai'}-${v.value.id}`;
    const what = kind === 'decision' ? `${t('mt.decision')} ${String(index + 1)}` : v.value.text;
    if (editingEntry !== key) {
      return html`<button type="button" class="button quiet" id="${fid}-edit" data-entry-edit="${key}">${t('mt.entry.edit')}<span class="visually-hidden"> (${what})</span></button>`;
    }
    const val = entryDraft ?? entryValues(kind, v);
    const members = (state.invitees ?? []).filter((i) => i.key.startsWith('member:'));
    const changedUnderneath = entryConflict || v.version !== entryBase;
    return html`<form class="mt-add mt-entry-form" data-entry-form="${key}" data-version="${String(entryBase)}" novalidate>
      ${changedUnderneath ? html`<div class="notice notice-error" role="alert"><p>${t('mt.entry.conflict')}</p></div>` : ''}
      <div id="${fid}-errors"></div>
      ${kind === 'decision' ? html`
        <div class="field"><label for="${fid}-text">${t('mt.decision.text')}</label><textarea id="${fid}-text" name="text" rows="2" maxlength="4000">${val.text}</textarea></div>
        <fieldset class="mt-votes"><legend>${t('mt.decision.votes')}</legend>
          <div class="field"><label for="${fid}-yes">${t('mt.decision.yes')}</label><input id="${fid}-yes" name="yes" type="number" min="0" inputmode="numeric" value="${val.yes}"></div>
          <div class="field"><label for="${fid}-no">${t('mt.decision.no')}</label><input id="${fid}-no" name="no" type="number" min="0" inputmode="numeric" value="${val.no}"></div>
          <div class="field"><label for="${fid}-abstain">${t('mt.decision.abstain')}</label><input id="${fid}-abstain" name="abstain" type="number" min="0" inputmode="numeric" value="${val.abstain}"></div>
        </fieldset>` : html`
        <div class="field"><label for="${fid}-text">${t('mt.action.text')}</label><input type="text" id="${fid}-text" name="text" maxlength="1000" autocomplete="off" value="${val.text}"></div>
        <div class="field"><label for="${fid}-owner">${t('mt.action.owner')}</label>
          <select id="${fid}-owner" name="owner">${members.map((i) => html`<option value="${i.key}" ${attrs({ selected: val.owner === i.key })}>${i.name || i.key}</option>`)}<option value="" ${attrs({ selected: !val.owner })}>${t('mt.action.ownerOther')}</option></select></div>
        <div class="field"><label for="${fid}-owner-name">${t('mt.action.ownerName')}</label><input type="text" id="${fid}-owner-name" name="ownerName" maxlength="120" autocomplete="off" value="${val.ownerName}"></div>
        <div class="field"><label for="${fid}-due">${t('mt.action.dueLabel')}</label><input id="${fid}-due" name="due" type="date" value="${val.due}"></div>`}
      <div class="actions"><button type="submit" class="button secondary" id="${fid}-save">${t('mt.entry.save')}</button>
        <button type="button" class="button quiet" id="${fid}-cancel" data-entry-cancel="${key}">${t('mt.entry.cancel')}</button></div>
    </form>`;
  }

  function readEntry(form, kind) {
    if (kind === 'decision') return { text: form.text.value, yes: form.yes.value, no: form.no.value, abstain: form.abstain.value };
    return { text: form.text.value, owner: form.owner.value, ownerName: form.ownerName.value, due: form.due.value };
  }

  async function saveEntry(form) {
    const key = form.dataset.entryForm;
    const [kind, entryId] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const values = readEntry(form, kind);
    const fid = `ed-${kind === 'decision' ? 'dec' : 'ai'}-${entryId}`;
    const list = kind === 'decision' ? state.minutes?.decisions : state.minutes?.actionItems;
    const current = (list ?? []).find((x) => x.value.id === entryId);
    if (!current) return;
    const text = values.text.trim();
    const errors = [];
    if (!text) errors.push({ field: 'text', code: 'required' });
    const ownerName = kind === 'actionItem' ? (values.ownerName.trim() || (values.owner ? inviteeName(values.owner) : '')) : '';
    if (kind === 'actionItem' && !ownerName) errors.push({ field: 'ownerName', code: 'required' });
    if (errors.length) {
      showErrors(form, errors, { text: `${fid}-text`, ownerName: `${fid}-owner-name` }, `${fid}-errors`);
      return;
    }
    const agendaItemId = current.value.agendaItemID ?? null;
    let body;
    if (kind === 'decision') {
      const n = (x) => (x === '' ? null : Number(x));
      const votes = [n(values.yes), n(values.no), n(values.abstain)];
      const decision = { id: entryId, text, agendaItemId, recommendationIds: current.value.recommendationIDs ?? [] };
      if (votes.some((x) => x !== null)) decision.votes = { inFavour: votes[0] ?? 0, against: votes[1] ?? 0, abstentions: votes[2] ?? 0 };
      body = { kind: 'decision', baseVersion: Number(form.dataset.version), decision };
    } else {
      const actionItem = { id: entryId, text, ownerName, agendaItemId };
      if (values.owner.startsWith('member:')) actionItem.ownerId = values.owner.slice('member:'.length);
      if (values.due) actionItem.due = values.due;
      body = { kind: 'actionItem', baseVersion: Number(form.dataset.version), actionItem };
    }
    const done = busyButton(form.querySelector('button[type="submit"]'), t('app.loading'));
    try {
      const { data } = await ctx.call(ctx.api.put(`/api/v1/meetings/${enc(id)}/minutes/sections`, body));
      minutesAnswer(data);
      editingEntry = null;
      entryDraft = null;
      entryConflict = false;
      draw();
      document.getElementById(`${fid}-edit`)?.focus();
      announce(t('mt.entry.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body?.current?.revision !== undefined) {
        // Someone saved this entry meanwhile: show theirs in the list, keep mine in the form (on the new version).
        state.minutes = err.body.current;
        const fresh = ((kind === 'decision' ? state.minutes.decisions : state.minutes.actionItems) ?? []).find((x) => x.value.id === entryId);
        entryBase = fresh?.version ?? entryBase;
        entryDraft = values;
        entryConflict = true;
        draw();
        document.getElementById(`${fid}-text`)?.focus();
        announce(t('mt.entry.conflict'));
      } else {
        render($('#mt-error'), errorNotice(err));
        announce(errorText(err));
      }
    } finally {
      done();
    }
  }

  function actionItemsTemplate(list, writable) {
    const today = todayBerlin();
    const members = (state.invitees ?? []).filter((i) => i.key.startsWith('member:'));
    return html`${list.length ? html`<ul class="mt-actions" data-testid="mt-action-items">${list.map((v) => {
      const a = v.value;
      const overdue = mt.isOverdue(a, today);
      const mayStatus = manage() || (a.owner?.userID && a.owner.userID === myId());
      return html`<li class="${overdue ? 'mt-overdue' : ''}" data-testid="mt-action-item">
        <span class="mt-action-text">${a.text}</span>
        <span class="mt-meta">${a.owner?.name ?? ''}${a.due ? html` · ${t('mt.action.due', { date: formatDate(a.due) })}` : ''}${overdue ? html` · <strong class="mt-overdue-label">${t('mt.action.overdue')}</strong>` : ''}</span>
        ${mayStatus ? html`<label class="visually-hidden" for="ai-st-${a.id}">${t('mt.action.statusFor', { text: a.text })}</label>
          <select id="ai-st-${a.id}" data-action-status="${a.id}">${mt.ACTION_STATUSES.map((s) => html`<option value="${s}" ${attrs({ selected: a.status === s })}>${t(`mt.action.${s}`)}</option>`)}</select>`
          : html` · ${t(`mt.action.${a.status}`)}`}
        ${writable ? entryEditTemplate('actionItem', v, 0) : ''}
        ${writable ? html`<button type="button" class="button quiet danger-text" id="ai-rm-${a.id}" data-remove-section="actionItem:${a.id}" data-version="${String(v.version)}">${t('mt.minutes.remove')}<span class="visually-hidden"> (${a.text})</span></button>` : ''}
      </li>`;
    })}</ul>` : html`<p class="muted">${t('mt.minutes.empty')}</p>`}
    ${writable ? html`<form id="mn-action" class="mt-add" novalidate>
      <div id="mn-action-errors"></div>
      <div class="field"><label for="mn-action-text">${t('mt.action.text')}</label>${fieldError('mn-action-text-error')}<input type="text" id="mn-action-text" name="text" maxlength="1000" autocomplete="off"></div>
      <div class="field"><label for="mn-action-owner">${t('mt.action.owner')}</label>
        <select id="mn-action-owner" name="owner">${members.map((i) => html`<option value="${i.key}">${mt.inviteeLabel(i)}</option>`)}<option value="">${t('mt.action.ownerOther')}</option></select></div>
      <div class="field"><label for="mn-action-owner-name">${t('mt.action.ownerName')}</label>${fieldError('mn-action-owner-name-error')}<input type="text" id="mn-action-owner-name" name="ownerName" maxlength="120" autocomplete="off"></div>
      <div class="field"><label for="mn-action-due">${t('mt.action.dueLabel')}</label><input id="mn-action-due" name="due" type="date"></div>
      <div class="actions"><button type="submit" class="button secondary" id="mn-action-submit">${t('mt.action.add')}</button></div>
    </form>` : ''}`;
  }

  // ----- approval view

  function approvalTemplate() {
    const mins = state.minutes;
    if (!mins) return html`<section class="card"><h2>${t('mt.approval')}</h2><p>${t('mt.approval.noMinutes')}</p></section>`;
    const me = myId();
    const present = Boolean(me) && (mins.attendance ?? []).some((a) => a.value.person === `member:${me}` && a.value.status === 'present');
    const can = mt.approvalActions(state.meeting, mins, { manage: manage(), present, today: todayBerlin() });
    const ap = mins.approval ?? {};
    const items = state.agenda?.items ?? [];
    return html`<section class="card" aria-labelledby="mt-approval-title" data-testid="mt-approval">
      <h2 id="mt-approval-title">${t('mt.approval')}</h2>
      <p data-testid="mt-stage"><span class="badge">${t(`mt.stage.${ap.stage ?? 'draft'}`)}</span>
        ${ap.deadline ? html` ${t('mt.approval.deadline', { date: formatDate(ap.deadline) })}` : ''}
        ${ap.round ? html` · ${t('mt.approval.round', { round: String(ap.round) })}` : ''}</p>
      ${ap.stage === 'approved' ? html`<p>${ap.deemedApproved ? t('mt.approval.deemed') : t('mt.approval.approvedAt', { at: formatDateTime(ap.approvedAt) })}</p>
        ${ap.contentHash ? html`<p class="mt-meta">${t('mt.approval.hash')}: <code class="mt-hash">${ap.contentHash}</code></p>` : ''}` : ''}
      ${ap.decisionRequired ? html`<p class="notice notice-error">${t('mt.approval.decisionRequired')}</p>` : ''}
      ${can.circulate || can.recirculate ? html`<form id="mn-circulate" class="mt-inline-form" novalidate>
        <div class="field"><label for="mn-deadline">${t('mt.approval.deadlineLabel')}</label>
          <p class="hint" id="mn-deadline-hint">${t('mt.approval.deadlineHint')}</p>
          <input id="mn-deadline" name="deadline" type="date" value="${mt.addDays(todayBerlin(), 14)}" aria-describedby="mn-deadline-hint"></div>
        <div class="actions"><button type="submit" class="button primary" id="mn-circulate-submit" data-again="${can.recirculate ? '1' : ''}">${can.recirculate ? t('mt.approval.recirculate') : t('mt.approval.circulate')}</button></div>
      </form>` : ''}
      <div class="actions">
        ${manage() && ap.stage === 'circulated' ? html`<button type="button" class="button primary" id="mn-approve" ${attrs({ 'aria-describedby': can.approve ? null : 'mn-approve-why' })}>${t('mt.approval.approve')}</button>` : ''}
        ${can.publish ? html`<button type="button" class="button primary" id="mt-publish">${t('mt.approval.publish')}</button>` : ''}
      </div>
      ${manage() && ap.stage === 'circulated' && !can.approve ? html`<p class="hint" id="mn-approve-why">${can.openObjections ? tn('mt.approval.whyObjections', can.openObjections) : t('mt.approval.whyDeadline')}</p>` : ''}
      ${state.meeting.status === 'published' ? html`<p><a href="/api/v1/meetings/${state.meeting.id}/export/public-minutes.html?lang=${getLang()}">${t('mt.export.publicMinutes')}</a> · <a href="/api/v1/meetings/${state.meeting.id}/export/public-minutes.pdf?lang=${getLang()}">${t('mt.export.publicMinutesPdf')}</a></p>` : ''}
    </section>
    ${objectionsTemplate(mins, can, me)}
    <section class="card" aria-labelledby="mt-doc-title" data-testid="mt-minutes-doc">
      <h2 id="mt-doc-title">${t('mt.minutes')}</h2>
      <p><a href="/api/v1/meetings/${state.meeting.id}/export/minutes.html?lang=${getLang()}">${t('mt.export.minutes')}</a> · <a href="/api/v1/meetings/${state.meeting.id}/export/minutes.pdf?lang=${getLang()}">${t('mt.export.minutesPdf')}</a> · <a href="/api/v1/meetings/${state.meeting.id}/export/minutes.md?lang=${getLang()}">${t('mt.export.minutesMd')}</a></p>
      <h3>${t('mt.minutes.attendance')}</h3>
      ${(mins.attendance ?? []).length ? html`<ul>${mins.attendance.map((a) => html`<li>${a.value.name}${a.value.organization ? html` (${a.value.organization})` : ''}: ${t(`mt.attendance.${a.value.status}`)}</li>`)}</ul>` : html`<p class="muted">${t('mt.minutes.empty')}</p>`}
      ${items.filter((x) => mins.notes?.[x.id]?.text || (mins.decisions ?? []).some((d) => d.value.agendaItemID === x.id)).map((x) => html`<h3>${x.number} ${x.title}</h3>
        ${mins.notes?.[x.id]?.text ? html`<div class="markdown">${renderMarkdown(mins.notes[x.id].text)}</div>` : ''}
        ${(mins.decisions ?? []).filter((d) => d.value.agendaItemID === x.id).map((d) => html`<p><strong>${t('mt.decision')}:</strong> ${d.value.text}</p>`)}`)}
      ${(mins.decisions ?? []).filter((d) => !d.value.agendaItemID).length ? html`<h3>${t('mt.minutes.decisions')}</h3><ul>${mins.decisions.filter((d) => !d.value.agendaItemID).map((d) => html`<li>${d.value.text}</li>`)}</ul>` : ''}
      <h3>${t('mt.minutes.actionItems')}</h3>
      ${actionItemsTemplate(mins.actionItems ?? [], false)}
      <h3>${t('mt.minutes.openPoints')}</h3>
      ${mins.openPoints?.text ? html`<div class="markdown">${renderMarkdown(mins.openPoints.text)}</div>` : html`<p class="muted">${t('mt.minutes.empty')}</p>`}
    </section>`;
  }

  /** The label of an objection's section (`mt.objectionSectionOptions`). */
  function sectionOptionLabel(o) {
    switch (o.kind) {
      case 'whole': return t('mt.objection.section.whole');
      case 'notes': return t('mt.objection.section.item', { number: o.number, title: o.title });
      case 'decision': return `${t('mt.decision')}: ${mt.shortLabel(o.title)}`;
      case 'actionItem': return `${t('mt.objection.section.action')}: ${mt.shortLabel(o.title)}`;
      default: return t('mt.sectionKind.openPoints');
    }
  }

  function objectionSectionLabel(section, mins) {
    const key = mt.objectionSectionKey(section);
    const found = mt.objectionSectionOptions(mins, state.agenda?.items).find((o) => o.value === key);
    return found ? sectionOptionLabel(found) : t('mt.objection.section.removed');
  }

  function objectionsTemplate(mins, can, me) {
    const list = mins.objections ?? [];
    return html`<section class="card" aria-labelledby="mt-obj-title">
      <h2 id="mt-obj-title">${t('mt.objections')}</h2>
      ${list.length ? html`<ul class="mt-objections plain" data-testid="mt-objections">${list.map((o) => {
        const st = mt.objectionState(o);
        const mine = me && o.by === `member:${me}`;
        return html`<li class="card mt-objection" data-testid="mt-objection" data-id="${o.id}">
          <p class="mt-meta">${inviteeName(o.by)} · ${formatDateTime(o.raisedAt)} · <span class="badge">${t(`mt.objection.${st}`)}</span></p>
          <p class="mt-meta" data-testid="mt-objection-section">${t('mt.objection.concerns')}: ${objectionSectionLabel(o.section, mins)}</p>
          <div class="markdown">${renderMarkdown(o.text)}</div>
          ${o.answer ? html`<p><strong>${t(`mt.objection.resolution.${o.answer.resolution}`)}:</strong> ${o.answer.text}</p>` : ''}
          ${st === 'open' && can.answer ? html`<form class="mt-answer" data-answer="${o.id}" novalidate>
            <div class="field"><label for="ans-${o.id}">${t('mt.objection.answer')}</label><textarea id="ans-${o.id}" name="text" rows="2" maxlength="4000"></textarea></div>
            <div class="field"><label for="ans-res-${o.id}">${t('mt.objection.resolution')}</label>
              <select id="ans-res-${o.id}" name="resolution"><option value="accepted">${t('mt.objection.resolution.accepted')}</option><option value="rejected">${t('mt.objection.resolution.rejected')}</option></select></div>
            <div class="actions"><button type="submit" class="button secondary" id="ans-submit-${o.id}">${t('mt.objection.answerSubmit')}</button></div>
          </form>` : ''}
          ${st === 'open' && mine ? html`<button type="button" class="button quiet" id="obj-withdraw-${o.id}" data-withdraw="${o.id}">${t('mt.objection.withdraw')}</button>` : ''}
        </li>`;
      })}</ul>` : html`<p class="muted">${t('mt.objections.none')}</p>`}
      ${can.object ? html`<form id="mn-object" novalidate>
        <div class="field"><label for="mn-object-text">${t('mt.objection.raise')}</label>
          <p class="hint" id="mn-object-hint">${t('mt.objection.hint')}</p>
          <textarea id="mn-object-text" name="text" rows="3" maxlength="4000" aria-describedby="mn-object-hint"></textarea></div>
        <div class="field"><label for="mn-object-section">${t('mt.objection.section')}</label>
          <select id="mn-object-section" name="section">${mt.objectionSectionOptions(mins, state.agenda?.items).map((o) => html`<option value="${o.value}">${sectionOptionLabel(o)}</option>`)}</select></div>
        <div class="actions"><button type="submit" class="button secondary" id="mn-object-submit">${t('mt.objection.submit')}</button></div>
      </form>` : ''}
    </section>`;
  }

  // ---------------------------------------------------------------- draw and tick

  function draw() {
    if (destroyed) return;
    const body = $('#mt-body');
    if (!body) return;
    if (!state) {
      renderKeepingFocus(body, error ? errorNotice(error) : html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    // Keep what is being typed: drafts live in `editors`, not only in the DOM.
    for (const el of target.querySelectorAll('[data-text-section]')) editors = mt.typeDraft(editors, el.dataset.textSection, el.value);
    const entryForm = editingEntry ? target.querySelector(`form[data-entry-form="${editingEntry}"]`) : null;
    if (entryForm) entryDraft = readEntry(entryForm, editingEntry.slice(0, editingEntry.indexOf(':')));
    const editDetails = $('#mt-edit-details');
    if (editDetails) {
      editOpen = editDetails.open;
      if (editOpen) editDraft = readEdit();
    }
    const m = state.meeting;
    setTitle(`${m.title} – ${t(`mt.tab.${tab}`)}`);
    const h1 = $('#page-title');
    if (h1) h1.textContent = m.title;
    render($('#mt-crumb'), html`<a href="#/workspaces/${m.workspaceId}/meetings">${t('mt.list.title')}${ctx.workspaceName(m.workspaceId) ? html`: ${ctx.workspaceName(m.workspaceId)}` : ''}</a>`);
    render($('#mt-tabs'), tabsTemplate());
    const content = state.deleted ? deletedTemplate() : tab === 'live' ? liveTemplate() : tab === 'minutes' ? approvalTemplate() : overviewTemplate();
    renderKeepingFocus(body, content);
    tick();
  }

  function tick() {
    const el = $('#mt-countdown');
    if (!el || !state?.agenda?.live) {
      lastTimer = null;
      return;
    }
    const c = mt.timer(state.agenda.live.endsAt, Date.now());
    if (!c) return;
    el.textContent = c.overrun ? t('mt.live.overrunBy', { time: c.label }) : c.label;
    el.setAttribute('data-overrun', c.overrun ? 'true' : 'false');
    const label = $('#mt-timer-label');
    if (label) label.textContent = c.overrun ? t('mt.live.overrun') : t('mt.live.remaining');
    const milestone = mt.timerMilestone(lastTimer, c);
    if (milestone && lastTimer) announce(t(`mt.live.milestone.${milestone}`));
    lastTimer = c;
  }
  ticker = setInterval(tick, 1000);

  // ---------------------------------------------------------------- events

  target.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b || !state) return;
    const d = b.dataset;
    if (d.step) meetingStep(d.step, b);
    else if (d.rsvp) {
      act(ctx.api.post(`/api/v1/meetings/${enc(id)}/rsvp`, { response: d.rsvp }), {
        button: b,
        apply: (data) => { state.tally = data.tally; state.myResponse = d.rsvp; },
        success: t('mt.rsvp.saved', { response: t(`mt.rsvp.${d.rsvp}`) }),
      });
    } else if (d.edit) {
      if (d.edit === 'remove') {
        const item = state.agenda.items.find((x) => x.id === d.item);
        if (!window.confirm(t('mt.agenda.confirmRemove', { title: item?.title ?? '' }))) return;
        agendaEdit({ op: 'remove', itemId: d.item }, { button: b }).then((a) => { if (a) { announce(t('mt.agenda.removed')); $('#mt-agenda-title')?.focus(); } });
      } else {
        agendaEdit({ op: d.edit, itemId: d.item }, { focusId: null }).then((a) => {
          if (!a) return;
          const item = state.agenda.items.find((x) => x.id === d.item);
          (document.getElementById(b.id) ?? document.getElementById(`ag-grab-${d.item}`))?.focus();
          if (item) announce(t('mt.agenda.moved', { title: item.title, number: item.number }));
        });
      }
    } else if (d.itemEdit) {
      editingItem = d.itemEdit;
      loadRecommendations();
      draw();
      document.getElementById(`ie-dur-${d.itemEdit}`)?.focus();
    } else if (d.itemCancel) {
      editingItem = null;
      draw();
      document.getElementById(`ag-edit-${d.itemCancel}`)?.focus();
    } else if (d.live === 'finish') {
      confirmAction({ title: t('confirm.mtFinish.title'), body: t('confirm.mtFinish.body'), confirm: t('confirm.mtFinish.yes'), opener: b })
        .then((yes) => { if (yes) liveStep({ step: 'finish' }, b); });
    } else if (d.live) {
      const body = { step: d.live };
      if (d.live === 'advance') body.fromItemId = state.agenda?.live?.currentItemId ?? null;
      if (d.live === 'extend') body.minutes = 5;
      liveStep(body, b);
    } else if (d.removeSection) {
      if (!window.confirm(t('mt.minutes.confirmRemove'))) return;
      saveSection({ kind: 'remove', baseVersion: Number(d.version), section: d.removeSection }, { button: b, success: t('mt.minutes.removed') })
        .then((a) => { if (a) $('#mt-minutes-title')?.focus(); });
    } else if (d.saveSection) saveText(d.saveSection, b);
    else if (d.mergeSave) {
      const key = d.mergeSave;
      const text = document.getElementById(`mg-${cssId(key)}-text`)?.value ?? '';
      editors = mt.resolveMerge(editors, key, text);
      const field = document.getElementById(`mn-${cssId(key)}`);
      if (field) field.value = text;
      saveText(key, b);
    } else if (d.withdraw) minutesStep(`objections/${enc(d.withdraw)}/withdraw`, undefined, b, t('mt.objection.withdrawn.done'));
    else if (b.id === 'mn-approve') minutesStep('approve', undefined, b, t('mt.approval.approved'));
    else if (b.id === 'mt-publish') meetingStep('publish', b);
  });

  // Editing a decision or an action item: open the form (focus to its first field), keep or save it.
  target.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b || !state) return;
    if (b.dataset.entryEdit) {
      editingEntry = b.dataset.entryEdit;
      const [kind, entryId] = [editingEntry.slice(0, editingEntry.indexOf(':')), editingEntry.slice(editingEntry.indexOf(':') + 1)];
      entryBase = ((kind === 'decision' ? state.minutes?.decisions : state.minutes?.actionItems) ?? []).find((x) => x.value.id === entryId)?.version ?? 0;
      entryDraft = null;
      entryConflict = false;
      draw();
      const k = editingEntry;
      document.querySelector(`form[data-entry-form="${k}"] [name="text"]`)?.focus();
    } else if (b.dataset.entryCancel) {
      const k = b.dataset.entryCancel;
      editingEntry = null;
      entryDraft = null;
      entryConflict = false;
      draw();
      document.querySelector(`[data-entry-edit="${k}"]`)?.focus();
    }
  });
  target.addEventListener('submit', (e) => {
    const form = e.target;
    if (!state || !form.dataset.entryForm) return;
    e.preventDefault();
    saveEntry(form);
  });

  // Deleting: open the confirmation (focus moves to it), confirm, or keep the meeting.
  target.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b || !state) return;
    if (b.id === 'mt-delete') {
      deleteConfirm = true;
      draw();
      $('#mt-delete-confirm')?.focus();
      announce(t('mt.delete.question', { title: state.meeting.title }));
    } else if (b.id === 'mt-delete-cancel') {
      deleteConfirm = false;
      draw();
      $('#mt-delete')?.focus();
    } else if (b.id === 'mt-delete-confirm') deleteMeeting(b);
  });
  target.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !deleteConfirm || !e.target.closest('#mt-delete-confirm-group')) return;
    e.preventDefault();
    deleteConfirm = false;
    draw();
    $('#mt-delete')?.focus();
  });

  target.addEventListener('keydown', (e) => {
    const grab = e.target.closest('[data-grab]');
    if (!grab || !state) return;
    const op = mt.keyEdit(e);
    if (!op) return;
    e.preventDefault();
    agendaEdit({ op, itemId: grab.dataset.grab }, { focusId: grab.dataset.grab });
  });

  target.addEventListener('dragstart', (e) => {
    const li = e.target.closest('li[draggable="true"]');
    if (!li) return;
    dragId = li.dataset.id;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', dragId);
  });
  target.addEventListener('dragover', (e) => {
    if (dragId && e.target.closest('.mt-agenda li[data-id]')) e.preventDefault();
  });
  target.addEventListener('drop', (e) => {
    const li = e.target.closest('.mt-agenda li[data-id]');
    if (!li || !dragId) return;
    e.preventDefault();
    const rect = li.getBoundingClientRect();
    const position = e.clientY > rect.top + rect.height / 2 ? 'after' : 'before';
    const edit = mt.dropEdit(state.agenda.items, dragId, li.dataset.id, position);
    dragId = null;
    if (edit) agendaEdit(edit, { focusId: edit.itemId });
  });
  target.addEventListener('dragend', () => { dragId = null; });

  target.addEventListener('input', (e) => {
    const key = e.target.dataset?.textSection;
    if (!key) return;
    if (!editors[key]) editors = mt.startEditing(editors, key, state.minutes);
    editors = mt.typeDraft(editors, key, e.target.value);
  });

  target.addEventListener('change', (e) => {
    const el = e.target;
    if (!state) return;
    if (el.dataset.notesItem) {
      notesItem = el.value;
      draw();
      document.getElementById('mn-item')?.focus();
    } else if (el.dataset.attendance !== undefined && el.dataset.attendance) {
      if (!el.value) return;
      const key = el.dataset.attendance;
      const entry = (state.minutes?.attendance ?? []).find((a) => a.value.person === key);
      saveSection({
        kind: 'attendance', baseVersion: entry?.version ?? 0,
        attendance: { person: key, name: entry?.value.name ?? inviteeName(key), organization: entry?.value.organization ?? null, status: el.value, publicationConsent: entry?.value.publicationConsent ?? false },
      }, { success: t('mt.attendance.saved', { name: inviteeName(key), status: t(`mt.attendance.${el.value}`) }) });
    } else if (el.dataset.consent) {
      const key = el.dataset.consent;
      const entry = (state.minutes?.attendance ?? []).find((a) => a.value.person === key);
      if (!entry) return;
      saveSection({
        kind: 'attendance', baseVersion: entry.version,
        attendance: { ...entry.value, organization: entry.value.organization ?? null, publicationConsent: el.checked },
      }, { success: el.checked ? t('mt.attendance.consentGiven') : t('mt.attendance.consentWithdrawn') });
    } else if (el.dataset.actionStatus) {
      minutesStep(`action-items/${enc(el.dataset.actionStatus)}/status`, { status: el.value }, null, t('mt.action.statusSaved'));
    }
  });

  target.addEventListener('submit', (e) => {
    const form = e.target;
    if (!state) return;
    if (form.dataset.itemForm) {
      e.preventDefault();
      const itemId = form.dataset.itemForm;
      const item = state.agenda.items.find((x) => x.id === itemId);
      const body = { op: 'update', itemId, item: {
        title: form.title ? form.title.value.trim() : item.title, durationMinutes: Number(form.duration.value) || 0,
        presenter: form.presenter.value.trim() || null, isPublic: form.isPublic.checked,
        recommendationIds: recommendations === null ? (item.recommendationIds ?? []) : [...form.querySelectorAll('input[name="rec"]:checked')].map((x) => x.value),
        documents: mt.documentRows([...form.querySelectorAll('input[name="docTitle"]')].map((x) => x.value), [...form.querySelectorAll('input[name="docUrl"]')].map((x) => x.value)),
      } };
      agendaEdit(body, { button: form.querySelector('button[type="submit"]') }).then((a) => {
        if (!a) return;
        editingItem = null;
        draw();
        document.getElementById(`ag-edit-${itemId}`)?.focus();
        announce(t('mt.agenda.itemSaved'));
      });
    } else if (form.id === 'mt-edit') {
      e.preventDefault();
      saveEdit(form);
    } else if (form.id === 'mt-cancel') {
      e.preventDefault();
      const button = $('#mt-step-cancel');
      confirmAction({ title: t('confirm.mtCancel.title'), body: t('confirm.mtCancel.body'), confirm: t('confirm.mtCancel.yes'), opener: button })
        .then((yes) => { if (yes) meetingStep('cancel', button, { reason: form.reason.value }); });
    } else if (form.id === 'ag-add') {
      e.preventDefault();
      const title = form.title.value.trim();
      if (!title) {
        showErrors(form, [{ field: 'title', code: 'required' }], { title: 'ag-add-title' }, 'ag-add-errors');
        return;
      }
      const body = { op: 'add', item: { title, durationMinutes: Number(form.duration.value) || 0, presenter: form.presenter.value.trim() || null, isPublic: form.isPublic.checked } };
      if (form.parentId.value) body.parentId = form.parentId.value;
      agendaEdit(body, { button: $('#ag-add-submit') }).then((a) => {
        if (!a) return;
        const added = state.agenda.items.find((x) => x.title === title);
        announce(t('mt.agenda.added', { title, number: added?.number ?? '' }));
        document.getElementById('ag-add-title')?.focus();
      });
    } else if (form.id === 'live-goto') {
      e.preventDefault();
      liveStep({ step: 'goTo', itemId: form.itemId.value }, $('#live-goto-submit'));
    } else if (form.id === 'mn-decision') {
      e.preventDefault();
      const text = form.text.value.trim();
      if (!text) { form.text.focus(); announce(t('mt.error.textRequired')); return; }
      const n = (x) => (x.value === '' ? null : Number(x.value));
      const votes = [n(form.yes), n(form.no), n(form.abstain)];
      const decision = { text, agendaItemId: notesItemNow() };
      if (votes.some((v) => v !== null)) decision.votes = { inFavour: votes[0] ?? 0, against: votes[1] ?? 0, abstentions: votes[2] ?? 0 };
      saveSection({ kind: 'decision', baseVersion: 0, decision }, { button: $('#mn-decision-submit'), success: t('mt.decision.added') }).then((a) => { if (a) $('#mn-decision-text')?.focus(); });
    } else if (form.id === 'mn-action') {
      e.preventDefault();
      const text = form.text.value.trim();
      const owner = form.owner.value;
      const ownerName = form.ownerName.value.trim() || (owner ? inviteeName(owner) : '');
      const errors = [];
      if (!text) errors.push({ field: 'text', code: 'required' });
      if (!ownerName) errors.push({ field: 'ownerName', code: 'required' });
      if (errors.length) { showErrors(form, errors, { text: 'mn-action-text', ownerName: 'mn-action-owner-name' }, 'mn-action-errors'); return; }
      const actionItem = { text, ownerName, agendaItemId: notesItemNow() };
      if (owner.startsWith('member:')) actionItem.ownerId = owner.slice('member:'.length);
      if (form.due.value) actionItem.due = form.due.value;
      saveSection({ kind: 'actionItem', baseVersion: 0, actionItem }, { button: $('#mn-action-submit'), success: t('mt.action.added') }).then((a) => { if (a) $('#mn-action-text')?.focus(); });
    } else if (form.id === 'mn-circulate') {
      e.preventDefault();
      const again = Boolean($('#mn-circulate-submit')?.dataset.again);
      minutesStep('circulate', { deadline: form.deadline.value || null, again }, $('#mn-circulate-submit'), t('mt.approval.circulated'));
    } else if (form.id === 'mn-object') {
      e.preventDefault();
      const text = form.text.value.trim();
      if (!text) { form.text.focus(); announce(t('mt.error.textRequired')); return; }
      const body = { text };
      if (form.section?.value) body.section = form.section.value;
      minutesStep('objections', body, $('#mn-object-submit'), t('mt.objection.raised'));
    } else if (form.dataset.answer) {
      e.preventDefault();
      const text = form.text.value.trim();
      if (!text) { form.text.focus(); announce(t('mt.error.textRequired')); return; }
      minutesStep(`objections/${enc(form.dataset.answer)}/answer`, { text, resolution: form.resolution.value }, form.querySelector('button'), t('mt.objection.answered'));
    }
  });

  function notesItemNow() {
    return document.getElementById('mn-item')?.value || null;
  }

  ctx.ensureLive();
  load();

  return {
    name: `meeting-${tab}`,
    keep() {
      for (const el of target.querySelectorAll('[data-text-section]')) {
        if (!editors[el.dataset.textSection] && state) editors = mt.startEditing(editors, el.dataset.textSection, state.minutes);
        editors = mt.typeDraft(editors, el.dataset.textSection, el.value);
      }
      return { notesItem, editors };
    },
    onTopicEvent(event) {
      if (!state || event.topic !== topic) return;
      const removed = mt.applyDeletion(state, event);
      if (removed !== state) {
        state = removed;
        draw();
        announce(t('mt.delete.gone'));
        return;
      }
      const before = state;
      const next = mt.applyMeetingEvent(state, event);
      if (next === before) return;
      state = next;
      if (event.name.startsWith('minutes.') && state.minutes) editors = mt.othersSaved(editors, state.minutes);
      if (event.name === 'meeting.updated' && editOrigin && $('#mt-edit-details')?.open) {
        const fields = mt.changedFields(editOrigin, state.meeting);
        if (fields.length) editConflict = { fields, current: state.meeting };
      }
      draw();
      if (event.name === 'agenda.liveChanged') announceCurrent();
      else if (event.name === 'minutes.saved' && event.data.section) announce(t('mt.live.minutesSaved'));
      else if (event.name === 'agenda.changed') announce(t('mt.live.agendaChanged'));
      else if (event.name === 'meeting.statusChanged') announce(t('mt.live.status', { status: t(`mt.status.${state.meeting.status}`) }));
    },
    update(reason) {
      if (reason === 'directory' && state) draw();
    },
    destroy() {
      destroyed = true;
      clearInterval(ticker);
      if (liveErrors && app.live) app.live.removeEventListener('liveerror', liveErrors);
      if (topic && app.live) app.live.unsubscribe(topic);
    },
  };
}

// ================================================================== action list

export function mountActionList(target, route, keep, ctx) {
  const wsId = route.id;
  let destroyed = false;
  let entries = null;
  let error = null;
  let all = Boolean(keep?.all);
  setTitle(t('mt.actions.title'));

  function draw() {
    if (destroyed) return;
    const today = todayBerlin();
    const list = entries ? mt.sortActions(entries, today) : [];
    const overdue = list.filter((e) => e.isOverdue || mt.isOverdue(e.item, today)).length;
    renderKeepingFocus(target, html`
      <p class="breadcrumb"><a href="#/workspaces/${wsId}/meetings">${t('mt.list.title')}${ctx.workspaceName(wsId) ? html`: ${ctx.workspaceName(wsId)}` : ''}</a></p>
      <h1 id="page-title" tabindex="-1">${t('mt.actions.title')}</h1>
      <div class="field checkbox"><input type="checkbox" id="ai-all" ${attrs({ checked: all })}><label for="ai-all">${t('mt.actions.showClosed')}</label></div>
      <div id="ai-error">${error ? errorNotice(error) : ''}</div>
      ${entries === null ? html`<p class="loading">${t('app.loading')}</p>` : html`
        <p data-testid="ai-summary">${t('mt.actions.summary', { n: String(list.length), overdue: String(overdue) })}</p>
        ${list.length ? html`<ul class="mt-actions plain" data-testid="ai-list">${list.map((e) => {
          const od = e.isOverdue || mt.isOverdue(e.item, today);
          return html`<li class="card ${od ? 'mt-overdue' : ''}" data-testid="ai-entry" data-overdue="${od ? 'true' : 'false'}">
            <p class="mt-action-text">${e.item.text}</p>
            <p class="mt-meta">${e.item.owner?.name ?? ''}${e.item.due ? html` · ${t('mt.action.due', { date: formatDate(e.item.due) })}` : ''}${od ? html` · <strong class="mt-overdue-label">${t('mt.action.overdue')}</strong>` : ''} · ${t(`mt.action.${e.item.status}`)}</p>
            <p class="mt-meta"><a href="#/meetings/${e.meetingId}/minutes">${e.meetingTitle}</a> (${formatDate(e.meetingDate)})</p>
            ${ctx.canEdit(wsId) || (e.item.owner?.userID && e.item.owner.userID === ctx.app.session?.user?.id) ? html`<label for="ai-st-${e.item.id}">${t('mt.action.statusFor', { text: e.item.text })}</label>
              <select id="ai-st-${e.item.id}" data-meeting="${e.meetingId}" data-item="${e.item.id}">${mt.ACTION_STATUSES.map((s) => html`<option value="${s}" ${attrs({ selected: e.item.status === s })}>${t(`mt.action.${s}`)}</option>`)}</select>` : ''}
          </li>`;
        })}</ul>` : html`<p>${t('mt.actions.none')}</p>`}`}`);
  }

  async function load() {
    try {
      const { data } = await ctx.call(ctx.api.get(`/api/v1/workspaces/${enc(wsId)}/action-items${all ? '?all=true' : ''}`));
      if (destroyed) return;
      entries = data?.items ?? [];
      error = null;
    } catch (err) {
      error = err;
      entries = entries ?? [];
    }
    draw();
  }

  target.addEventListener('change', async (e) => {
    const el = e.target;
    if (el.id === 'ai-all') {
      all = el.checked;
      await load();
      document.getElementById('ai-all')?.focus();
      return;
    }
    if (el.dataset.item) {
      try {
        await ctx.call(ctx.api.post(`/api/v1/meetings/${enc(el.dataset.meeting)}/minutes/action-items/${enc(el.dataset.item)}/status`, { status: el.value }));
        announce(t('mt.action.statusSaved'));
        await load();
      } catch (err) {
        render($('#ai-error'), errorNotice(err));
        announce(errorText(err));
      }
    }
  });

  draw();
  load();
  return { name: 'actionList', keep() { return { all }; }, update(reason) { if (reason === 'directory') draw(); }, destroy() { destroyed = true; } };
}

// ================================================================== RSVP from the e-mail link

export function mountRsvp(target, route, keep, ctx) {
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
      const m = info.meeting;
      body = html`
        <dl class="facts">
          <dt>${t('mt.meeting')}</dt><dd data-testid="rsvp-title">${m.title}</dd>
          <dt>${t('mt.date')}</dt><dd>${whenText(m)}</dd>
          ${m.place ? html`<dt>${t('mt.place')}</dt><dd>${m.place}</dd>` : ''}
          ${m.onlineUrl ? html`<dt>${t('mt.online')}</dt><dd><a href="${m.onlineUrl}" rel="noopener noreferrer">${m.onlineUrl}</a></dd>` : ''}
        </dl>
        ${m.status === 'cancelled' ? html`<p class="notice notice-error">${t('mt.rsvpPage.cancelled')}</p>` : html`
        <p id="rsvp-current" data-testid="rsvp-current">${info.response ? t('mt.rsvpPage.current', { response: t(`mt.rsvp.${info.response}`) }) : t('mt.rsvpPage.none')}</p>
        <div class="actions" role="group" aria-labelledby="rsvp-question">
          <p id="rsvp-question" class="visually-hidden">${t('mt.rsvpPage.question')}</p>
          ${mt.RESPONSES.map((r) => html`<button type="button" class="button ${info.response === r ? 'primary' : 'secondary'}" id="rsvp-${r}" data-rsvp="${r}" aria-pressed="${info.response === r ? 'true' : 'false'}">${t(`mt.rsvp.${r}`)}</button>`)}
        </div>`}`;
    }
    renderKeepingFocus(target, html`<section class="card narrow" aria-labelledby="page-title">
      <h1 id="page-title" tabindex="-1">${t('mt.rsvpPage.title')}</h1>
      <p>${t('mt.rsvpPage.intro')}</p>
      <div id="rsvp-error"></div>
      ${body}
    </section>`);
  }

  async function load() {
    try {
      const { data } = await ctx.api.get(`/api/v1/rsvp/${enc(token)}`);
      if (destroyed) return;
      info = data;
    } catch (err) {
      error = err;
    }
    draw();
  }

  target.addEventListener('click', async (e) => {
    const b = e.target.closest('[data-rsvp]');
    if (!b || !info) return;
    const done = busyButton(b, t('app.loading'));
    try {
      const { data } = await ctx.api.post(`/api/v1/rsvp/${enc(token)}`, { response: b.dataset.rsvp });
      info = data;
      draw();
      document.getElementById(`rsvp-${b.dataset.rsvp}`)?.focus();
      announce(t('mt.rsvp.saved', { response: t(`mt.rsvp.${b.dataset.rsvp}`) }));
    } catch (err) {
      done();
      render($('#rsvp-error'), errorNotice(err));
      announce(errorText(err));
    }
  });

  draw();
  load();
  return { name: 'rsvp', destroy() { destroyed = true; } };
}

// ================================================================== templates (administrators)

const STANDARD = ['welcome', 'approvalOfMinutes', 'reports', 'topics', 'anyOtherBusiness'];
const SECTION_KINDS = ['attendance', 'itemNotes', 'decisions', 'actionItems', 'openPoints'];

export function mountMeetingTemplates(target, route, keep, ctx) {
  let destroyed = false;
  let templates = null;
  let error = null;
  let editing = null; // { id|null, version, draft }
  setTitle(t('mt.templates.title'));

  if (!ctx.isAdmin()) {
    render(target, html`<h1 id="page-title" tabindex="-1">${t('mt.templates.title')}</h1>
      <div class="notice notice-error"><p>${t('admin.forbidden')}</p></div>`);
    return { name: 'meetingTemplates' };
  }

  function rowTemplate(item, i) {
    return html`<li class="mt-skeleton-row" data-row="${String(i)}">
      <div class="field"><label for="sk-title-${String(i)}">${t('mt.templates.itemTitle', { n: String(i + 1) })}</label>
        <input type="text" id="sk-title-${String(i)}" name="sk-title" value="${item.title}" maxlength="200" autocomplete="off"></div>
      <div class="field"><label for="sk-dur-${String(i)}">${t('mt.agenda.duration')}</label>
        <input id="sk-dur-${String(i)}" name="sk-dur" type="number" min="0" max="600" value="${String(item.durationMinutes)}" inputmode="numeric"></div>
      <div class="field"><label for="sk-std-${String(i)}">${t('mt.templates.standard')}</label>
        <select id="sk-std-${String(i)}" name="sk-std"><option value="">${t('mt.templates.noStandard')}</option>
        ${STANDARD.map((s) => html`<option value="${s}" ${attrs({ selected: item.standard === s })}>${t(`mt.standard.${s}`)}</option>`)}</select></div>
      <div class="field checkbox"><input type="checkbox" id="sk-pub-${String(i)}" name="sk-pub" ${attrs({ checked: item.isPublic !== false })}><label for="sk-pub-${String(i)}">${t('mt.agenda.public')}</label></div>
    </li>`;
  }

  function editorTemplate() {
    const d = editing.draft;
    return html`<section class="card" aria-labelledby="tpl-edit-title">
      <h2 id="tpl-edit-title" tabindex="-1">${editing.id ? t('mt.templates.revise', { name: d.name, version: String(editing.version) }) : t('mt.templates.new')}</h2>
      <form id="tpl-form" novalidate>
        <div id="tpl-errors"></div>
        <div class="field"><label for="tpl-name">${t('mt.templates.name')}</label>${fieldError('tpl-name-error')}<input type="text" id="tpl-name" name="name" value="${d.name}" maxlength="200" autocomplete="off"></div>
        <div class="field"><label for="tpl-subject">${t('mt.templates.subject')}</label>
          <p class="hint" id="tpl-subject-hint">${t('mt.templates.placeholders')}</p>${fieldError('tpl-subject-error')}
          <input type="text" id="tpl-subject" name="invitationSubject" value="${d.invitationSubject}" aria-describedby="tpl-subject-hint" autocomplete="off"></div>
        <div class="field"><label for="tpl-body">${t('mt.templates.body')}</label>${fieldError('tpl-body-error')}<textarea id="tpl-body" name="invitationBody" rows="10">${d.invitationBody}</textarea></div>
        <fieldset><legend>${t('mt.templates.agenda')}</legend>
          <ol class="plain" id="tpl-rows">${d.agenda.map(rowTemplate)}</ol>
          <div class="actions"><button type="button" class="button secondary" id="tpl-add-row">${t('mt.templates.addRow')}</button></div>
        </fieldset>
        <fieldset><legend>${t('mt.templates.sections')}</legend>
          ${d.minutesSections.map((s, i) => html`<div class="field"><label for="sec-${String(i)}">${t(`mt.sectionKind.${s.kind}`)}</label>
            <input type="text" id="sec-${String(i)}" name="sec" data-kind="${s.kind}" value="${s.title}" maxlength="120" autocomplete="off"></div>`)}
        </fieldset>
        <div class="actions"><button type="submit" class="button primary" id="tpl-save">${t('mt.templates.save')}</button>
          <button type="button" class="button secondary" id="tpl-cancel">${t('mt.templates.cancel')}</button></div>
      </form>
    </section>`;
  }

  function draw() {
    if (destroyed) return;
    renderKeepingFocus(target, html`
      <p class="breadcrumb"><a href="#/admin">${t('nav.admin')}</a></p>
      <h1 id="page-title" tabindex="-1">${t('mt.templates.title')}</h1>
      <p>${t('mt.templates.intro')}</p>
      ${error ? errorNotice(error) : ''}
      <section class="card" aria-labelledby="tpl-list-title">
        <h2 id="tpl-list-title">${t('mt.templates.list')}</h2>
        ${templates === null ? html`<p class="loading">${t('app.loading')}</p>` : html`<ul class="plain" data-testid="tpl-list">${templates.map((x) => html`<li class="mt-row">
          <strong>${x.name}</strong> <span class="mt-meta">${t('mt.template.version', { version: String(x.version) })} · ${t('mt.templates.items', { n: String(x.agenda.length) })}</span>
          <button type="button" class="button quiet" id="tpl-edit-${x.id}" data-edit-template="${x.id}">${t('mt.templates.edit')}<span class="visually-hidden"> (${x.name})</span></button></li>`)}</ul>`}
        ${editing ? '' : html`<div class="actions"><button type="button" class="button primary" id="tpl-new">${t('mt.templates.new')}</button></div>`}
      </section>
      ${editing ? editorTemplate() : ''}`);
  }

  async function load() {
    try {
      const { data } = await ctx.call(ctx.api.get('/api/v1/meeting-templates'));
      if (destroyed) return;
      templates = data?.items ?? [];
      error = null;
    } catch (err) {
      error = err;
      templates = templates ?? [];
    }
    draw();
  }

  function readForm() {
    const form = $('#tpl-form');
    const rows = [...form.querySelectorAll('.mt-skeleton-row')].map((row) => ({
      title: row.querySelector('[name="sk-title"]').value.trim(),
      durationMinutes: Number(row.querySelector('[name="sk-dur"]').value) || 0,
      standard: row.querySelector('[name="sk-std"]').value || null,
      isPublic: row.querySelector('[name="sk-pub"]').checked,
    }));
    return {
      name: form.name.value.trim(),
      invitationSubject: form.invitationSubject.value,
      invitationBody: form.invitationBody.value,
      agenda: rows.filter((r) => r.title),
      minutesSections: [...form.querySelectorAll('[name="sec"]')].map((x) => ({ kind: x.dataset.kind, title: x.value.trim() })),
    };
  }

  target.addEventListener('click', async (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.id === 'tpl-new') {
      const base = templates?.[0];
      editing = { id: null, version: 0, draft: base ? { name: '', invitationSubject: base.invitationSubject, invitationBody: base.invitationBody, agenda: base.agenda, minutesSections: base.minutesSections }
        : { name: '', invitationSubject: 'Einladung: {{meeting.title}}', invitationBody: '', agenda: STANDARD.map((s) => ({ standard: s, title: t(`mt.standard.${s}`), durationMinutes: 10, isPublic: true })), minutesSections: SECTION_KINDS.map((k) => ({ kind: k, title: t(`mt.sectionKind.${k}`) })) } };
      draw();
      $('#tpl-edit-title')?.focus();
    } else if (b.dataset.editTemplate) {
      const x = templates.find((y) => y.id === b.dataset.editTemplate);
      editing = { id: x.id, version: x.version, draft: { name: x.name, invitationSubject: x.invitationSubject, invitationBody: x.invitationBody, agenda: x.agenda, minutesSections: x.minutesSections } };
      draw();
      $('#tpl-edit-title')?.focus();
    } else if (b.id === 'tpl-add-row') {
      editing.draft = { ...readForm(), name: $('#tpl-form').name.value };
      editing.draft.agenda = [...editing.draft.agenda, { standard: null, title: '', durationMinutes: 10, isPublic: true }];
      draw();
      document.getElementById(`sk-title-${editing.draft.agenda.length - 1}`)?.focus();
    } else if (b.id === 'tpl-cancel') {
      editing = null;
      draw();
      $('#tpl-new')?.focus();
    }
  });

  target.addEventListener('submit', async (e) => {
    if (e.target.id !== 'tpl-form') return;
    e.preventDefault();
    const body = readForm();
    const done = busyButton($('#tpl-save'), t('app.loading'));
    try {
      if (editing.id) await ctx.call(ctx.api.put(`/api/v1/meeting-templates/${enc(editing.id)}`, body, { headers: { 'If-Match': ifMatch(editing.version) } }));
      else await ctx.call(ctx.api.post('/api/v1/meeting-templates', body));
      editing = null;
      await load();
      announce(t('mt.templates.saved'));
      $('#tpl-list-title')?.focus();
    } catch (err) {
      done();
      if (err instanceof ApiError && err.fields.length) showErrors(e.target, err.fields, { name: 'tpl-name', invitationSubject: 'tpl-subject', invitationBody: 'tpl-body' }, 'tpl-errors');
      else render($('#tpl-errors'), errorNotice(err));
    }
  });

  draw();
  load();
  return { name: 'meetingTemplates', destroy() { destroyed = true; } };
}
