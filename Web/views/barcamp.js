// Barcamps. Routes: #/barcamps (list, start one), #/barcamps/<id> (participant view: propose,
// mark interest, my schedule, notes; moderators also get the grid, by keyboard with a place
// picker per session and by drag and drop, the scheduler and publishing) and
// #/barcamps/<id>/projector (the schedule for a big screen). Live on `barcamp:<id>`.

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, formatDateTime, getLang } from '../lib/i18n.js';
import { renderMarkdown } from '../lib/markdown.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton } from '../lib/ui.js';
import * as bc from '../state/barcamp.js';
import { qrFigure, deleteCard, fillWorkspaceSelect } from './board-invite.js';
import { adoptSnapshot, eventIsSeen, cursorAfter } from '../lib/live.js';

function guestToken(id) {
  try { return localStorage.getItem(bc.guestKey(id)); } catch { return null; }
}

function time(iso) {
  return iso ? formatDateTime(iso) : '';
}

export function mountBarcampList(target, route, keep, ctx) {
  const { app } = ctx;
  let destroyed = false;
  setTitle(t('bc.title'));
  const memberships = (app.session?.memberships ?? []).filter((m) => m.role !== 'observer');
  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('bc.title')}</h1>
    <p class="lead">${t('bc.intro')}</p>
    <section class="card" aria-labelledby="bc-new-title">
      <h2 id="bc-new-title">${t('bc.new.title')}</h2>
      <form id="bc-new" novalidate>
        <div id="bc-new-error"></div>
        <div class="field"><label for="bc-new-name">${t('bc.new.name')}</label><input id="bc-new-name" name="title" required maxlength="120" autocomplete="off"></div>
        <div class="field"><label for="bc-new-workspace">${t('lc.new.workspace')}</label>
          <select id="bc-new-workspace" name="workspaceId"><option value="">${t('lc.new.standalone')}</option>
            ${memberships.map((m) => html`<option value="${m.workspaceId}">${ctx.workspaceName(m.workspaceId) ?? m.workspaceId}</option>`)}</select></div>
        <div class="field"><label for="bc-new-start">${t('bc.new.start')}</label><input id="bc-new-start" name="start" type="datetime-local" required></div>
        <div class="field"><label for="bc-new-rooms">${t('bc.new.rooms')}</label><input id="bc-new-rooms" name="rooms" type="number" min="1" max="30" value="4" inputmode="numeric"></div>
        <div class="field"><label for="bc-new-rounds">${t('bc.new.rounds')}</label><input id="bc-new-rounds" name="rounds" type="number" min="1" max="12" value="3" inputmode="numeric"></div>
        <div class="actions"><button type="submit" class="button primary" id="bc-new-submit">${t('bc.new.submit')}</button></div>
      </form>
    </section>
    <section aria-labelledby="bc-list-title"><h2 id="bc-list-title">${t('bc.list.title')}</h2><div id="bc-list"><p class="loading">${t('app.loading')}</p></div></section>`);

  (async () => {
    const workspaces = await ctx.boardWorkspaces();
    if (destroyed) return;
    fillWorkspaceSelect($('#bc-new-workspace'), workspaces);
    const lists = [ctx.api.get('/api/v1/barcamps')];
    for (const w of workspaces) lists.push(ctx.api.get(`/api/v1/barcamps?workspace=${encodeURIComponent(w.id)}`));
    try {
      const items = (await Promise.all(lists.map((p) => ctx.call(p)))).flatMap((a) => a.data?.items ?? []);
      if (destroyed) return;
      render($('#bc-list'), items.length ? html`<ul class="lc-boards" data-testid="bc-list">${items.map((b) => html`<li><a href="#/barcamps/${b.id}">${b.title}</a> <span class="badge">${t(`bc.status.${b.status}`)}</span></li>`)}</ul>`
        : html`<p>${t('bc.list.empty')}</p>`);
    } catch (err) {
      if (!destroyed) render($('#bc-list'), errorNotice(err));
    }
  })();

  $('#bc-new').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const done = busyButton($('#bc-new-submit'), t('app.loading'));
    try {
      const start = form.start.value ? new Date(form.start.value) : new Date();
      const { rooms, slots } = bc.layout({ rooms: Number(form.rooms.value) || 1, rounds: Number(form.rounds.value) || 1, start,
        roomName: (i) => t('bc.room', { n: String(i) }), roundName: (i) => t('bc.round', { n: String(i) }), pauseName: t('bc.pause') });
      const body = { title: form.title.value, rooms, slots };
      if (form.workspaceId.value) body.workspaceId = form.workspaceId.value;
      const { data } = await ctx.call(ctx.api.post('/api/v1/barcamps', body));
      ctx.navigate(`#/barcamps/${data.barcamp.id}`);
    } catch (err) {
      render($('#bc-new-error'), errorNotice(err));
      $('#bc-new-name').focus();
    } finally {
      done();
    }
  });
  return { name: 'barcampList', destroy() { destroyed = true; } };
}

