// Guests' way onto a board (Lean Coffee or Barcamp): the join link with its QR code for
// facilitators and projectors, and the join page where a guest gives a display name.
// #/lean-coffee/<id>/join and #/barcamps/<id>/join.

import { html, render } from '../lib/html.js';
import { t } from '../lib/i18n.js';
import { $, setTitle, errorNotice, busyButton } from '../lib/ui.js';
import * as lc from '../state/lean-coffee.js';
import * as bc from '../state/barcamp.js';

const KINDS = {
  'lean-coffee': { api: '/api/v1/lean-coffee', page: 'lean-coffee', title: 'lc.join.title', key: lc.guestKey },
  barcamps: { api: '/api/v1/barcamps', page: 'barcamps', title: 'bc.join.title', key: bc.guestKey },
};

/** The absolute join link of a board. */
export function joinLink(kind, id) {
  return `${location.origin}${location.pathname}#/${KINDS[kind].page}/${id}/join`;
}

/**
 * The link as text and, for signed-in people (the image is fetched with the session), its QR
 * code with SVG and PNG downloads. `size` is the shown width in CSS pixels.
 */
export function qrFigure(kind, id, { signedIn, size = 200 } = {}) {
  const link = joinLink(kind, id);
  const base = `${KINDS[kind].api}/${encodeURIComponent(id)}`;
  return html`<p class="lc-link"><a href="${link}" data-testid="board-join-link">${link}</a></p>
    ${signedIn ? html`<figure class="board-qr">
      <img src="${base}/qr.svg" width="${String(size)}" height="${String(size)}" alt="${t('board.qr.alt', { link })}" data-testid="board-qr">
      <figcaption>${t('board.qr.caption')}
        <a href="${base}/qr.svg" download>${t('board.qr.svg')}</a> · <a href="${base}/qr.png" download>${t('board.qr.png')}</a></figcaption>
    </figure>` : ''}`;
}

/** The join page: the board's title, whether guests may join, and the display-name form. */
export function mountBoardJoin(target, route, keep, ctx) {
  const kind = route.kind;
  const spec = KINDS[kind];
  const id = route.id;
  let destroyed = false;
  setTitle(t(spec.title));
  render(target, html`
    <h1 id="page-title" tabindex="-1">${t(spec.title)}</h1>
    <div id="lc-join"><p class="loading">${t('app.loading')}</p></div>`);

  async function load() {
    try {
      const { data } = await ctx.api.get(`${spec.api}/${encodeURIComponent(id)}/invitation`);
      if (destroyed) return;
      if (!data.guestsAllowed) {
        render($('#lc-join'), html`<div class="notice notice-info"><p>${t('lc.join.closed', { title: data.title })}</p></div>
          <p><a href="#/signin">${t('nav.signIn')}</a></p>`);
        return;
      }
      render($('#lc-join'), html`
        <p class="lead">${t('lc.join.intro', { title: data.title })}</p>
        <form id="lc-join-form" novalidate>
          <div id="lc-join-error"></div>
          <div class="field">
            <label for="lc-join-name">${t('lc.join.name')}</label>
            <p class="hint" id="lc-join-hint">${t(kind === 'barcamps' ? 'bc.join.hint' : 'lc.join.hint')}</p>
            <input id="lc-join-name" name="displayName" required maxlength="60" autocomplete="nickname" aria-describedby="lc-join-hint">
          </div>
          <div class="actions"><button type="submit" class="button primary" id="lc-join-submit">${t('lc.join.submit')}</button></div>
        </form>`);
      $('#lc-join-form').addEventListener('submit', async (e) => {
        e.preventDefault();
        const done = busyButton($('#lc-join-submit'), t('app.loading'));
        try {
          const answer = await ctx.api.post(`${spec.api}/${encodeURIComponent(id)}/guests`, { displayName: $('#lc-join-name').value });
          try { localStorage.setItem(spec.key(id), answer.data.token); } catch { /* private mode: the token lives for this page only */ }
          ctx.navigate(`#/${spec.page}/${id}`);
        } catch (err) {
          render($('#lc-join-error'), errorNotice(err));
          $('#lc-join-name').setAttribute('aria-invalid', 'true');
          $('#lc-join-name').focus();
        } finally {
          done();
        }
      });
    } catch (err) {
      if (!destroyed) render($('#lc-join'), errorNotice(err));
    }
  }
  load();
  return { name: route.name, destroy() { destroyed = true; } };
}

/**
 * The facilitator's "delete this board" card with a confirmation step: the first button only
 * asks, the second deletes. `prefix` names the ids (`<prefix>-delete`, `-delete-confirm`,
 * `-delete-cancel`); `kind` is 'lean-coffee' or 'barcamps' (the wording).
 */
export function deleteCard(prefix, kind, confirming) {
  const noun = kind === 'barcamps' ? 'bc' : 'lc';
  return html`<section class="card board-delete" aria-labelledby="${prefix}-delete-title" data-testid="board-delete">
    <h2 id="${prefix}-delete-title">${t(`board.delete.title.${noun}`)}</h2>
    <p>${t(`board.delete.body.${noun}`)}</p>
    ${confirming ? html`<p id="${prefix}-delete-question"><strong>${t('board.delete.question')}</strong></p>
      <div class="actions" role="group" aria-labelledby="${prefix}-delete-question">
        <button type="button" class="button danger" id="${prefix}-delete-confirm">${t(`board.delete.confirm.${noun}`)}</button>
        <button type="button" class="button secondary" id="${prefix}-delete-cancel">${t('board.delete.cancel')}</button>
      </div>`
    : html`<div class="actions"><button type="button" class="button danger-text secondary" id="${prefix}-delete">${t(`board.delete.start.${noun}`)}</button></div>`}
  </section>`;
}

/**
 * Fills a "start in which workspace" select with the workspaces one may start a board in
 * (`ctx.boardWorkspaces()`, sorted by name) after the first option ("standalone"), keeping the
 * current choice.
 */
export function fillWorkspaceSelect(select, workspaces) {
  if (!select) return;
  const chosen = select.value;
  const standalone = select.options[0]?.textContent ?? '';
  render(select, html`<option value="">${standalone}</option>${workspaces.filter((w) => w.mayStart).map((w) => html`<option value="${w.id}">${w.name}</option>`)}`);
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}
