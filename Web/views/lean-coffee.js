// Lean Coffee boards. Routes: #/lean-coffee (the boards, start one), #/lean-coffee/<id>
// (phone-first participant view with the facilitator's controls for leads),
// #/lean-coffee/<id>/projector (for a big screen) and #/lean-coffee/<id>/join (guests:
// a display name, no account). Guests keep their board token in localStorage and send it
// as X-Guest-Token and with the WebSocket subscription. Every change is answered with the
// whole board as the requester sees it; others' changes arrive live on
// `leanCoffee:<id>` and are announced in the polite live region. The countdown runs
// locally to the stored end time; nothing ticks on the server.

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, tn } from '../lib/i18n.js';
import { renderMarkdown } from '../lib/markdown.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton, confirmAction } from '../lib/ui.js';
import * as lc from '../state/lean-coffee.js';
import { qrFigure, deleteCard, fillWorkspaceSelect } from './board-invite.js';
import { adoptSnapshot, eventIsSeen, cursorAfter } from '../lib/live.js';

function guestToken(boardId) {
  try {
    return localStorage.getItem(lc.guestKey(boardId));
  } catch {
    return null;
  }
}

function dotsText(count) {
  return count === 1 ? t('lc.dotOne') : t('lc.dots', { count: String(count) });
}

function phaseLabel(phase) {
  return t(`lc.phase.${phase}`);
}

function authorName(author) {
  if (!author) return t('lc.anonymous');
  return author.kind === 'guest' ? t('lc.guestName', { name: author.name }) : author.name;
}

// ------------------------------------------------------------------ list and start

export function mountLeanCoffeeList(target, route, keep, ctx) {
  const { app } = ctx;
  let destroyed = false;
  setTitle(t('lc.title'));
  const memberships = (app.session?.memberships ?? []).filter((m) => m.role !== 'observer');
  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('lc.title')}</h1>
    <p class="lead">${t('lc.intro')}</p>
    <section class="card" aria-labelledby="lc-new-title">
      <h2 id="lc-new-title">${t('lc.new.title')}</h2>
      <form id="lc-new" novalidate>
        <div id="lc-new-error"></div>
        <div class="field">
          <label for="lc-new-name">${t('lc.new.name')}</label>
          <input id="lc-new-name" name="title" required maxlength="120" autocomplete="off">
        </div>
        <div class="field">
          <label for="lc-new-workspace">${t('lc.new.workspace')}</label>
          <select id="lc-new-workspace" name="workspaceId">
            <option value="">${t('lc.new.standalone')}</option>
            ${memberships.map((m) => html`<option value="${m.workspaceId}">${ctx.workspaceName(m.workspaceId) ?? m.workspaceId}</option>`)}
          </select>
        </div>
        <div class="field checkbox">
          <input type="checkbox" id="lc-new-guests" name="guests">
          <label for="lc-new-guests">${t('lc.settings.guests')}</label>
        </div>
        <div class="field checkbox">
          <input type="checkbox" id="lc-new-hidden" name="hidden">
          <label for="lc-new-hidden">${t('lc.settings.hidden')}</label>
        </div>
        <div class="field">
          <label for="lc-new-dots">${t('lc.settings.dots')}</label>
          <input id="lc-new-dots" name="dots" type="number" min="1" max="20" value="3" inputmode="numeric">
        </div>
        <div class="actions"><button type="submit" class="button primary" id="lc-new-submit">${t('lc.new.submit')}</button></div>
      </form>
    </section>
    <section aria-labelledby="lc-list-title">
      <h2 id="lc-list-title">${t('lc.list.title')}</h2>
      <div id="lc-list"><p class="loading">${t('app.loading')}</p></div>
    </section>`);

  async function load() {
    const workspaces = await ctx.boardWorkspaces();
    if (destroyed) return;
    fillWorkspaceSelect($('#lc-new-workspace'), workspaces);
    const lists = [ctx.api.get('/api/v1/lean-coffee')];
    for (const w of workspaces) lists.push(ctx.api.get(`/api/v1/lean-coffee?workspace=${encodeURIComponent(w.id)}`));
    try {
      const answers = await Promise.all(lists.map((p) => ctx.call(p)));
      if (destroyed) return;
      const items = answers.flatMap((a) => a.data?.items ?? []);
      render($('#lc-list'), items.length ? html`<ul class="lc-boards" data-testid="lc-boards">${items.map((b) => html`
        <li><a href="#/lean-coffee/${b.id}">${b.title}</a> <span class="badge">${phaseLabel(b.phase)}</span>
          ${b.workspaceId ? html`<span class="lc-meta">${ctx.workspaceName(b.workspaceId) ?? ''}</span>` : html`<span class="lc-meta">${t('lc.new.standalone')}</span>`}</li>`)}</ul>`
        : html`<p>${t('lc.list.empty')}</p>`);
    } catch (err) {
      if (!destroyed) render($('#lc-list'), errorNotice(err));
    }
  }
  load();

  $('#lc-new').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const done = busyButton($('#lc-new-submit'), t('app.loading'));
    const settings = {
      dotsPerParticipant: Number(form.dots.value) || 3, votesHidden: form.hidden.checked, anonymousTopicsAllowed: true,
      timeboxMinutes: [8, 4, 2], guestsAllowed: form.guests.checked, topicsPerParticipant: 10,
    };
    try {
      const body = { title: form.title.value, settings };
      if (form.workspaceId.value) body.workspaceId = form.workspaceId.value;
      const { data } = await ctx.call(ctx.api.post('/api/v1/lean-coffee', body));
      ctx.navigate(`#/lean-coffee/${data.board.id}`);
    } catch (err) {
      render($('#lc-new-error'), errorNotice(err));
      $('#lc-new-name').focus();
    } finally {
      done();
    }
  });

  return { name: 'leanCoffeeList', destroy() { destroyed = true; } };
}