export function mountBarcamp(target, route, keep, ctx) {
  const { app } = ctx;
  const id = route.id;
  const projector = route.name === 'barcampProjector';
  const guest = app.session ? null : guestToken(id);
  const topic = `barcamp:${id}`;
  let state = null;
  // The topic's {epoch, seq} the state contains: answers older than it keep the live state.
  let seen = null;
  let confirmingDelete = false;
  let error = null;
  let destroyed = false;
  let proposal = null;
  let dragged = null;

  const headers = () => (guest ? { 'X-Guest-Token': guest } : {});
  const call = (p) => (app.session ? ctx.call(p) : p);

  render(target, html`<div class="lc ${projector ? 'lc-projector' : ''}"><h1 id="page-title" tabindex="-1">${t('bc.title')}</h1>
    <div id="bc-error"></div><div id="bc-body"><p class="loading">${t('app.loading')}</p></div></div>`);

  async function load() {
    try {
      const { data } = await call(ctx.api.get(`/api/v1/barcamps/${encodeURIComponent(id)}`, { headers: headers() }));
      if (destroyed) return null;
      state = data;
      seen = data.cursor ?? null;
      error = null;
      draw();
      return data.cursor ? { epoch: data.cursor.epoch, seq: data.cursor.seq } : null;
    } catch (err) {
      error = err;
      draw();
      return null;
    }
  }

  async function act(method, path, body, { button = null, version = false, success = null } = {}) {
    const extra = { ...headers() };
    if (version) extra['If-Match'] = ifMatch(state.barcamp.version);
    // A toggle's label changes with the answer: mark it busy without swapping its text (the restore would put the old label back).
    const done = button ? busyButton(button, button.dataset.mark ? null : t('app.loading')) : () => {};
    try {
      const url = `/api/v1/barcamps/${encodeURIComponent(id)}${path}`;
      const answer = await call(method === 'DELETE' ? ctx.api.del(url, { headers: extra }) : ctx.api.request(method, url, { headers: extra, body }));
      if (answer.data?.barcamp && answer.data.sessions) ({ state, seen } = adoptSnapshot(state, seen, answer.data));
      render($('#bc-error'), html``);
      draw();
      if (success) announce(success);
      return answer;
    } catch (err) {
      if (err instanceof ApiError && err.body?.current?.barcamp) { ({ state, seen } = adoptSnapshot(state, seen, err.body.current)); draw(); }
      render($('#bc-error'), errorNotice(err));
      announce(errorText(err));
      return null;
    } finally {
      done();
    }
  }

  const lead = () => state?.me?.role === 'lead';
  /** The documentation in the reader's language (German is the default). */
  const docLang = (sep = '&') => (getLang() === 'en' ? `${sep}lang=en` : '');
  const takesPart = () => ['guest', 'participant', 'lead'].includes(state?.me?.role);
  const sessionTitle = (sid) => state.sessions.find((s) => s.id === sid)?.title ?? '';

  function cellLabel(roomId, slotId) {
    const room = state.barcamp.rooms.find((r) => r.id === roomId);
    const slot = state.barcamp.slots.find((s) => s.id === slotId);
    return `${slot?.title ?? ''} · ${room?.name ?? ''}`;
  }

  function gridTemplate(editable) {
    const b = state.barcamp;
    const caption = `bc-grid-caption-${editable ? 'edit' : 'view'}`;
    return html`<div class="bc-grid-wrap" role="region" tabindex="0" aria-labelledby="${caption}"><table class="bc-grid" data-testid="bc-grid">
      <caption id="${caption}">${t('bc.grid.caption')}</caption>
      <thead><tr><th scope="col">${t('bc.grid.slot')}</th>${b.rooms.map((r) => html`<th scope="col">${r.name} <span class="lc-meta">(${String(r.capacity)})</span></th>`)}</tr></thead>
      <tbody>${b.slots.map((slot) => html`<tr>
        <th scope="row">${slot.title}<br><span class="lc-meta">${time(slot.startsAt)}</span></th>
        ${slot.kind !== 'sessions' ? html`<td colspan="${String(b.rooms.length)}" class="bc-common">${slot.title}</td>`
          : b.rooms.map((room) => {
            const a = bc.occupant(b, room.id, slot.id);
            return html`<td class="bc-cell" data-room="${room.id}" data-slot="${slot.id}">
              ${a ? html`<span class="bc-session" ${attrs({ draggable: editable ? 'true' : null })} data-session="${a.sessionId}">${sessionTitle(a.sessionId)}${a.pinned ? html` <span class="lc-meta">(${t('bc.pinned')})</span>` : ''}</span>` : html`<span class="lc-meta">${t('bc.grid.free')}</span>`}
            </td>`;
          })}
      </tr>`)}</tbody></table></div>`;
  }

  function placeOptions(session) {
    const b = state.barcamp;
    const here = bc.placement(b, session.id);
    const options = [html`<option value="" ${attrs({ selected: !here })}>${t('bc.grid.notPlaced')}</option>`];
    for (const slot of bc.sessionSlots(b)) {
      for (const room of b.rooms) {
        const other = bc.occupant(b, room.id, slot.id);
        if (other && other.sessionId !== session.id && !here) continue;
        const value = `${room.id}|${slot.id}`;
        const label = cellLabel(room.id, slot.id) + (other && other.sessionId !== session.id ? ` (${t('bc.grid.swapWith', { title: sessionTitle(other.sessionId) })})` : '');
        options.push(html`<option value="${value}" ${attrs({ selected: here && here.roomId === room.id && here.slotId === slot.id })}>${label}</option>`);
      }
    }
    return options;
  }

  function sessionTemplate(s) {
    const marked = bc.isMarked(state, s.id);
    const notes = state.notes.find((n) => n.sessionId === s.id);
    const b = state.barcamp;
    const place = bc.placement(b, s.id);
    return html`<li class="card lc-topic" data-testid="bc-session" aria-labelledby="bc-s-${s.id}">
      <h3 id="bc-s-${s.id}">${s.title}</h3>
      <p class="lc-meta">${s.host?.name ?? ''}${s.coHosts?.length ? html`, ${s.coHosts.map((c) => c.name).join(', ')}` : ''} · ${t(`bc.format.${s.format}`)}</p>
      ${s.description ? html`<div class="markdown">${renderMarkdown(s.description)}</div>` : ''}
      <p class="lc-dots" data-testid="bc-interest">${t('bc.interest', { count: String(s.interest ?? 0) })}${place && b.status !== 'planning' ? html` · ${cellLabel(place.roomId, place.slotId)}` : ''}</p>
      ${takesPart() && b.status !== 'closed' ? html`<p><button type="button" class="button ${marked ? 'primary' : 'secondary'}" id="bc-mark-${s.id}" data-mark="${s.id}" aria-pressed="${marked ? 'true' : 'false'}">${marked ? t('bc.marked', { title: s.title }) : t('bc.mark', { title: s.title })}</button></p>` : ''}
      ${lead() && b.status !== 'closed' ? html`<div class="field"><label for="bc-place-${s.id}">${t('bc.grid.place', { title: s.title })}</label>
        <select id="bc-place-${s.id}" data-place="${s.id}">${placeOptions(s)}</select></div>` : ''}
      ${notes?.text ? html`<h4>${t('bc.notes')}</h4><div class="markdown">${renderMarkdown(notes.text)}</div>` : ''}
      ${takesPart() && b.status !== 'closed' ? html`<form class="bc-notes-form" data-notes="${s.id}" data-version="${String(notes?.version ?? 0)}" novalidate>
        <div class="field"><label for="bc-notes-${s.id}">${t('bc.notes.edit', { title: s.title })}</label>
        <textarea id="bc-notes-${s.id}" name="text" rows="3">${notes?.text ?? ''}</textarea></div>
        <div class="actions"><button type="submit" class="button secondary">${t('bc.notes.save')}</button></div></form>` : ''}
    </li>`;
  }

  /** The scheduler's proposal as a list (slot, room, session), so the moderator sees it before applying it. */
  function proposalPreview() {
    const b = state.barcamp;
    const rows = bc.proposalRows(b, proposal.assignments ?? []);
    if (!rows.length) return '';
    return html`<h3 id="bc-proposal-title">${t('bc.lead.previewTitle')}</h3>
      <ul class="bc-proposal-list" aria-labelledby="bc-proposal-title" data-testid="bc-proposal-list">${rows.map((r) => html`<li>
        <strong>${r.slot.title}</strong> (${time(r.slot.startsAt)}) · ${r.room.name}: ${sessionTitle(r.sessionId)}${r.pinned ? html` <span class="lc-meta">(${t('bc.pinned')})</span>` : ''}</li>`)}</ul>
      ${(proposal.unplaced ?? []).length ? html`<p>${t('bc.lead.unplaced', { titles: proposal.unplaced.map((u) => sessionTitle(u.sessionId)).join(', ') })}</p>` : ''}`;
  }

  function boardTemplate() {
    const b = state.barcamp;
    return html`
      <p class="lc-status" data-testid="bc-status"><span class="badge">${t(`bc.status.${b.status}`)}</span> ${t('bc.counts', { sessions: String(state.sessions.length) })}</p>
      ${takesPart() ? html`<p data-testid="bc-marks-left">${t('bc.marksLeft', { count: String(state.me.marksLeft) })}</p>` : ''}
      ${lead() && b.status !== 'closed' ? html`<section class="card" aria-labelledby="bc-lead-title" data-testid="bc-lead">
        <h2 id="bc-lead-title">${t('bc.lead.title')}</h2>
        <div class="actions">
          <button type="button" class="button secondary" id="bc-propose-schedule">${t('bc.lead.propose')}</button>
          ${proposal ? html`<button type="button" class="button primary" id="bc-apply-schedule">${t('bc.lead.apply')}</button>` : ''}
          ${b.status === 'planning' ? html`<button type="button" class="button primary" id="bc-publish">${t('bc.lead.publish')}</button>` : ''}
        </div>
        ${proposal ? html`<p data-testid="bc-proposal">${t('bc.lead.proposal', { placed: String(proposal.placedSessions), satisfied: String(proposal.satisfiedInterest), warnings: String(proposal.warnings.length) })}</p>
          ${proposalPreview()}` : ''}
        ${state.capacityWarnings.length ? html`<ul>${state.capacityWarnings.map((w) => html`<li>${t('bc.capacity', { title: sessionTitle(w.sessionId), interest: String(w.interest), capacity: String(w.capacity) })}</li>`)}</ul>` : ''}
        ${gridTemplate(true)}
        <p class="hint">${t('bc.grid.hint')}</p>
        <div class="field checkbox">
          <input type="checkbox" id="bc-guests" ${attrs({ checked: b.settings.guestsAllowed })}>
          <label for="bc-guests">${t('lc.settings.guests')}</label>
        </div>
      </section>` : (b.status !== 'planning' ? gridTemplate(false) : '')}
      ${takesPart() && b.settings.proposalsOpen && b.status !== 'closed' ? html`<section class="card" aria-labelledby="bc-add-title">
        <h2 id="bc-add-title">${t('bc.add.title')}</h2>
        <form id="bc-add" novalidate>
          <div class="field"><label for="bc-add-name">${t('bc.add.name')}</label><input id="bc-add-name" name="title" required maxlength="120" autocomplete="off"></div>
          <div class="field"><label for="bc-add-description">${t('lc.add.description')}</label><textarea id="bc-add-description" name="description" rows="3"></textarea></div>
          <div class="actions"><button type="submit" class="button primary" id="bc-add-submit">${t('bc.add.submit')}</button></div>
        </form></section>` : ''}
      <section aria-labelledby="bc-sessions-title"><h2 id="bc-sessions-title">${t('bc.sessions')}</h2>
        ${state.sessions.length ? html`<ul class="lc-topics">${state.sessions.map(sessionTemplate)}</ul>` : html`<p>${t('bc.noSessions')}</p>`}</section>
      <section aria-labelledby="bc-agenda-title"><h2 id="bc-agenda-title">${t('bc.agenda')}</h2><div id="bc-agenda"></div>
        <p><a href="/api/v1/barcamps/${id}/agenda.ics">${t('bc.agenda.ics')}</a></p></section>
      ${lead() && b.settings.guestsAllowed && b.status !== 'closed' ? html`<section class="card lc-invite" aria-labelledby="bc-invite-title" data-testid="bc-invite">
        <h2 id="bc-invite-title">${t('lc.invite.title')}</h2>
        <p>${t('lc.invite.body')}</p>
        ${qrFigure('barcamps', id, { signedIn: Boolean(app.session) })}
      </section>` : ''}
      <nav class="lc-links" aria-label="${t('lc.links')}"><ul>
        <li><a href="#/barcamps/${id}/projector">${t('lc.projector')}</a></li>
        <li><a href="/api/v1/barcamps/${id}/documentation?format=html${docLang()}">${t('bc.docs.html')}</a></li>
        <li><a href="/api/v1/barcamps/${id}/documentation?format=pdf${docLang()}">${t('bc.docs.pdf')}</a></li>
        <li><a href="/api/v1/barcamps/${id}/documentation${docLang('?')}" download>${t('bc.docs.markdown')}</a></li>
      </ul></nav>
      ${lead() ? deleteCard('bc', 'barcamps', confirmingDelete) : ''}`;
  }

  async function loadAgenda() {
    if (projector || !state) return;
    try {
      const { data } = await call(ctx.api.get(`/api/v1/barcamps/${encodeURIComponent(id)}/agenda`, { headers: headers() }));
      const el = $('#bc-agenda');
      if (!el || destroyed) return;
      const items = data.items ?? [];
      render(el, items.length ? html`<ul data-testid="bc-agenda-list">${items.map((x) => html`<li>${x.startsAt ? html`${time(x.startsAt)}: ` : ''}<strong>${x.title}</strong>${x.room ? html` · ${x.room}` : ''}${x.clashes?.length ? html` · ${t('bc.clash')}` : ''}</li>`)}</ul>` : html`<p>${t('bc.agenda.empty')}</p>`);
    } catch { /* the agenda is optional */ }
  }

  function draw() {
    const body = $('#bc-body');
    if (!body) return;
    if (!state) {
      renderKeepingFocus(body, error ? errorNotice(error) : html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    setTitle(state.barcamp.title);
    const h1 = $('#page-title');
    if (h1) h1.textContent = state.barcamp.title;
    const joinQR = state.barcamp.settings.guestsAllowed && state.barcamp.status !== 'closed'
      ? html`<section class="lc-projector-join" aria-label="${t('lc.invite.title')}">${qrFigure('barcamps', id, { signedIn: Boolean(app.session), size: 260 })}</section>` : '';
    renderKeepingFocus(body, projector ? html`<p class="lc-status" data-testid="bc-status"><span class="badge">${t(`bc.status.${state.barcamp.status}`)}</span></p>${gridTemplate(false)}${joinQR}<p><a href="#/barcamps/${id}">${t('bc.back')}</a></p>` : boardTemplate());
    loadAgenda();
  }

  target.addEventListener('click', async (e) => {
    const button = e.target.closest('button');
    if (!button || !state) return;
    if (button.id === 'bc-delete' || button.id === 'bc-delete-cancel') {
      confirmingDelete = button.id === 'bc-delete';
      draw();
      $(confirmingDelete ? '#bc-delete-confirm' : '#bc-delete')?.focus();
      return;
    }
    if (button.id === 'bc-delete-confirm') {
      const done = busyButton(button, t('app.loading'));
      try {
        await call(ctx.api.del(`/api/v1/barcamps/${encodeURIComponent(id)}`, { headers: headers() }));
        announce(t('board.delete.done'));
        ctx.navigate('#/barcamps');
      } catch (err) {
        done();
        render($('#bc-error'), errorNotice(err));
        announce(errorText(err));
      }
      return;
    }
    if (button.dataset.mark) {
      const marked = bc.isMarked(state, button.dataset.mark);
      act(marked ? 'DELETE' : 'PUT', `/sessions/${button.dataset.mark}/interest`, undefined, { button, success: marked ? t('bc.unmarkedNote') : t('bc.markedNote') });
    } else if (button.id === 'bc-propose-schedule') {
      const done = busyButton(button, t('app.loading'));
      try {
        const { data } = await call(ctx.api.post(`/api/v1/barcamps/${encodeURIComponent(id)}/schedule/proposal`, undefined, { headers: headers() }));
        proposal = data;
        draw();
        announce(t('bc.lead.proposal', { placed: String(data.placedSessions), satisfied: String(data.satisfiedInterest), warnings: String(data.warnings.length) }));
      } catch (err) {
        render($('#bc-error'), errorNotice(err));
      } finally {
        done();
      }
    } else if (button.id === 'bc-apply-schedule') {
      proposal = null;
      act('POST', '/schedule/apply', undefined, { button, version: true, success: t('bc.lead.applied') });
    } else if (button.id === 'bc-publish') {
      act('POST', '/publish', undefined, { button, version: true, success: t('bc.lead.published') });
    }
  });

  target.addEventListener('change', (e) => {
    if (e.target.id === 'bc-guests' && state) {
      const settings = { ...state.barcamp.settings, guestsAllowed: e.target.checked };
      act('PATCH', '', { settings }, { version: true }).catch(() => {});
      return;
    }
    const select = e.target.closest('select[data-place]');
    if (!select || !state) return;
    const [roomId, slotId] = select.value ? select.value.split('|') : [];
    const request = bc.gridRequest(state.barcamp, select.dataset.place, roomId ? { roomId, slotId } : null);
    if (request) act('POST', `/grid?action=${request.action}`, request.body, { version: true, success: t('bc.grid.moved') });
  });

  target.addEventListener('dragstart', (e) => {
    const el = e.target.closest('[data-session]');
    if (!el) return;
    dragged = el.dataset.session;
    e.dataTransfer?.setData('text/plain', dragged);
  });
  target.addEventListener('dragover', (e) => {
    if (dragged && e.target.closest('.bc-cell')) e.preventDefault();
  });
  target.addEventListener('drop', (e) => {
    const cell = e.target.closest('.bc-cell');
    if (!cell || !dragged || !state) return;
    e.preventDefault();
    const request = bc.gridRequest(state.barcamp, dragged, { roomId: cell.dataset.room, slotId: cell.dataset.slot });
    dragged = null;
    if (request) act('POST', `/grid?action=${request.action}`, request.body, { version: true, success: t('bc.grid.moved') });
  });

  target.addEventListener('submit', async (e) => {
    const form = e.target;
    if (form.id === 'bc-add') {
      e.preventDefault();
      const title = form.title.value;
      const answer = await act('POST', '/sessions', { title, description: form.description.value }, { button: $('#bc-add-submit'), success: t('lc.add.done', { title }) });
      if (answer) { const input = $('#bc-add-name'); if (input) { input.value = ''; input.focus(); } }
    } else if (form.dataset.notes) {
      e.preventDefault();
      act('PUT', `/sessions/${form.dataset.notes}/notes`, { text: form.text.value, baseVersion: Number(form.dataset.version) }, { success: t('bc.notes.saved') });
    }
  });

  ctx.ensureLive();
  load().then((cursor) => {
    if (destroyed || !app.live) return;
    app.live.subscribe(topic, { cursor, reload: load, guest });
  });

  return {
    name: projector ? 'barcampProjector' : 'barcamp',
    onTopicEvent(event) {
      if (event.topic !== topic || !state || eventIsSeen(seen, event)) return;
      const before = state;
      seen = cursorAfter(seen, event);
      state = bc.applyEvent(state, event);
      if (state === before) return;
      draw();
      if (event.name === 'barcamp.sessionProposed') announce(t('bc.live.proposed', { title: event.data.title }));
      if (event.name === 'barcamp.gridChanged') announce(t('bc.grid.moved'));
    },
    destroy() {
      destroyed = true;
      if (app.live) app.live.unsubscribe(topic);
    },
  };
}