// ------------------------------------------------------------------ the board

export function mountLeanCoffeeBoard(target, route, keep, ctx) {
  const { app } = ctx;
  const id = route.id;
  const projector = route.name === 'leanCoffeeProjector';
  const guest = app.session ? null : guestToken(id);
  let state = null;
  // The topic's {epoch, seq} the state contains: answers older than it keep the live state.
  let seen = null;
  let confirmingDelete = false;
  let error = null;
  let destroyed = false;
  let timer = null;
  let wasExpired = false;
  const topic = `leanCoffee:${id}`;

  if (!app.session && !guest) {
    ctx.navigate(`#/lean-coffee/${id}/join`, { replace: true });
    return { name: 'leanCoffee' };
  }

  const headers = () => (guest ? { 'X-Guest-Token': guest } : {});
  const call = (promise) => (app.session ? ctx.call(promise) : promise);

  render(target, html`
    <div class="lc ${projector ? 'lc-projector' : ''}">
      <h1 id="page-title" tabindex="-1">${t('lc.title')}</h1>
      <div id="lc-error"></div>
      <div id="lc-body"><p class="loading">${t('app.loading')}</p></div>
    </div>`);

  async function load() {
    try {
      const { data } = await call(ctx.api.get(`/api/v1/lean-coffee/${encodeURIComponent(id)}`, { headers: headers() }));
      if (destroyed) return null;
      state = data;
      seen = data.cursor ?? null;
      error = null;
      draw();
      return data.cursor ? { epoch: data.cursor.epoch, seq: data.cursor.seq } : null;
    } catch (err) {
      if (destroyed) return null;
      error = err;
      if (err instanceof ApiError && guest && (err.code === 'guest.invalidToken' || err.status === 404)) {
        try { localStorage.removeItem(lc.guestKey(id)); } catch { /* ignore */ }
      }
      draw();
      return null;
    }
  }

  /** Sends a change; the answer is the whole board for me. */
  async function act(method, path, body, { button = null, key = false, success = null } = {}) {
    const extra = { ...headers() };
    if (key) extra['Idempotency-Key'] = lc.newKey();
    if (method === 'PATCH') extra['If-Match'] = ifMatch(state.board.version);
    const done = button ? busyButton(button, t('app.loading')) : () => {};
    try {
      const url = `/api/v1/lean-coffee/${encodeURIComponent(id)}${path}`;
      const opts = { headers: extra };
      const answer = await call(method === 'DELETE' ? ctx.api.del(url, opts) : ctx.api.request(method, url, { ...opts, body }));
      const snapshot = answer.data?.board && answer.data.topics ? answer.data : answer.data?.board?.board ? answer.data.board : null;
      if (snapshot) ({ state, seen } = adoptSnapshot(state, seen, snapshot));
      render($('#lc-error'), html``);
      draw();
      if (success) announce(success);
      return answer;
    } catch (err) {
      if (err instanceof ApiError && err.body?.current?.board) {
        ({ state, seen } = adoptSnapshot(state, seen, err.body.current));
        draw();
      }
      render($('#lc-error'), errorNotice(err));
      announce(errorText(err));
      return null;
    } finally {
      done();
    }
  }

  function draw() {
    const body = $('#lc-body');
    if (!body) return;
    if (!state) {
      renderKeepingFocus(body, error ? html`${errorNotice(error)}${guest ? html`<p><a href="#/lean-coffee/${id}/join">${t('lc.join.again')}</a></p>` : ''}` : html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    setTitle(state.board.title);
    const h1 = $('#page-title');
    if (h1) h1.textContent = state.board.title;
    renderKeepingFocus(body, projector ? projectorTemplate() : boardTemplate());
    tick();
  }


  function statusLine() {
    const b = state.board;
    return html`<p class="lc-status" data-testid="lc-phase"><span class="badge lc-phase-${b.phase}">${phaseLabel(b.phase)}</span>
      ${html`<span>${t(b.talliesVisible ? 'lc.totals' : 'lc.totalsHidden', { dots: dotsText(state.totalDots), voters: tn('lc.people', state.voters) })}</span>`}</p>`;
  }

  function currentTemplate() {
    const cur = lc.currentTopic(state);
    const b = state.board;
    if (b.phase !== 'discuss') return '';
    if (!cur) return html`<section class="card lc-current" aria-labelledby="lc-current-title"><h2 id="lc-current-title">${t('lc.current.none')}</h2></section>`;
    const tally = state.continueTally ?? { up: 0, sideways: 0, down: 0 };
    const takesPart = lc.mayTakePart(state) && !projector;
    const mine = state.me?.continueVote;
    return html`<section class="card lc-current" aria-labelledby="lc-current-title" data-testid="lc-current">
      <h2 id="lc-current-title">${t('lc.current.title')}: ${cur.title}</h2>
      ${cur.description ? html`<div class="markdown">${renderMarkdown(cur.description)}</div>` : ''}
      <p class="lc-timer"><span>${t('lc.timer.label')}</span> <span class="lc-countdown" id="lc-countdown" data-testid="lc-countdown">–</span></p>
      <div id="lc-continue" ${attrs({ hidden: true })}>
        <p>${t('lc.continue.question')}</p>
        ${takesPart && b.discussion?.canExtend ? html`<div class="actions lc-continue" role="group" aria-label="${t('lc.continue.question')}">
          ${['up', 'sideways', 'down'].map((v) => html`<button type="button" class="button ${mine === v ? 'primary' : 'secondary'}" id="lc-continue-${v}" data-continue="${v}" aria-pressed="${mine === v ? 'true' : 'false'}">${t(`lc.continue.${v}`)}</button>`)}
        </div>` : ''}
        <p data-testid="lc-continue-tally">${t('lc.continue.tally', { up: String(tally.up), sideways: String(tally.sideways), down: String(tally.down) })}</p>
      </div>
      ${state.me?.role === 'lead' && !projector ? html`<div class="actions lc-lead-discuss">
        <button type="button" class="button primary" data-conclude="" ${attrs({ hidden: true })} id="lc-conclude">${t('lc.lead.conclude')}</button>
        ${b.discussion?.canExtend ? html`<button type="button" class="button secondary" id="lc-extend" data-conclude="extend">${t('lc.lead.extend')}</button>` : ''}
        <button type="button" class="button secondary" id="lc-next" data-next="${cur.id}">${t('lc.lead.next')}</button>
      </div>` : ''}
    </section>`;
  }

  function leadTemplate() {
    const b = state.board;
    if (state.me?.role !== 'lead') return '';
    return html`<section class="card lc-lead" aria-labelledby="lc-lead-title" data-testid="lc-lead">
      <h2 id="lc-lead-title">${t('lc.lead.title')}</h2>
      <div class="actions" role="group" aria-label="${t('lc.lead.phases')}">
        ${lc.nextPhases(b.phase).map((p) => html`<button type="button" class="button ${p === 'closed' ? 'secondary' : 'primary'}" id="lc-phase-${p}" data-phase="${p}">${t(`lc.lead.to.${p}`)}</button>`)}
        ${b.phase === 'vote' && !b.talliesVisible ? html`<button type="button" class="button secondary" id="lc-reveal" data-reveal="1">${t('lc.lead.reveal')}</button>` : ''}
      </div>
      ${b.phase !== 'closed' ? html`<div class="field checkbox">
        <input type="checkbox" id="lc-guests" ${attrs({ checked: b.settings.guestsAllowed })}>
        <label for="lc-guests">${t('lc.settings.guests')}</label>
      </div>` : ''}
    </section>`;
  }

  function inviteTemplate() {
    if (!state.board.settings.guestsAllowed || state.board.phase === 'closed') return '';
    return html`<section class="card lc-invite" aria-labelledby="lc-invite-title">
      <h2 id="lc-invite-title">${t('lc.invite.title')}</h2>
      <p>${t('lc.invite.body')}</p>
      ${qrFigure('lean-coffee', id, { signedIn: Boolean(ctx.app.session) })}
    </section>`;
  }

  function addTopicTemplate() {
    if (state.board.phase !== 'collect' || !lc.mayTakePart(state)) return '';
    return html`<section class="card" aria-labelledby="lc-add-title">
      <h2 id="lc-add-title">${t('lc.add.title')}</h2>
      <form id="lc-add" novalidate>
        <div class="field">
          <label for="lc-add-title-input">${t('lc.add.name')}</label>
          <input id="lc-add-title-input" name="title" required maxlength="120" autocomplete="off">
        </div>
        <div class="field">
          <label for="lc-add-description">${t('lc.add.description')}</label>
          <textarea id="lc-add-description" name="description" rows="3" maxlength="2000"></textarea>
        </div>
        ${state.board.settings.anonymousTopicsAllowed ? html`<div class="field checkbox">
          <input type="checkbox" id="lc-add-anonymous" name="anonymous">
          <label for="lc-add-anonymous">${t('lc.add.anonymous')}</label>
        </div>` : ''}
        <div class="actions"><button type="submit" class="button primary" id="lc-add-submit">${t('lc.add.submit')}</button></div>
      </form>
    </section>`;
  }

  function topicTemplate(x) {
    const b = state.board;
    const mine = lc.myDots(state, x.id);
    const voting = b.phase === 'vote' && lc.mayTakePart(state);
    const takeaways = lc.takeawaysOf(state, x.id);
    const canTakeaway = b.phase === 'discuss' && lc.mayTakePart(state) && (x.status === 'discussing' || x.status === 'discussed');
    const canDraft = state.me?.participant?.kind === 'user' && state.me.role !== 'viewer' && b.workspaceId && !x.recommendationId;
    return html`<li class="card lc-topic lc-status-${x.status}" data-testid="lc-topic" data-topic="${x.id}" aria-labelledby="lc-t-${x.id}">
      <h3 id="lc-t-${x.id}">${x.title}</h3>
      <p class="lc-meta">${authorName(x.author)}${x.status === 'discussing' ? html` · <strong>${t('lc.status.discussing')}</strong>` : ''}${x.status === 'discussed' ? html` · ${t('lc.status.discussed')}` : ''}</p>
      ${x.description ? html`<div class="markdown">${renderMarkdown(x.description)}</div>` : ''}
      <p class="lc-dots" data-testid="lc-dots">${b.talliesVisible ? dotsText(x.dots ?? 0) : t('lc.dotsHidden')}${mine ? html` · ${t('lc.myDots', { count: String(mine) })}` : ''}</p>
      ${voting ? html`<div class="actions">
        <button type="button" class="button primary" id="lc-dot-${x.id}" data-dot="${x.id}" ${attrs({ 'aria-disabled': state.me.dotsLeft <= 0 ? 'true' : null })} aria-label="${t('lc.vote.placeOn', { title: x.title })}">${t('lc.vote.place')}</button>
        ${mine ? html`<button type="button" class="button secondary" id="lc-undot-${x.id}" data-undot="${x.id}" aria-label="${t('lc.vote.removeFrom', { title: x.title })}">${t('lc.vote.remove')}</button>` : ''}
      </div>` : ''}
      ${(b.phase === 'collect' || b.phase === 'vote') && lc.mayChangeTopic(state, x) ? html`<p><button type="button" class="button quiet" id="lc-withdraw-${x.id}" data-withdraw="${x.id}" aria-label="${t('lc.topic.withdrawNamed', { title: x.title })}">${t('lc.topic.withdraw')}</button></p>` : ''}
      ${takeaways.length ? html`<h4>${t('lc.takeaways')}</h4><ul class="lc-takeaways">${takeaways.map((k) => html`<li data-testid="lc-takeaway"><div class="markdown">${renderMarkdown(k.text)}</div><span class="lc-meta">${authorName(k.author)}</span></li>`)}</ul>` : ''}
      ${canTakeaway ? html`<form class="lc-takeaway-form" data-takeaway="${x.id}" novalidate>
        <div class="field"><label for="lc-tk-${x.id}">${t('lc.takeaway.add')}</label>
        <textarea id="lc-tk-${x.id}" name="text" rows="2" maxlength="1000"></textarea></div>
        <div class="actions"><button type="submit" class="button secondary">${t('lc.takeaway.submit')}</button></div>
      </form>` : ''}
      ${x.recommendationId ? html`<p><a href="#/recommendations/${x.recommendationId}">${t('lc.draft.open')}</a></p>`
        : canDraft ? html`<p><button type="button" class="button quiet" id="lc-draft-${x.id}" data-draft="${x.id}" aria-label="${t('lc.draft.startNamed', { title: x.title })}">${t('lc.draft.start')}</button></p>` : ''}
    </li>`;
  }

  function boardTemplate() {
    const topics = lc.orderedTopics(state);
    const me = state.me;
    return html`
      ${statusLine()}
      ${me?.participant?.kind === 'guest' ? html`<p class="lc-meta">${t('lc.youAreGuest', { name: me.participant.name })}</p>` : ''}
      ${me?.role === 'viewer' ? html`<p class="notice notice-info">${t('lc.viewerNote')}</p>` : ''}
      ${state.board.phase === 'vote' && lc.mayTakePart(state) ? html`<p class="lc-dots-left" data-testid="lc-dots-left">${tn('lc.dotsLeft', me.dotsLeft)}</p>` : ''}
      ${leadTemplate()}
      ${currentTemplate()}
      ${addTopicTemplate()}
      <section aria-labelledby="lc-topics-title">
        <h2 id="lc-topics-title">${t('lc.topics', { count: String(topics.length) })}</h2>
        ${topics.length ? html`<ul class="lc-topics" data-testid="lc-topics">${topics.map(topicTemplate)}</ul>` : html`<p>${t('lc.noTopics')}</p>`}
      </section>
      ${inviteTemplate()}
      <nav class="lc-links" aria-label="${t('lc.links')}"><ul>
        <li><a href="#/lean-coffee/${id}/projector">${t('lc.projector')}</a></li>
        <li><a href="/api/v1/lean-coffee/${id}/export?format=markdown" download>${t('lc.export.markdown')}</a></li>
        <li><a href="/api/v1/lean-coffee/${id}/export?format=csv" download>${t('lc.export.csv')}</a></li>
        <li><a href="/api/v1/lean-coffee/${id}/export?format=json" download>${t('lc.export.json')}</a></li>
      </ul></nav>
      ${me?.role === 'lead' ? deleteCard('lc', 'lean-coffee', confirmingDelete) : ''}`;
  }

  function projectorTemplate() {
    const topics = lc.orderedTopics(state);
    return html`
      ${statusLine()}
      ${currentTemplate()}
      <ol class="lc-projector-list" data-testid="lc-topics">${topics.map((x) => html`<li data-testid="lc-topic" data-topic="${x.id}" class="lc-status-${x.status}">
        <span class="lc-projector-title">${x.title}</span>
        <span class="lc-projector-dots" data-testid="lc-dots">${state.board.talliesVisible ? dotsText(x.dots ?? 0) : ''}</span></li>`)}</ol>
      ${state.board.settings.guestsAllowed && state.board.phase !== 'closed' ? html`<section class="lc-projector-join" aria-label="${t('lc.invite.title')}">${qrFigure('lean-coffee', id, { signedIn: Boolean(ctx.app.session), size: 260 })}</section>` : ''}
      <p><a href="#/lean-coffee/${id}">${t('lc.backToBoard')}</a></p>`;
  }

  /** The local countdown to the stored end time; at expiry it says so once and offers the continue vote. */
  function tick() {
    const el = $('#lc-countdown');
    const endsAt = state?.board?.discussion?.endsAt;
    if (!el || !endsAt) return;
    const c = lc.countdown(endsAt, Date.now());
    el.textContent = c.expired ? t('lc.timer.over') : c.label;
    el.setAttribute('data-expired', c.expired ? 'true' : 'false');
    const cont = $('#lc-continue');
    if (cont) cont.hidden = !c.expired;
    const conclude = $('#lc-conclude');
    if (conclude) conclude.hidden = !c.expired;
    if (c.expired && !wasExpired) announce(t('lc.timer.expired'));
    wasExpired = c.expired;
  }
  timer = setInterval(tick, 1000);

  target.addEventListener('click', async (e) => {
    const button = e.target.closest('button');
    if (!button || !state) return;
    if (button.id === 'lc-delete' || button.id === 'lc-delete-cancel') {
      confirmingDelete = button.id === 'lc-delete';
      draw();
      $(confirmingDelete ? '#lc-delete-confirm' : '#lc-delete')?.focus();
      return;
    }
    if (button.id === 'lc-delete-confirm') {
      const done = busyButton(button, t('app.loading'));
      try {
        await call(ctx.api.del(`/api/v1/lean-coffee/${encodeURIComponent(id)}`, { headers: headers() }));
        announce(t('board.delete.done'));
        ctx.navigate('#/lean-coffee');
      } catch (err) {
        done();
        render($('#lc-error'), errorNotice(err));
        announce(errorText(err));
      }
      return;
    }
    const d = button.dataset;
    if (d.phase) {
      if (d.phase === 'closed' && !(await confirmAction({ title: t('confirm.lcClose.title'), body: t('confirm.lcClose.body'), confirm: t('confirm.lcClose.yes'), opener: button }))) return;
      act('POST', '/phase', { phase: d.phase }, { button, success: t('lc.live.phase', { phase: phaseLabel(d.phase) }) });
    } else if (d.reveal) act('POST', '/reveal', {}, { button });
    else if (d.dot) {
      if (button.getAttribute('aria-disabled') === 'true') { announce(t('lc.vote.noneLeft')); return; }
      act('POST', `/topics/${d.dot}/dots`, undefined, { button, key: true, success: t('lc.vote.placed') });
    } else if (d.undot) act('DELETE', `/topics/${d.undot}/dots`, undefined, { button, key: true, success: t('lc.vote.removed') });
    else if (d.withdraw) {
      const topicTitle = state.topics.find((x) => x.id === d.withdraw)?.title ?? '';
      if (!(await confirmAction({ title: t('confirm.withdraw.title', { title: topicTitle }), body: t('confirm.withdraw.body'), confirm: t('confirm.withdraw.yes'), opener: button }))) return;
      act('POST', `/topics/${d.withdraw}/withdraw`, {}, { button });
    } else if (d.continue) {
      const disc = state.board.discussion;
      act('POST', '/continue', { topicId: disc.current, timebox: disc.timebox, vote: d.continue }, { button, success: t('lc.continue.sent') });
    } else if (d.conclude !== undefined) {
      const disc = state.board.discussion;
      const body = { topicId: disc.current, timebox: disc.timebox };
      if (d.conclude) body.override = d.conclude;
      act('POST', '/conclude', body, { button });
    } else if (d.next) act('POST', '/next', { topicId: d.next }, { button });
    else if (d.draft) {
      act('POST', `/topics/${d.draft}/draft`, {}, { button }).then((answer) => {
        if (answer?.data?.recommendationId) announce(t('lc.draft.started'));
      });
    }
  });

  target.addEventListener('change', (e) => {
    if (e.target.id !== 'lc-guests' || !state) return;
    const settings = { ...state.board.settings, guestsAllowed: e.target.checked };
    act('PATCH', '', { settings }).catch(() => {});
  });

  target.addEventListener('submit', async (e) => {
    const form = e.target;
    if (form.id === 'lc-add') {
      e.preventDefault();
      const title = form.title.value;
      const answer = await act('POST', '/topics', { title, description: form.description.value, anonymous: Boolean(form.anonymous?.checked) },
        { button: $('#lc-add-submit'), success: t('lc.add.done', { title }) });
      if (answer) {
        const input = $('#lc-add-title-input');
        if (input) { input.value = ''; input.focus(); }
        const desc = $('#lc-add-description');
        if (desc) desc.value = '';
      }
    } else if (form.dataset.takeaway) {
      e.preventDefault();
      const topicId = form.dataset.takeaway;
      const answer = await act('POST', `/topics/${topicId}/takeaways`, { text: form.text.value }, { success: t('lc.takeaway.done') });
      if (answer) {
        const area = $(`#lc-tk-${topicId}`);
        if (area) { area.value = ''; area.focus(); }
      }
    }
  });

  ctx.ensureLive();
  load().then((cursor) => {
    if (destroyed || !app.live) return;
    app.live.subscribe(topic, { cursor, reload: load, guest });
  });

  return {
    name: projector ? 'leanCoffeeProjector' : 'leanCoffee',
    onTopicEvent(event) {
      if (event.topic !== topic || !state || eventIsSeen(seen, event)) return;
      const before = state;
      seen = cursorAfter(seen, event);
      state = lc.applyEvent(state, event);
      if (state === before) return;
      draw();
      const text = describe(event, before);
      if (text) announce(text);
    },
    destroy() {
      destroyed = true;
      clearInterval(timer);
      if (app.live) app.live.unsubscribe(topic);
    },
  };

  function describe(event, before) {
    const d = event.data;
    switch (event.name) {
      case 'leanCoffee.topicAdded': return before.topics.some((x) => x.id === d.id) ? null : t('lc.live.topicAdded', { title: d.title });
      case 'leanCoffee.phaseChanged': return t('lc.live.phase', { phase: phaseLabel(d.board.phase) });
      case 'leanCoffee.tallyChanged': {
        const x = state.topics.find((y) => y.id === d.topicId);
        return x ? t('lc.live.tally', { title: x.title, count: String(d.dots) }) : null;
      }
      case 'leanCoffee.topicStarted': {
        const x = state.topics.find((y) => y.id === d.topicId);
        return x ? t('lc.live.started', { title: x.title }) : null;
      }
      case 'leanCoffee.timeboxExtended': return t('lc.live.extended');
      case 'leanCoffee.takeawayAdded': return t('lc.live.takeaway');
      case 'leanCoffee.boardClosed': return t('lc.live.closed');
      case 'leanCoffee.votesRevealed': return t('lc.live.revealed');
      default: return null;
    }
  }
}

