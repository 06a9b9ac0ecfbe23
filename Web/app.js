// Roundtable web client: routing, session, views. All markup goes through html``;
// all state changes go through the pure reducers in state/; live updates come from
// lib/live.js; shared DOM helpers live in lib/ui.js. Hash routes: #/signin (password,
// then the second factor when the account has one), #/ (directory), #/new,
// #/workspaces/<id> (with members and invitations, views/members.js), #/account and
// #/account/two-factor (views/account.js), #/admin, #/admin/organizations and
// #/admin/audit (views/admin.js, views/organizations.js), #/invitation/<token>
// (views/invitation.js), #/forgot and #/reset/<token> (views/password-reset.js),
// #/recommendations/<id> (views/recommendation-editor.js) with its history
// #/recommendations/<id>/history[/<n>] (views/recommendation-history.js), the public
// catalogue #/catalogue[?filters] and #/catalogue/<HE-…> (views/catalogue.js), and the
// steering group's rating #/steering[?year=] (views/steering.js). The invitation,
// password-reset and catalogue routes work without a session.

import { html, render, attrs } from './lib/html.js';
import { api, ApiError, ifMatch } from './lib/api.js';
import { LiveClient, socketUrl } from './lib/live.js';
import { t, getLang, setLang, applyDocumentLang, formatDate, compareText } from './lib/i18n.js';
import {
  $, announce, setTitle, errorText, errorContent, errorNotice, focusHeading, renderKeepingFocus,
  showFieldErrors, clearFieldErrors, errorSummaryTemplate, busyButton,
} from './lib/ui.js';
import * as dir from './state/workspaces.js';
import * as det from './state/detail.js';
import * as ident from './state/identity.js';
import { mountAccount } from './views/account.js';
import { mountAdmin } from './views/admin.js';
import { mountInvitation } from './views/invitation.js';
import { mountForgot, mountReset } from './views/password-reset.js';
import * as reset from './state/password-reset.js';
import { createMemberAdmin } from './views/members.js';
import { describeEvent } from './state/announce.js';
import { createRecommendationList } from './views/recommendation-list.js';
import { mountRecommendationEditor } from './views/recommendation-editor.js';
import { mountPanelList, mountPanel } from './views/panels.js';
import { mountRecommendationHistory } from './views/recommendation-history.js';
import { mountCatalogue, mountCatalogueEntry } from './views/catalogue.js';
import { mountSteering } from './views/steering.js';
import { mountLeanCoffeeList, mountLeanCoffeeBoard } from './views/lean-coffee.js';
import { mountBoardJoin } from './views/board-invite.js';
import { mountBarcampList, mountBarcamp } from './views/barcamp.js';
import { mountMeetingList, mountMeeting, mountActionList, mountRsvp, mountMeetingTemplates } from './views/meetings.js';
import { mountMeetingSeries, mountSeriesRsvp } from './views/meeting-series.js';

const app = {
  session: null, // { user, memberships, session, totpEnabled } from /api/v1/me
  directory: dir.initialDirectory(),
  directoryError: null,
  directoryLoading: null,
  filters: { ...dir.DEFAULT_FILTERS },
  live: null,
  connection: 'idle',
  hadConnection: false,
  flash: null, // { kind: 'info'|'error', text } shown once on the next view
  view: null, // { name, update(reason), destroy(), keep() }
  route: null,
  afterSignIn: null,
  signinStep: null, // 'secondFactor' when a half-finished sign-in waits for its code
  signinEmail: null, // prefills the sign-in form (invitations for existing accounts)
  forgotEmail: null, // prefills #/forgot with what was typed on the sign-in page
  firstRender: true,
  recentlyAdded: new Map(), // workspace id → time, for a short highlight
};

const debug = (() => {
  try {
    return Boolean(globalThis.localStorage && localStorage.getItem('debug'));
  } catch {
    return false;
  }
})();

// ---------------------------------------------------------------- helpers

function isAdmin() {
  return Boolean(app.session && app.session.user && app.session.user.isAdmin);
}

function roleIn(workspaceId) {
  const m = (app.session?.memberships ?? []).find((x) => x.workspaceId === workspaceId);
  return m ? m.role : null;
}

function canEdit(workspaceId) {
  return isAdmin() || roleIn(workspaceId) === 'coordinator';
}

function isSteering() {
  return Boolean(app.session && app.session.user && app.session.user.isSteering);
}

function kindLabel(kind) {
  return dir.KINDS.includes(kind) ? t(`kind.${kind}`) : String(kind ?? '');
}

function policyFieldLabel(id) {
  const pf = app.directory.policyFields[id];
  return pf ? dir.policyFieldName(pf, getLang()) : null;
}

function compare(a, b) {
  return compareText(a, b, getLang());
}

// ---------------------------------------------------------------- chrome

function connectionText(status) {
  return t(`conn.${status}`) ?? status;
}

function renderHeader() {
  const signedIn = Boolean(app.session);
  const route = app.route?.name;
  const user = app.session?.user;
  const inCatalogue = route === 'catalogue' || route === 'catalogueEntry';
  renderKeepingFocus($('#site-header'), html`
    <div class="container bar">
      <a class="brand" href="#/"><span class="brand-name">${t('app.name')}</span><span class="brand-tagline">${t('app.tagline')}</span></a>
      <button type="button" id="lang-toggle" class="button quiet lang-toggle" lang="${t('lang.switchCode')}">${t('lang.switch')}</button>
    </div>
    ${signedIn ? html`
      <nav class="container nav" aria-label="${t('app.nav')}">
        <ul class="nav-list">
          <li><a href="#/" ${attrs({ 'aria-current': route === 'directory' ? 'page' : null })}>${t('nav.directory')}</a></li>
          <li><a href="#/catalogue" data-testid="nav-catalogue" ${attrs({ 'aria-current': inCatalogue ? 'page' : null })}>${t('nav.catalogue')}</a></li>
          ${isSteering() || isAdmin() ? html`<li><a href="#/steering" data-testid="nav-steering" ${attrs({ 'aria-current': route === 'steering' ? 'page' : null })}>${t('nav.steering')}</a></li>` : ''}
          <li><a href="#/lean-coffee" data-testid="nav-lean-coffee" ${attrs({ 'aria-current': route && route.startsWith('leanCoffee') ? 'page' : null })}>${t('nav.leanCoffee')}</a></li>
          <li><a href="#/barcamps" data-testid="nav-barcamps" ${attrs({ 'aria-current': route && route.startsWith('barcamp') ? 'page' : null })}>${t('nav.barcamps')}</a></li>
          <li><a href="#/account" data-testid="nav-account" ${attrs({ 'aria-current': route === 'account' ? 'page' : null })}>${t('nav.account')}</a></li>
          ${isAdmin() ? html`<li><a href="#/admin" data-testid="nav-admin" ${attrs({ 'aria-current': route === 'admin' ? 'page' : null })}>${t('nav.admin')}</a></li>` : ''}
        </ul>
      </nav>` : html`
      <nav class="container nav" aria-label="${t('app.nav')}">
        <ul class="nav-list">
          <li><a href="#/catalogue" data-testid="nav-catalogue" ${attrs({ 'aria-current': inCatalogue ? 'page' : null })}>${t('nav.catalogue')}</a></li>
          <li><a href="#/signin" data-testid="nav-signin" ${attrs({ 'aria-current': route === 'signin' ? 'page' : null })}>${t('nav.signIn')}</a></li>
        </ul>
      </nav>`}
    <div class="container status-line" ${attrs({ hidden: !signedIn })}>
      <p class="connection" data-testid="connection-status" data-state="${app.connection}">
        <span class="conn-dot" aria-hidden="true"></span><span class="visually-hidden">${t('conn.label')}: </span><span class="conn-text">${connectionText(app.connection)}</span>
      </p>
      ${signedIn ? html`<p class="user-name">${t('nav.signedInAs', { name: user.displayName || user.email })}</p>
        <button type="button" id="sign-out" class="button quiet">${t('nav.signOut')}</button>` : ''}
    </div>`);
  render($('#site-footer'), html`<div class="container"><p>${t('app.footer')}</p></div>`);
  const skip = $('#skip-link');
  if (skip) skip.textContent = t('app.skip');
}

function updateConnection(status) {
  const previous = app.connection;
  app.connection = status;
  const el = $('[data-testid="connection-status"]');
  if (el) {
    el.setAttribute('data-state', status);
    const text = el.querySelector('.conn-text');
    if (text) text.textContent = connectionText(status);
  }
  if (status === 'open') {
    if (app.hadConnection && previous === 'reconnecting') announce(t('conn.restored'));
    app.hadConnection = true;
  } else if (status === 'reconnecting' && previous === 'open') {
    announce(t('conn.lost'));
  }
}

// ---------------------------------------------------------------- session and live

function startLive() {
  if (app.live) return;
  const live = new LiveClient({ url: socketUrl(location), onlineTarget: window });
  app.live = live;
  if (debug) {
    window.__roundtable = { live, app };
  }
  live.addEventListener('status', (e) => {
    updateConnection(e.detail.status);
    if (e.detail.status === 'reconnecting' && e.detail.attempt >= 3) checkSession();
  });
  live.addEventListener('event', (e) => onLiveEvent(e.detail));
  live.addEventListener('presence', (e) => {
    const view = app.view;
    if (view && view.onPresence) view.onPresence(e.detail);
  });
  live.addEventListener('revoked', (e) => {
    // Access to a workspace ended while its page was open: say so and show the page as
    // someone outside the workspace sees it.
    const topic = e.detail.topic || '';
    if (app.view && app.view.onRevoked && app.view.onRevoked(topic)) return;
    if (topic.startsWith('workspace:') && location.hash.includes(topic.slice('workspace:'.length))) {
      announce(t('live.revoked'));
      showRoute();
    }
  });
  live.addEventListener('liveerror', (e) => {
    if (debug) console.warn('live error', e.detail);
    // A refused directory subscription usually means the session ended on the server.
    if (e.detail.code === 'subscription.forbidden' && e.detail.topic === 'directory') checkSession();
  });
  live.addEventListener('hello', (e) => {
    if (e.detail.user === null && app.session) checkSession();
  });
  live.start();
}

function stopLive() {
  if (!app.live) return;
  app.live.stop();
  app.live = null;
  if (debug && window.__roundtable) window.__roundtable.live = null;
  app.connection = 'idle';
  app.hadConnection = false;
}

let checkingSession = false;
async function checkSession() {
  if (checkingSession || !app.session) return;
  checkingSession = true;
  try {
    const { data } = await api.get('/api/v1/me');
    app.session = sessionFromMe(data);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) sessionExpired(err);
  } finally {
    checkingSession = false;
  }
}

function sessionExpired(err) {
  if (!app.session) return;
  // A session that waits for its second factor again (e.g. ended elsewhere) goes back to the code step.
  if (err && err.code === 'auth.secondFactorRequired') app.signinStep = 'secondFactor';
  signOutLocally({ kind: 'error', text: t('signin.expired') });
}

/** Forgets the session here; `next` is a route to show instead of the sign-in page (public routes only). */
function signOutLocally(flash, { next = null } = {}) {
  stopLive();
  app.session = null;
  app.directory = dir.initialDirectory();
  app.directoryLoading = null;
  app.flash = flash ?? null;
  if (flash) announce(flash.text);
  app.afterSignIn = null;
  navigate(next ?? '#/signin', { replace: true });
}

/**
 * Any API call: a 401 while signed in means the session is gone (but not a wrong
 * password or code typed into a form).
 */
async function call(promise) {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ApiError && ident.isSessionGone(err) && app.session) sessionExpired(err);
    throw err;
  }
}

async function loadDirectorySnapshot() {
  const [workspaces, policyFields] = await Promise.all([
    call(api.get('/api/v1/workspaces')),
    call(api.get('/api/v1/policy-fields')),
  ]);
  app.directory = dir.applySnapshot(app.directory, { workspaces: workspaces.data, policyFields: policyFields.data });
  app.directoryError = null;
  if (app.view && app.view.update) app.view.update('directory');
  return app.directory.cursor;
}

function loadDirectory() {
  if (app.directoryLoading) return app.directoryLoading;
  app.directoryLoading = loadDirectorySnapshot()
    .then((cursor) => {
      if (app.live) app.live.subscribe('directory', { cursor, reload: loadDirectorySnapshot });
      return cursor;
    })
    .catch((err) => {
      app.directoryError = err;
      app.directoryLoading = null;
      if (app.view && app.view.update) app.view.update('directory');
    });
  return app.directoryLoading;
}

function onLiveEvent(event) {
  if (event.topic === 'directory') {
    const before = app.directory;
    app.directory = dir.applyEvent(before, event);
    if (app.directory.workspaces !== before.workspaces || app.directory.policyFields !== before.policyFields) {
      const id = event.data && event.data.id;
      if (event.name === 'workspace.created' && id && !before.workspaces[id]) app.recentlyAdded.set(id, Date.now());
      announce(describeEvent(event, before, t, getLang()));
      if (app.view && app.view.update) app.view.update('directory', event);
    }
    return;
  }
  if (app.view && app.view.onTopicEvent) app.view.onTopicEvent(event);
}

// ---------------------------------------------------------------- routing

function parseRoute(hash) {
  const path = (hash || '').replace(/^#/, '').split('?')[0] || '/';
  if (path === '/' || path === '') return { name: 'directory' };
  if (path === '/signin') return { name: 'signin' };
  if (path === '/new') return { name: 'new' };
  if (path === '/account') return { name: 'account', section: null };
  if (path === '/account/two-factor') return { name: 'account', section: 'two-factor' };
  if (path === '/admin') return { name: 'admin', section: 'users' };
  if (path === '/admin/organizations') return { name: 'admin', section: 'organizations' };
  if (path === '/admin/audit') return { name: 'admin', section: 'audit' };
  if (path === '/admin/meeting-templates') return { name: 'meetingTemplates' };
  if (path === '/forgot') return { name: 'forgot' };
  if (path === '/catalogue') return { name: 'catalogue' };
  if (path === '/steering') return { name: 'steering' };
  if (path === '/lean-coffee') return { name: 'leanCoffeeList' };
  if (path === '/barcamps') return { name: 'barcampList' };
  const meeting = /^\/meetings\/([A-Za-z0-9-]{1,64})(?:\/(live|minutes))?$/.exec(path);
  if (meeting) return { name: 'meeting', id: meeting[1], tab: meeting[2] ?? 'overview' };
  const series = /^\/meeting-series\/([A-Za-z0-9-]{1,64})$/.exec(path);
  if (series) return { name: 'meetingSeries', id: series[1] };
  const seriesRsvp = /^\/series-rsvp\/([A-Za-z0-9._~-]{1,512})(?:\/(accepted|tentative|declined))?$/.exec(path);
  if (seriesRsvp) return { name: 'seriesRsvp', token: seriesRsvp[1], answer: seriesRsvp[2] ?? null };
  const wsMeetings = /^\/workspaces\/([A-Za-z0-9-]{1,64})\/(meetings|actions)$/.exec(path);
  if (wsMeetings) return { name: wsMeetings[2] === 'meetings' ? 'meetingList' : 'actionList', id: wsMeetings[1] };
  const rsvp = /^\/rsvp\/([A-Za-z0-9._~-]{1,512})$/.exec(path);
  if (rsvp) return { name: 'rsvp', token: rsvp[1] };
  const camp = /^\/barcamps\/([A-Za-z0-9-]{1,64})(?:\/(projector|join))?$/.exec(path);
  if (camp) {
    const names = { projector: 'barcampProjector', join: 'barcampJoin' };
    return { name: names[camp[2]] ?? 'barcamp', id: camp[1], kind: 'barcamps' };
  }
  const board = /^\/lean-coffee\/([A-Za-z0-9-]{1,64})(?:\/(projector|join))?$/.exec(path);
  if (board) {
    const names = { projector: 'leanCoffeeProjector', join: 'leanCoffeeJoin' };
    return { name: names[board[2]] ?? 'leanCoffee', id: board[1], kind: 'lean-coffee' };
  }
  const entry = /^\/catalogue\/(HE-\d{4}-\d{3,})$/.exec(path);
  if (entry) return { name: 'catalogueEntry', reference: entry[1] };
  const panels = /^\/recommendations\/([A-Za-z0-9-]{1,64})\/panels$/.exec(path);
  if (panels) return { name: 'panelList', id: panels[1] };
  const panel = /^\/panels\/([A-Za-z0-9-]{1,64})$/.exec(path);
  if (panel) return { name: 'panel', id: panel[1] };
  const recommendation = /^\/recommendations\/([A-Za-z0-9-]{1,64})(?:\/history(?:\/(\d{1,6}))?)?$/.exec(path);
  if (recommendation) {
    if (path.includes('/history')) return { name: 'recommendationHistory', id: recommendation[1], revision: recommendation[2] ? Number(recommendation[2]) : null };
    return { name: 'recommendation', id: recommendation[1] };
  }
  // A malformed token still shows the reset page (as an invalid link).
  if (reset.isResetPath(path)) return { name: 'reset', token: reset.resetToken(path) };
  const token = ident.invitationToken(path);
  if (token) return { name: 'invitation', token };
  const m = /^\/workspaces\/([A-Za-z0-9-]{1,64})$/.exec(path);
  if (m) return { name: 'detail', id: m[1] };
  return { name: 'notfound' };
}

/** Routes that work without a session. */
const PUBLIC_ROUTES = new Set(['signin', 'invitation', 'forgot', 'reset', 'catalogue', 'catalogueEntry',
  // Lean Coffee boards: guests take part with a board token instead of a session.
  'leanCoffee', 'leanCoffeeProjector', 'leanCoffeeJoin', 'barcamp', 'barcampProjector', 'barcampJoin',
  // Answering a meeting invitation from the e-mail link (a signed token, no account).
  'rsvp', 'seriesRsvp']);

function navigate(hash, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', hash);
    showRoute();
  } else if (location.hash === hash) {
    showRoute();
  } else {
    location.hash = hash;
  }
}

function showRoute({ keep = null } = {}) {
  const hash = location.hash;
  if (hash && !hash.startsWith('#/')) return; // in-page anchors, not routes
  let route = parseRoute(hash);
  if (!app.session && !PUBLIC_ROUTES.has(route.name)) {
    app.afterSignIn = hash && hash !== '#/signin' ? hash : null;
    history.replaceState(null, '', '#/signin');
    route = { name: 'signin' };
  } else if (app.session && route.name === 'signin') {
    history.replaceState(null, '', '#/');
    route = { name: 'directory' };
  }
  if (app.view && app.view.destroy) app.view.destroy();
  app.view = null;
  app.route = route;
  renderHeader();
  // Every view gets a fresh container: views attach their event listeners to it, and a reused
  // element would keep the listeners of every earlier view (one click then ran each of them:
  // a meeting's tabs, visited in turn, sent one click's request several times).
  const previous = $('#view');
  const target = previous.cloneNode(false);
  previous.replaceWith(target);
  const mounts = {
    signin: mountSignIn,
    directory: mountDirectory,
    new: mountCreate,
    detail: mountDetail,
    account: (el, r, k) => mountAccount(el, r, k, viewContext),
    admin: (el, r, k) => mountAdmin(el, r, k, viewContext),
    invitation: (el, r, k) => mountInvitation(el, r, k, viewContext),
    forgot: (el, r, k) => mountForgot(el, r, k, viewContext),
    reset: (el, r, k) => mountReset(el, r, k, viewContext),
    catalogue: (el, r, k) => mountCatalogue(el, r, k, viewContext),
    catalogueEntry: (el, r, k) => mountCatalogueEntry(el, r, k, viewContext),
    steering: (el, r, k) => mountSteering(el, r, k, viewContext),
    leanCoffeeList: (el, r, k) => mountLeanCoffeeList(el, r, k, viewContext),
    leanCoffee: (el, r, k) => mountLeanCoffeeBoard(el, r, k, viewContext),
    leanCoffeeProjector: (el, r, k) => mountLeanCoffeeBoard(el, r, k, viewContext),
    leanCoffeeJoin: (el, r, k) => mountBoardJoin(el, r, k, viewContext),
    barcampJoin: (el, r, k) => mountBoardJoin(el, r, k, viewContext),
    barcampList: (el, r, k) => mountBarcampList(el, r, k, viewContext),
    barcamp: (el, r, k) => mountBarcamp(el, r, k, viewContext),
    barcampProjector: (el, r, k) => mountBarcamp(el, r, k, viewContext),
    recommendation: (el, r, k) => mountRecommendationEditor(el, r, k, viewContext),
    recommendationHistory: (el, r, k) => mountRecommendationHistory(el, r, k, viewContext),
    panelList: (el, r, k) => mountPanelList(el, r, k, viewContext),
    panel: (el, r, k) => mountPanel(el, r, k, viewContext),
    meetingList: (el, r, k) => mountMeetingList(el, r, k, viewContext),
    meeting: (el, r, k) => mountMeeting(el, r, k, viewContext),
    actionList: (el, r, k) => mountActionList(el, r, k, viewContext),
    rsvp: (el, r, k) => mountRsvp(el, r, k, viewContext),
    meetingTemplates: (el, r, k) => mountMeetingTemplates(el, r, k, viewContext),
    meetingSeries: (el, r, k) => mountMeetingSeries(el, r, k, viewContext),
    seriesRsvp: (el, r, k) => mountSeriesRsvp(el, r, k, viewContext),
    notfound: mountNotFound,
  };
  app.view = mounts[route.name](target, route, keep);
  if (app.firstRender) {
    app.firstRender = false;
  } else if (!(app.view && app.view.handlesFocus)) {
    focusHeading();
  }
}

/** What the views in views/ may use of the app. */
const viewContext = {
  app,
  api,
  call,
  navigate,
  isAdmin,
  isSteering,
  roleIn,
  canEdit,
  policyFieldName: policyFieldLabel,
  /** Starts the live connection for pages that work without a session (anonymous). */
  ensureLive() {
    if (!app.live) startLive();
  },
  kindLabel,
  compare,
  flashTemplate,
  refreshSession,
  completeSignIn,
  signOut,
  renderHeader,
  startLive,
  loadDirectory,
  workspaceName(workspaceId) {
    return app.directory.workspaces[workspaceId]?.name ?? null;
  },
  /**
   * The workspaces whose boards (Lean Coffee, barcamps) a person sees and may start them in:
   * their memberships, and for administrators every workspace of the directory (they have no
   * memberships, so their lists were empty). Sorted by name. Waits for the directory once.
   */
  async boardWorkspaces() {
    try { await loadDirectory(); } catch { /* the memberships alone then */ }
    const memberships = app.session?.memberships ?? [];
    const ids = new Set(memberships.map((m) => m.workspaceId));
    if (isAdmin()) for (const id of Object.keys(app.directory.workspaces ?? {})) ids.add(id);
    const rows = [...ids].map((id) => {
      const ws = app.directory.workspaces?.[id];
      const role = memberships.find((m) => m.workspaceId === id)?.role ?? null;
      return { id, name: ws?.name ?? id, mayStart: !ws?.archived && (isAdmin() || (role !== null && role !== 'observer')) };
    });
    return rows.sort((a, b) => a.name.localeCompare(b.name, 'de'));
  },
};

function flashTemplate() {
  const flash = app.flash;
  app.flash = null;
  if (!flash) return '';
  return html`<div class="notice ${flash.kind === 'error' ? 'notice-error' : 'notice-info'}"><p>${flash.text}</p></div>`;
}

// ---------------------------------------------------------------- sign-in view

function mountSignIn(target, route, keep) {
  setTitle(t('signin.title'));
  let email = keep?.email ?? app.signinEmail ?? '';
  let step = keep?.step ?? app.signinStep ?? 'password';
  let useRecovery = Boolean(keep?.useRecovery);
  app.signinStep = null;
  app.signinEmail = null;
  let busy = false;
  const flash = flashTemplate();

  function passwordForm() {
    return html`
      <form id="signin-form" class="form" novalidate>
        <div class="field">
          <label for="signin-email">${t('signin.email')}</label>
          <input id="signin-email" name="email" type="email" autocomplete="username" inputmode="email" spellcheck="false" required value="${email}">
        </div>
        <div class="field">
          <label for="signin-password">${t('signin.password')}</label>
          <input id="signin-password" name="password" type="password" autocomplete="current-password" required>
        </div>
        <div class="actions">
          <button type="submit" class="button primary" id="signin-submit">${t('signin.submit')}</button>
        </div>
      </form>
      <p class="alt-actions"><a href="#/forgot" id="forgot-link" data-testid="forgot-link">${t('signin.forgot')}</a></p>
      <p class="alt-actions catalogue-hint">${t('signin.catalogueHint')} <a href="#/catalogue" data-testid="signin-catalogue-link">${t('signin.catalogueLink')}</a></p>`;
  }

  function secondFactorForm() {
    const field = useRecovery
      ? html`
        <div class="field">
          <label for="signin-recovery">${t('signin.2fa.recovery')}</label>
          <p class="hint" id="signin-recovery-hint">${t('signin.2fa.recovery.hint')}</p>
          <input id="signin-recovery" name="recoveryCode" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required aria-describedby="signin-recovery-hint">
        </div>`
      : html`
        <div class="field">
          <label for="signin-code">${t('signin.2fa.code')}</label>
          <p class="hint" id="signin-code-hint">${t('signin.2fa.code.hint')}</p>
          <input id="signin-code" class="code-input" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" spellcheck="false" required aria-describedby="signin-code-hint">
        </div>`;
    return html`
      <form id="second-factor-form" class="form" novalidate data-testid="second-factor-step" aria-labelledby="second-factor-title">
        <h2 id="second-factor-title">${t('signin.2fa.title')}</h2>
        <p>${useRecovery ? t('signin.2fa.introRecovery') : t('signin.2fa.intro')}</p>
        ${field}
        <div class="actions">
          <button type="submit" class="button primary" id="second-factor-submit">${t('signin.2fa.submit')}</button>
        </div>
        <ul class="plain alt-actions">
          <li><button type="button" class="link-button" id="second-factor-toggle">${useRecovery ? t('signin.2fa.useApp') : t('signin.2fa.useRecovery')}</button></li>
          <li><button type="button" class="link-button" id="second-factor-cancel">${t('signin.2fa.cancel')}</button></li>
        </ul>
      </form>`;
  }

  function draw() {
    render(target, html`
      <section class="card narrow" aria-labelledby="page-title">
        <h1 id="page-title" tabindex="-1">${t('signin.title')}</h1>
        ${step === 'password' ? html`<p>${t('signin.intro')}</p>` : ''}
        ${flash}
        <div id="signin-error" class="error-summary" tabindex="-1" aria-labelledby="signin-error-title" hidden></div>
        ${step === 'password' ? passwordForm() : secondFactorForm()}
      </section>`);
  }
  draw();

  function showError(message, ids) {
    const box = $('#signin-error');
    render(box, html`<h2 id="signin-error-title">${t('signin.error.title')}</h2><p>${message}</p>`);
    box.hidden = false;
    for (const id of ids) {
      const input = document.getElementById(id);
      if (!input) continue;
      input.setAttribute('aria-invalid', 'true');
      const described = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== 'signin-error');
      input.setAttribute('aria-describedby', ['signin-error', ...described].join(' '));
    }
    box.focus();
  }

  function showStep(next, { focus = true } = {}) {
    step = next;
    draw();
    if (!focus) return;
    if (step === 'secondFactor') {
      document.getElementById(useRecovery ? 'signin-recovery' : 'signin-code')?.focus();
      announce(useRecovery ? t('signin.2fa.introRecovery') : t('signin.2fa.intro'));
    } else {
      document.getElementById(email ? 'signin-password' : 'signin-email')?.focus();
    }
  }

  async function submitPassword(form) {
    if (busy) return;
    const emailValue = form.elements.namedItem('email').value.trim();
    const password = form.elements.namedItem('password').value;
    if (!emailValue || !password) {
      showError(t('signin.error.missing'), ['signin-email', 'signin-password']);
      return;
    }
    busy = true;
    const restore = busyButton($('#signin-submit'), t('signin.submitting'));
    try {
      const { data } = await api.post('/api/v1/session', { email: emailValue, password });
      email = emailValue;
      if (ident.nextSignInStep(data) === 'secondFactor') {
        busy = false;
        useRecovery = false;
        showStep('secondFactor');
        return;
      }
      await completeSignIn(data.user);
    } catch (err) {
      busy = false;
      restore();
      form.elements.namedItem('password').value = '';
      const ids = ['signin-email', 'signin-password'];
      if (err instanceof ApiError && err.code === 'auth.invalidCredentials') showError(t('signin.error.invalid'), ids);
      else if (err instanceof ApiError && (err.code === 'auth.rateLimited' || err.status === 429)) showError(t('signin.error.rateLimited'), ids);
      else if (err instanceof ApiError && err.status === 401) showError(t('signin.error.invalid'), ids);
      else showError(errorText(err), ids);
    }
  }

  async function submitSecondFactor(form) {
    if (busy) return;
    const input = form.elements.namedItem(useRecovery ? 'recoveryCode' : 'code');
    const fieldId = useRecovery ? 'signin-recovery' : 'signin-code';
    const problems = ident.validateSecondFactor(input.value, useRecovery);
    if (problems.length) {
      showError(problems[0].code === 'required' ? t('signin.2fa.missing') : t('signin.2fa.format'), [fieldId]);
      return;
    }
    busy = true;
    const restore = busyButton($('#second-factor-submit'), t('signin.2fa.submitting'));
    try {
      const { data } = await api.post('/api/v1/session/second-factor', ident.secondFactorBody(input.value, useRecovery));
      await completeSignIn(data && data.user ? data.user : null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'auth.noSecondFactorPending') {
        // The sign-in was completed meanwhile (e.g. in another tab): carry on signed in.
        try {
          await completeSignIn(null);
          return;
        } catch {
          /* no session after all: fall through to the error */
        }
      }
      busy = false;
      restore();
      const field = document.getElementById(fieldId);
      if (field) field.value = '';
      if (err instanceof ApiError && err.code === 'auth.invalidSecondFactor') {
        showError(useRecovery ? t('signin.2fa.invalidRecovery') : t('signin.2fa.invalid'), [fieldId]);
      } else if (err instanceof ApiError && (err.status === 429 || err.code === 'auth.rateLimited')) {
        showError(t('signin.2fa.rateLimited'), [fieldId]);
      } else if (err instanceof ApiError && err.status === 401) {
        // The half-finished session is gone (expired, or ended elsewhere): start again.
        showStep('password', { focus: false });
        showError(t('signin.2fa.expired'), ['signin-password']);
      } else if (err instanceof ApiError && err.fields.length) {
        showError(t('signin.2fa.format'), [fieldId]);
      } else {
        showError(errorText(err), [fieldId]);
      }
    }
  }

  async function cancelSecondFactor() {
    try {
      await api.del('/api/v1/session');
    } catch {
      /* the unfinished session expires on its own */
    }
    showStep('password');
  }

  return {
    name: 'signin',
    onSubmit(form) {
      if (form.id === 'signin-form') submitPassword(form);
      if (form.id === 'second-factor-form') submitSecondFactor(form);
    },
    onClick(el) {
      if (el.id === 'forgot-link') {
        // Carry the address over to the "forgot password" page; the link itself navigates.
        app.forgotEmail = document.getElementById('signin-email')?.value.trim() || null;
        return false;
      }
      if (el.id === 'second-factor-toggle') {
        useRecovery = !useRecovery;
        showStep('secondFactor');
        document.getElementById(useRecovery ? 'signin-recovery' : 'signin-code')?.focus();
        return true;
      }
      if (el.id === 'second-factor-cancel') {
        cancelSecondFactor();
        return true;
      }
      return false;
    },
    keep() {
      const input = document.getElementById('signin-email');
      return { email: input ? input.value : email, step, useRecovery };
    },
  };
}

/** Loads /api/v1/me into the app's session. */
function sessionFromMe(data) {
  return {
    user: data.user,
    memberships: data.memberships ?? [],
    session: data.session ?? null,
    totpEnabled: Boolean(data.totpEnabled),
    // Not in Docs/api/identity.md, but sent by the hub: an administrator who must set up
    // a second factor before administrator routes work. Only used for a hint.
    adminNeedsSecondFactor: Boolean(data.adminNeedsSecondFactor),
  };
}

async function refreshSession() {
  const { data } = await call(api.get('/api/v1/me'));
  const previous = app.session;
  app.session = sessionFromMe(data);
  if (previous && (previous.user?.isAdmin !== app.session.user?.isAdmin || previous.user?.displayName !== app.session.user?.displayName)) renderHeader();
  return app.session;
}

/** After the last sign-in step: load /me, start live updates, go where the person wanted. */
async function completeSignIn(user) {
  let session = { user, memberships: [], session: null, totpEnabled: false };
  try {
    const me = await api.get('/api/v1/me');
    session = sessionFromMe(me.data);
  } catch {
    /* the directory still works without memberships */
  }
  if (!session.user) throw new ApiError({ status: 401, code: 'auth.required', message: 'not signed in' });
  await signedIn(session);
}

async function signedIn(session) {
  app.session = session;
  // A connection opened before signing in (the public catalogue) is anonymous: start anew.
  if (app.live) stopLive();
  startLive();
  loadDirectory();
  const next = app.afterSignIn && app.afterSignIn !== '#/signin' ? app.afterSignIn : '#/';
  app.afterSignIn = null;
  navigate(next, { replace: true });
}

// ---------------------------------------------------------------- directory view

function workspaceRow(ws) {
  const fields = (ws.policyFieldIds ?? []).map(policyFieldLabel).filter(Boolean).sort(compare);
  const added = app.recentlyAdded.get(ws.id);
  const fresh = added && Date.now() - added < 4000;
  return html`
    <li class="ws-row ${fresh ? 'is-new' : ''} ${ws.archived ? 'is-archived' : ''}" data-testid="workspace-row" data-id="${ws.id}">
      <h2 class="ws-name"><a href="#/workspaces/${encodeURIComponent(ws.id)}">${ws.name}</a></h2>
      <p class="ws-meta">
        <span class="badge badge-${ws.kind}">${kindLabel(ws.kind)}</span>
        ${ws.archived ? html`<span class="badge badge-archived">${t('dir.archived')}</span>` : ''}
        ${ws.endsOn ? html`<span class="ws-ends">${t('dir.endsOn', { date: formatDate(ws.endsOn, getLang()) })}</span>` : ''}
      </p>
      ${ws.description ? html`<p class="ws-desc">${ws.description}</p>` : ''}
      <p class="ws-fields"><span class="visually-hidden">${t('dir.fields')}: </span>${fields.length ? fields.join(' · ') : t('dir.noFields')}</p>
    </li>`;
}

function countText(n) {
  if (n === 0) return t('dir.count.zero');
  if (n === 1) return t('dir.count.one');
  return t('dir.count', { count: n });
}

function mountDirectory(target) {
  setTitle(t('dir.title'));
  let fieldOptionsKey = '';

  function filterOptions() {
    const fields = dir.selectPolicyFields(app.directory, getLang(), compare);
    fieldOptionsKey = fields.map((pf) => `${pf.id}:${dir.policyFieldName(pf, getLang())}`).join('|');
    return html`
      <option value="">${t('dir.filter.field.all')}</option>
      ${fields.map((pf) => html`<option value="${pf.id}" ${attrs({ selected: app.filters.policyFieldId === pf.id })}>${dir.policyFieldName(pf, getLang())}</option>`)}`;
  }

  render(target, html`
    <div class="page-head">
      <h1 id="page-title" tabindex="-1">${t('dir.title')}</h1>
      ${isAdmin() ? html`<a class="button primary" href="#/new">${t('dir.create')}</a>` : ''}
    </div>
    <p class="lead">${t('dir.intro')}</p>
    ${flashTemplate()}
    <form id="dir-filters" class="filters" aria-labelledby="filters-title">
      <h2 id="filters-title" class="visually-hidden">${t('dir.filters')}</h2>
      <div class="field">
        <label for="filter-kind">${t('dir.filter.kind')}</label>
        <select id="filter-kind" name="kind">
          <option value="">${t('dir.filter.kind.all')}</option>
          ${dir.KINDS.map((k) => html`<option value="${k}" ${attrs({ selected: app.filters.kind === k })}>${kindLabel(k)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-field">${t('dir.filter.field')}</label>
        <select id="filter-field" name="field">${filterOptions()}</select>
      </div>
      <div class="field check">
        <input type="checkbox" id="filter-archived" name="archived" ${attrs({ checked: app.filters.showArchived })}>
        <label for="filter-archived">${t('dir.filter.archived')}</label>
      </div>
    </form>
    <div id="dir-results"></div>`);

  function renderResults() {
    const region = $('#dir-results');
    if (!region) return;
    if (app.directoryError && !app.directory.loaded) {
      renderKeepingFocus(region, html`
        <div class="notice notice-error" role="alert"><p>${t('dir.loadError')} ${errorText(app.directoryError)}</p>
        <button type="button" class="button secondary" id="dir-retry">${t('app.retry')}</button></div>`);
      return;
    }
    if (!app.directory.loaded) {
      render(region, html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    const items = dir.selectWorkspaces(app.directory, app.filters, compare);
    renderKeepingFocus(region, html`
      <p class="count" id="dir-count">${countText(items.length)}</p>
      <ul class="ws-list" data-testid="workspace-list" aria-labelledby="page-title">
        ${items.map(workspaceRow)}
      </ul>
      ${items.length === 0 ? html`<p class="empty">${t('dir.empty')}</p>` : ''}`);
  }

  function refreshFieldOptions() {
    const select = $('#filter-field');
    if (!select) return;
    const fields = dir.selectPolicyFields(app.directory, getLang(), compare);
    const key = fields.map((pf) => `${pf.id}:${dir.policyFieldName(pf, getLang())}`).join('|');
    if (key !== fieldOptionsKey) renderKeepingFocus(select, filterOptions());
  }

  renderResults();
  if (app.session && !app.directory.loaded && !app.directoryLoading) loadDirectory();

  return {
    name: 'directory',
    update() {
      refreshFieldOptions();
      renderResults();
    },
    onChange(el) {
      if (!el.form || el.form.id !== 'dir-filters') return;
      if (el.id === 'filter-kind') app.filters = { ...app.filters, kind: el.value };
      if (el.id === 'filter-field') app.filters = { ...app.filters, policyFieldId: el.value };
      if (el.id === 'filter-archived') app.filters = { ...app.filters, showArchived: el.checked };
      renderResults();
      announce(countText(dir.selectWorkspaces(app.directory, app.filters, compare).length));
    },
    onSubmit() {
      /* filters apply on change; Enter does nothing more */
    },
    onClick(el) {
      if (el.id === 'dir-retry') {
        app.directoryError = null;
        renderResults();
        loadDirectory();
        return true;
      }
      return false;
    },
  };
}

// ---------------------------------------------------------------- create view

function mountCreate(target, route, keep) {
  setTitle(t('create.title'));
  if (!isAdmin()) {
    render(target, html`
      <h1 id="page-title" tabindex="-1">${t('create.title')}</h1>
      <div class="notice notice-error"><p>${t('create.forbidden')}</p></div>
      <p><a href="#/">${t('app.backToDirectory')}</a></p>`);
    return { name: 'new' };
  }
  const values = keep ?? { kind: 'focusGroup', name: '', description: '', policyFieldIds: [], endsOn: '' };

  function fieldsTemplate() {
    const fields = dir.selectPolicyFields(app.directory, getLang(), compare);
    if (!fields.length) return html`<p class="hint">${app.directory.loaded ? t('dir.noFields') : t('app.loading')}</p>`;
    return html`<div class="checks">${fields.map((pf) => html`
      <div class="check">
        <input type="checkbox" id="ws-pf-${pf.id}" name="policyFieldIds" value="${pf.id}" ${attrs({ checked: values.policyFieldIds.includes(pf.id) })}>
        <label for="ws-pf-${pf.id}">${dir.policyFieldName(pf, getLang())}</label>
      </div>`)}</div>`;
  }

  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('create.title')}</h1>
    <p>${t('create.intro')}</p>
    <div id="create-errors" class="error-summary" tabindex="-1" aria-labelledby="create-errors-title" hidden></div>
    <form id="create-form" class="form card" novalidate>
      <fieldset class="field" id="ws-kind-group">
        <legend>${t('create.kind')} <span aria-hidden="true">*</span><span class="visually-hidden">(${t('create.required')})</span></legend>
        <p class="field-error" id="ws-kind-error" hidden></p>
        <div class="checks">
          ${dir.KINDS.map((k) => html`
            <div class="check">
              <input type="radio" id="ws-kind-${k}" name="kind" value="${k}" ${attrs({ checked: values.kind === k })}>
              <label for="ws-kind-${k}">${kindLabel(k)}</label>
            </div>`)}
        </div>
      </fieldset>
      <div class="field">
        <label for="ws-name">${t('create.name')} <span aria-hidden="true">*</span></label>
        <p class="hint" id="ws-name-hint">${t('create.name.hint')}</p>
        <p class="field-error" id="ws-name-error" hidden></p>
        <input id="ws-name" name="name" type="text" autocomplete="off" required aria-required="true" aria-describedby="ws-name-hint" value="${values.name}">
      </div>
      <div class="field">
        <label for="ws-description">${t('create.description')}</label>
        <p class="hint" id="ws-description-hint">${t('create.description.hint')}</p>
        <p class="field-error" id="ws-description-error" hidden></p>
        <textarea id="ws-description" name="description" rows="4" aria-describedby="ws-description-hint">${values.description}</textarea>
      </div>
      <fieldset class="field" id="ws-fields-group" aria-describedby="ws-fields-hint">
        <legend>${t('create.fields')}</legend>
        <p class="hint" id="ws-fields-hint">${t('create.fields.hint')}</p>
        <p class="field-error" id="ws-fields-error" hidden></p>
        <div id="ws-fields-list">${fieldsTemplate()}</div>
      </fieldset>
      <div class="field">
        <label for="ws-endsOn">${t('create.endsOn')}</label>
        <p class="hint" id="ws-endsOn-hint">${t('create.endsOn.hint')}</p>
        <p class="field-error" id="ws-endsOn-error" hidden></p>
        <input id="ws-endsOn" name="endsOn" type="date" aria-describedby="ws-endsOn-hint" value="${values.endsOn}">
      </div>
      <div class="actions">
        <button type="submit" class="button primary" id="create-submit">${t('create.submit')}</button>
        <a class="button secondary" href="#/">${t('create.cancel')}</a>
      </div>
    </form>`);

  let busy = false;
  let fieldsKey = Object.keys(app.directory.policyFields).join(',');

  const fieldMap = () => ({
    kind: { input: `ws-kind-${dir.KINDS[0]}`, group: 'ws-kind-group', error: 'ws-kind-error', label: t('create.kind') },
    name: { input: 'ws-name', error: 'ws-name-error', label: t('create.name') },
    description: { input: 'ws-description', error: 'ws-description-error', label: t('create.description') },
    policyFieldIds: { input: $('#ws-fields-list input')?.id ?? 'ws-fields-group', group: 'ws-fields-group', error: 'ws-fields-error', label: t('create.fields') },
    endsOn: { input: 'ws-endsOn', error: 'ws-endsOn-error', label: t('create.endsOn') },
  });

  function read(form) {
    return {
      kind: form.querySelector('input[name="kind"]:checked')?.value ?? '',
      name: form.elements.namedItem('name').value,
      description: form.elements.namedItem('description').value,
      policyFieldIds: [...form.querySelectorAll('input[name="policyFieldIds"]:checked')].map((x) => x.value),
      endsOn: form.elements.namedItem('endsOn').value,
    };
  }

  async function submit(form) {
    if (busy) return;
    const v = read(form);
    const body = {
      kind: v.kind,
      name: v.name.trim(),
      description: v.description.trim(),
      policyFieldIds: v.policyFieldIds,
      endsOn: v.endsOn || null,
    };
    busy = true;
    const button = $('#create-submit');
    button.setAttribute('aria-disabled', 'true');
    button.textContent = t('create.submitting');
    try {
      const { data } = await call(api.post('/api/v1/workspaces', body));
      if (data && data.id) {
        const before = app.directory;
        app.directory = { ...before, workspaces: dir.upsertVersioned(before.workspaces, data) };
        app.recentlyAdded.set(data.id, Date.now());
      }
      app.flash = { kind: 'info', text: t('create.created', { name: data?.name ?? body.name }) };
      announce(t('create.created', { name: data?.name ?? body.name }));
      navigate(data && data.id ? `#/workspaces/${encodeURIComponent(data.id)}` : '#/');
    } catch (err) {
      busy = false;
      button.removeAttribute('aria-disabled');
      button.textContent = t('create.submit');
      const summary = $('#create-errors');
      let listed;
      if (err instanceof ApiError && err.fields.length) {
        listed = showFieldErrors(form, fieldMap(), err.fields);
      } else {
        clearFieldErrors(form, fieldMap());
        // An administrator without a second factor gets a link to set it up; other 403s are "not allowed".
        const secondFactor = err instanceof ApiError && err.code === 'auth.secondFactorRequired';
        listed = [{ message: secondFactor ? errorContent(err) : err instanceof ApiError && err.status === 403 ? t('create.forbidden') : errorText(err) }];
      }
      render(summary, errorSummaryTemplate('create-errors-title', listed));
      summary.hidden = false;
      summary.focus();
    }
  }

  return {
    name: 'new',
    onSubmit(form) {
      if (form.id === 'create-form') submit(form);
    },
    update() {
      const key = Object.keys(app.directory.policyFields).join(',');
      if (key === fieldsKey) return;
      fieldsKey = key;
      const form = $('#create-form');
      if (form) values.policyFieldIds = read(form).policyFieldIds;
      renderKeepingFocus($('#ws-fields-list'), fieldsTemplate());
    },
    keep() {
      const form = $('#create-form');
      return form ? read(form) : values;
    },
  };
}

// ---------------------------------------------------------------- detail view

function mountDetail(target, route) {
  const id = route.id;
  const topic = `workspace:${id}`;
  let state = det.initialDetail(id);
  let loadError = null;
  let membersError = null;
  let rendered = false;
  let dirty = false;
  let baseVersion = null;
  let conflict = null; // { mine: {name, description}, current: Workspace }
  let editShowsForm = false;
  // Members and administrators may follow the workspace topic and see its members.
  const canFollow = isAdmin() || roleIn(id) !== null;
  let destroyed = false;
  const selfId = app.session?.user?.id;
  let flash = flashTemplate();
  const memberAdmin = createMemberAdmin({
    ctx: viewContext,
    workspaceId: id,
    selfId,
    getWorkspace: () => state.workspace,
    getMembers: () => state.members,
    applyEvent(event) {
      const before = state;
      state = det.applyDetailEvent(state, event);
      if (state !== before) update();
    },
    rerender() {
      if (rendered && !destroyed) {
        const section = $('#detail-members');
        if (section) renderKeepingFocus(section, membersTemplate());
      }
    },
  });

  const recommendations = createRecommendationList({ ctx: viewContext, workspaceId: id, getWorkspace: () => state.workspace });

  // Seed from the directory so the page shows something at once.
  const known = app.directory.workspaces[id];
  if (known) state = det.applyWorkspace(state, known);

  render(target, html`<p class="loading">${t('app.loading')}</p><h1 id="page-title" tabindex="-1" class="visually-hidden">${known ? known.name : t('app.loading')}</h1>`);
  setTitle(known ? known.name : t('app.loading'));

  async function loadSnapshot() {
    const [ws, members] = await Promise.allSettled([
      call(api.get(`/api/v1/workspaces/${encodeURIComponent(id)}`)),
      call(api.get(`/api/v1/workspaces/${encodeURIComponent(id)}/members`)),
    ]);
    if (destroyed) return null;
    if (ws.status === 'fulfilled') {
      state = det.applyWorkspace(state, ws.value.data);
      loadError = null;
    } else {
      loadError = ws.reason;
    }
    if (members.status === 'fulfilled') {
      state = det.applyMembers(state, members.value.data?.items ?? []);
      membersError = null;
    } else {
      membersError = members.reason;
    }
    update();
    if (ws.status === 'rejected') throw ws.reason;
    // The workspace endpoints carry no cursor: start at the head; the reducers are
    // idempotent, so an event that the snapshot already holds changes nothing.
    const cursor = ws.value.data && ws.value.data.cursor;
    return cursor && typeof cursor.seq === 'number' ? { epoch: cursor.epoch, seq: cursor.seq } : null;
  }

  function statusBadges(ws) {
    return html`
      <span class="badge badge-${ws.kind}">${kindLabel(ws.kind)}</span>
      ${ws.archived ? html`<span class="badge badge-archived">${t('dir.archived')}</span>` : ''}`;
  }

  function headTemplate(ws) {
    return html`
      <p class="back"><a href="#/"><span aria-hidden="true">← </span>${t('app.backToDirectory')}</a></p>
      <h1 id="page-title" tabindex="-1">${ws.name}</h1>
      <p class="ws-meta">${statusBadges(ws)}</p>
      ${ws.archived ? html`<div class="notice notice-info"><p>${t('detail.archived.notice')}</p></div>` : ''}`;
  }

  function factsTemplate(ws) {
    const fields = (ws.policyFieldIds ?? []).map((pid) => {
      const pf = app.directory.policyFields[pid];
      if (!pf) return null;
      const year = new Date().getFullYear();
      const prioritised = (pf.prioritisedYears ?? []).includes(year);
      return html`<li>${dir.policyFieldName(pf, getLang())}${prioritised ? html` <span class="badge badge-priority">${t('dir.prioritised', { year })}</span>` : ''}</li>`;
    }).filter(Boolean);
    return html`
      <h2 id="facts-title">${t('detail.facts')}</h2>
      <dl class="facts">
        <div><dt>${t('detail.kind')}</dt><dd>${kindLabel(ws.kind)}</dd></div>
        <div><dt>${t('detail.status')}</dt><dd>${ws.archived ? t('detail.status.archived') : t('detail.status.active')}</dd></div>
        <div><dt>${t('detail.fields')}</dt><dd>${fields.length ? html`<ul class="plain">${fields}</ul>` : t('dir.noFields')}</dd></div>
        <div><dt>${t('detail.endsOn')}</dt><dd>${ws.endsOn ? formatDate(ws.endsOn, getLang()) : t('detail.noEnd')}</dd></div>
        <div><dt>${t('detail.updatedAt')}</dt><dd>${ws.updatedAt ? formatDate(ws.updatedAt, getLang()) : '–'}</dd></div>
        <div><dt>${t('detail.version')}</dt><dd>${ws.version}</dd></div>
      </dl>
      <h2 id="description-title">${t('detail.description')}</h2>
      ${ws.description ? html`<p class="description">${ws.description}</p>` : html`<p class="muted">${t('detail.noDescription')}</p>`}`;
  }

  function presenceTemplate() {
    const others = det.othersPresent(state, selfId);
    if (!canFollow) {
      return html`
        <h2 id="presence-title">${t('detail.presence')}</h2>
        <p class="muted">${t('detail.presence.membersOnly')}</p>`;
    }
    return html`
      <h2 id="presence-title">${t('detail.presence')}</h2>
      <p data-testid="presence">${others.length
        ? t('detail.presence.others', { names: others.map((u) => u.displayName || '?').join(', ') })
        : t('detail.presence.alone')}</p>`;
  }

  function membersTemplate() {
    const members = det.sortedMembers(state, compare);
    return html`
      <h2 id="members-title" tabindex="-1">${t('detail.members')}</h2>
      ${memberAdmin.toolbarTemplate()}
      ${membersError && state.members === null ? html`<p class="muted">${membersError instanceof ApiError && membersError.status === 403 ? t('detail.members.forbidden') : t('detail.members.error')}</p>`
        : state.members === null ? html`<p class="loading">${t('app.loading')}</p>`
        : members.length === 0 ? html`<p class="muted">${t('detail.members.empty')}</p>`
        : html`<ul class="members" data-testid="member-list">
            ${members.map((m) => html`<li class="member" data-testid="member-row" data-user="${m.userId}">
              <span class="member-name">${m.displayName}</span>
              <span class="badge badge-role">${t(`role.${m.role}`)}</span>
              ${m.organization ? html`<span class="member-org" data-testid="member-organization"><span class="visually-hidden">${t('detail.members.org')}: </span>${m.organization}</span>` : ''}
              ${memberAdmin.memberActionsTemplate(m)}
            </li>`)}
          </ul>`}
      ${memberAdmin.invitationsTemplate()}`;
  }

  /** Policy field names for the conflict comparison. */
  function fieldNames(ids) {
    const names = (ids ?? []).map((pid) => app.directory.policyFields[pid]).filter(Boolean).map((pf) => dir.policyFieldName(pf, getLang())).sort(compare);
    return names.length ? names.join(', ') : '–';
  }

  function conflictTemplate() {
    if (!conflict) return html``;
    const cur = conflict.current;
    return html`
      <div class="notice notice-error conflict" id="conflict-box" tabindex="-1" aria-labelledby="conflict-title">
        <h3 id="conflict-title">${t('detail.conflict.title')}</h3>
        <p>${t('detail.conflict.body')}</p>
        <div class="compare">
          <div>
            <h4>${t('detail.conflict.current')}</h4>
            <dl class="facts"><div><dt>${t('create.name')}</dt><dd>${cur.name}</dd></div>
            <div><dt>${t('create.description')}</dt><dd>${cur.description || '–'}</dd></div>
            <div><dt>${t('create.fields')}</dt><dd>${fieldNames(cur.policyFieldIds)}</dd></div>
            <div><dt>${t('create.endsOn')}</dt><dd>${cur.endsOn ? formatDate(cur.endsOn, getLang()) : '–'}</dd></div></dl>
          </div>
          <div>
            <h4>${t('detail.conflict.yours')}</h4>
            <dl class="facts"><div><dt>${t('create.name')}</dt><dd>${conflict.mine.name}</dd></div>
            <div><dt>${t('create.description')}</dt><dd>${conflict.mine.description || '–'}</dd></div>
            <div><dt>${t('create.fields')}</dt><dd>${fieldNames(conflict.mine.policyFieldIds)}</dd></div>
            <div><dt>${t('create.endsOn')}</dt><dd>${conflict.mine.endsOn ? formatDate(conflict.mine.endsOn, getLang()) : (conflict.mine.endsOn === undefined ? (cur.endsOn ? formatDate(cur.endsOn, getLang()) : '–') : '–')}</dd></div></dl>
          </div>
        </div>
        <button type="button" class="button primary" id="conflict-reload">${t('detail.conflict.reload')}</button>
      </div>`;
  }

  /**
   * The edit form's policy-field checkboxes come from the directory. Opened by a direct link,
   * the page can render before the directory has loaded: when the choices differ from the
   * directory's and nobody has typed in the form yet, the form is drawn again.
   */
  function refreshPolicyChoices() {
    const group = $('#edit-fields-group .checks');
    const ws = state.workspace;
    if (!group || !ws || dirty || conflict) return;
    const wanted = dir.selectPolicyFields(app.directory, getLang(), compare).map((pf) => pf.id).join();
    const shown = [...group.querySelectorAll('input[name="policyFieldIds"]')].map((x) => x.value).join();
    if (wanted === shown) return;
    renderKeepingFocus($('#detail-edit'), editTemplate(ws));
    baseVersion = ws.version;
  }

  function editTemplate(ws) {
    editShowsForm = !ws.archived;
    if (ws.archived) {
      return html`
        <h2 id="edit-title">${t('detail.edit.title')}</h2>
        <div id="edit-status" class="edit-status"></div>
        <p>${isAdmin() ? t('detail.readOnlyArchived') : t('detail.readOnlyArchived.coordinator')}</p>
        ${isAdmin() ? html`<div class="actions archive-actions" id="archive-actions">${archiveTemplate(ws)}</div>` : ''}`;
    }
    return html`
      <h2 id="edit-title">${t('detail.edit.title')}</h2>
      <div id="edit-conflict">${conflictTemplate()}</div>
      <div id="edit-status" class="edit-status"></div>
      <form id="edit-form" class="form" novalidate>
        <div class="field">
          <label for="edit-name">${t('create.name')}</label>
          <p class="field-error" id="edit-name-error" hidden></p>
          <input id="edit-name" name="name" type="text" autocomplete="off" required value="${ws.name}">
        </div>
        <div class="field">
          <label for="edit-description">${t('create.description')}</label>
          <p class="field-error" id="edit-description-error" hidden></p>
          <textarea id="edit-description" name="description" rows="5">${ws.description ?? ''}</textarea>
        </div>
        <fieldset class="field" id="edit-fields-group">
          <legend>${t('create.fields')}</legend>
          <p class="field-error" id="edit-fields-error" hidden></p>
          <div class="checks">${dir.selectPolicyFields(app.directory, getLang(), compare).map((pf) => html`
            <div class="check">
              <input type="checkbox" id="edit-pf-${pf.id}" name="policyFieldIds" value="${pf.id}" ${attrs({ checked: (ws.policyFieldIds ?? []).includes(pf.id) })}>
              <label for="edit-pf-${pf.id}">${dir.policyFieldName(pf, getLang())}</label>
            </div>`)}</div>
        </fieldset>
        ${ws.kind === 'taskForce' ? html`<div class="field">
          <label for="edit-endsOn">${t('create.endsOn')}</label>
          <p class="hint" id="edit-endsOn-hint">${t('create.endsOn.hint')}</p>
          <p class="field-error" id="edit-endsOn-error" hidden></p>
          <input id="edit-endsOn" name="endsOn" type="date" required aria-describedby="edit-endsOn-hint" value="${ws.endsOn ?? ''}">
        </div>` : ''}
        <div class="actions">
          <button type="submit" class="button primary" id="edit-submit">${t('detail.save')}</button>
        </div>
      </form>
      ${isAdmin() ? html`<div class="actions archive-actions" id="archive-actions">${archiveTemplate(ws)}</div>` : ''}`;
  }

  /** Archiving and restoring are for administrators only (the server answers 403 to coordinators). */
  function archiveTemplate(ws) {
    return html`<button type="button" class="button secondary" id="archive-toggle" data-action="${ws.archived ? 'restore' : 'archive'}">${ws.archived ? t('detail.restore') : t('detail.archive')}</button>`;
  }

  function fullTemplate(ws) {
    return html`
      <div id="detail-head">${headTemplate(ws)}</div>
      ${flash}
      <div class="detail-grid">
        <section class="card" id="detail-facts" aria-labelledby="facts-title">${factsTemplate(ws)}</section>
        <section class="card" id="detail-presence" aria-labelledby="presence-title">${presenceTemplate()}</section>
        ${recommendations.cardTemplate()}
        ${canFollow ? meetingsCardTemplate() : ''}
        ${canEdit(id) ? html`<section class="card" id="detail-edit" aria-labelledby="edit-title">${editTemplate(ws)}</section>` : ''}
        <section class="card" id="detail-members" aria-labelledby="members-title">${membersTemplate()}</section>
      </div>
      ${memberAdmin.dialogTemplate()}`;
  }

  /** Meetings of the workspace (views/meetings.js): the list with the planner, and the action list. */
  function meetingsCardTemplate() {
    return html`<section class="card" id="detail-meetings" aria-labelledby="meetings-card-title" data-testid="detail-meetings">
      <h2 id="meetings-card-title">${t('mt.card.title')}</h2>
      <p>${t('mt.card.body')}</p>
      <ul class="plain">
        <li><a href="#/workspaces/${id}/meetings" data-testid="detail-meetings-link">${t('mt.card.meetings')}</a></li>
        <li><a href="#/workspaces/${id}/actions" data-testid="detail-actions-link">${t('mt.card.actions')}</a></li>
      </ul>
    </section>`;
  }

  function fillForm(ws) {
    const name = document.getElementById('edit-name');
    const description = document.getElementById('edit-description');
    if (name) name.value = ws.name;
    if (description) description.value = ws.description ?? '';
    for (const box of document.querySelectorAll('#edit-form input[name="policyFieldIds"]')) box.checked = (ws.policyFieldIds ?? []).includes(box.value);
    const endsOn = document.getElementById('edit-endsOn');
    if (endsOn) endsOn.value = ws.endsOn ?? '';
    baseVersion = ws.version;
    dirty = false;
  }

  function update() {
    if (destroyed) return;
    const ws = state.workspace;
    if (!ws) {
      if (loadError) {
        const notFound = loadError instanceof ApiError && loadError.status === 404;
        const forbidden = loadError instanceof ApiError && loadError.status === 403;
        setTitle(t('detail.loadError'));
        renderKeepingFocus(target, html`
          <h1 id="page-title" tabindex="-1">${notFound ? t('detail.notFound') : forbidden ? t('detail.forbidden') : t('detail.loadError')}</h1>
          ${notFound || forbidden ? '' : html`<div class="notice notice-error"><p>${errorText(loadError)}</p></div>
            <p><button type="button" class="button secondary" id="detail-retry">${t('app.retry')}</button></p>`}
          <p><a href="#/">${t('app.backToDirectory')}</a></p>`);
        rendered = false;
      }
      return;
    }
    setTitle(ws.name);
    if (!rendered) {
      const hadFocus = document.activeElement && document.activeElement.id === 'page-title';
      render(target, fullTemplate(ws));
      flash = '';
      rendered = true;
      baseVersion = ws.version;
      dirty = false;
      if (hadFocus) focusHeading();
      return;
    }
    renderKeepingFocus($('#detail-head'), headTemplate(ws));
    renderKeepingFocus($('#detail-facts'), factsTemplate(ws));
    renderKeepingFocus($('#detail-presence'), presenceTemplate());
    renderKeepingFocus($('#detail-members'), membersTemplate());
    recommendations.refresh();
    const editSection = $('#detail-edit');
    if (editSection && editShowsForm === Boolean(ws.archived)) {
      // Archived ⇄ active: the form comes and goes; keep a status message if focus was on the toggle.
      conflict = null;
      renderKeepingFocus(editSection, editTemplate(ws));
      baseVersion = ws.version;
      dirty = false;
      return;
    }
    const archive = $('#archive-actions');
    if (archive) renderKeepingFocus(archive, archiveTemplate(ws));
    if ($('#edit-form') && !conflict && ws.version !== baseVersion) {
      if (!dirty) fillForm(ws);
      else {
        const status = $('#edit-status');
        if (status) render(status, html`<div class="notice notice-info" role="status"><p>${t('detail.changedElsewhere')}</p></div>`);
      }
    }
  }

  const editFieldMap = () => ({
    name: { input: 'edit-name', error: 'edit-name-error', label: t('create.name') },
    description: { input: 'edit-description', error: 'edit-description-error', label: t('create.description') },
    policyFieldIds: { input: $('#edit-fields-group input')?.id ?? 'edit-fields-group', group: 'edit-fields-group', error: 'edit-fields-error', label: t('create.fields') },
    endsOn: { input: 'edit-endsOn', error: 'edit-endsOn-error', label: t('create.endsOn') },
  });

  let busy = false;
  async function save(form) {
    if (busy || !state.workspace) return;
    const mine = {
      name: form.elements.namedItem('name').value.trim(),
      description: form.elements.namedItem('description').value.trim(),
      policyFieldIds: [...form.querySelectorAll('input[name="policyFieldIds"]:checked')].map((x) => x.value),
    };
    const endsOn = form.elements.namedItem('endsOn');
    if (endsOn) mine.endsOn = endsOn.value || null;
    busy = true;
    const button = $('#edit-submit');
    button.setAttribute('aria-disabled', 'true');
    button.textContent = t('detail.saving');
    const status = $('#edit-status');
    render(status, html``);
    try {
      const { data } = await call(api.patch(`/api/v1/workspaces/${encodeURIComponent(id)}`, mine, { headers: { 'If-Match': ifMatch(baseVersion ?? state.workspace.version) } }));
      clearFieldErrors(form, editFieldMap());
      if (data && data.id) {
        rememberInDirectory(data);
        state = det.applyWorkspace(state, data);
      }
      dirty = false;
      update();
      if (data) fillForm(state.workspace);
      render($('#edit-status'), html`<div class="notice notice-success"><p>${t('detail.saved')}</p></div>`);
      announce(t('detail.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version.conflict') {
        const current = err.body && err.body.current;
        conflict = { mine, current: current ?? state.workspace };
        if (current) {
          state = det.applyWorkspace(state, current);
          rememberInDirectory(current);
        }
        update();
        render($('#edit-conflict'), conflictTemplate());
        $('#conflict-box')?.focus();
      } else if (err instanceof ApiError && err.fields.length) {
        const listed = showFieldErrors(form, editFieldMap(), err.fields);
        render(status, html`<div class="error-summary" tabindex="-1" id="edit-errors" aria-labelledby="edit-errors-title">${errorSummaryTemplate('edit-errors-title', listed)}</div>`);
        $('#edit-errors')?.focus();
      } else {
        render(status, errorNotice(err));
      }
    } finally {
      busy = false;
      const b = $('#edit-submit');
      if (b) {
        b.removeAttribute('aria-disabled');
        b.textContent = t('detail.save');
      }
    }
  }

  function rememberInDirectory(ws) {
    const before = app.directory;
    const workspaces = dir.upsertVersioned(before.workspaces, ws);
    if (workspaces !== before.workspaces) app.directory = { ...before, workspaces };
  }

  async function toggleArchive(button) {
    if (busy || !state.workspace) return;
    const action = button.getAttribute('data-action') === 'restore' ? 'restore' : 'archive';
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    const status = $('#edit-status');
    try {
      const { data } = await call(api.post(`/api/v1/workspaces/${encodeURIComponent(id)}/${action}`, undefined, { headers: { 'If-Match': ifMatch(state.workspace.version) } }));
      let ws = data && data.id ? data : null;
      if (!ws) ws = (await call(api.get(`/api/v1/workspaces/${encodeURIComponent(id)}`))).data;
      rememberInDirectory(ws);
      const hadVersion = baseVersion;
      state = det.applyWorkspace(state, ws);
      update();
      if (!dirty || hadVersion === null) fillForm(state.workspace);
      announce(t(action === 'archive' ? 'live.archived' : 'live.restored', { name: ws.name }));
      $('#archive-toggle')?.focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body && err.body.current) {
        state = det.applyWorkspace(state, err.body.current);
        rememberInDirectory(err.body.current);
        update();
        render(status, html`<div class="notice notice-error" role="alert"><p>${t('detail.changedElsewhere')}</p></div>`);
      } else if (status) {
        render(status, errorNotice(err));
      }
    } finally {
      busy = false;
      $('#archive-toggle')?.removeAttribute('aria-disabled');
    }
  }

  function takeCurrent() {
    if (!conflict) return;
    const current = conflict.current;
    conflict = null;
    state = det.applyWorkspace(state, current);
    render($('#edit-conflict'), html``);
    update();
    fillForm(state.workspace);
    render($('#edit-status'), html`<div class="notice notice-info"><p>${t('detail.conflict.reloaded')}</p></div>`);
    announce(t('detail.conflict.reloaded'));
    document.getElementById('edit-name')?.focus();
  }

  function start() {
    loadSnapshot()
      .then(() => {
        if (destroyed || !app.live) return;
        app.live.subscribe(topic, { cursor: null, reload: loadSnapshot });
      })
      .catch(() => {
        /* shown by update() */
      });
  }
  if (app.live && canFollow) {
    // Subscribe first, so no change between the snapshot and the subscription is lost;
    // events that arrive before the snapshot are applied on top of it idempotently.
    app.live.subscribe(topic, { cursor: null, reload: loadSnapshot });
    loadSnapshot().catch(() => {});
  } else if (canFollow) {
    start();
  } else {
    loadSnapshot().catch(() => {});
  }
  if (state.workspace) update();
  memberAdmin.start();
  recommendations.start();

  return {
    name: 'detail',
    update(reason, event) {
      if (reason === 'directory') {
        if (event && event.data && event.data.id === id && event.name.startsWith('workspace.')) {
          state = det.applyDetailEvent(state, event);
        }
        update();
        refreshPolicyChoices();
      }
    },
    onTopicEvent(event) {
      if (event.topic !== topic) return;
      if (event.name && event.name.startsWith('recommendation.')) {
        recommendations.onTopicEvent(event);
        return;
      }
      const before = state;
      state = det.applyDetailEvent(state, event);
      if (state !== before) {
        if (event.name.startsWith('member.')) announce(describeEvent(event, null, t, getLang()));
        update();
      }
      if (event.name.startsWith('member.')) memberAdmin.onMemberEvent(event);
    },
    onPresence(detail) {
      if (detail.topic !== topic) return;
      state = det.applyPresence(state, detail.users);
      if (rendered) renderKeepingFocus($('#detail-presence'), presenceTemplate());
    },
    onSubmit(form) {
      if (form.id === 'edit-form') save(form);
      else if (!recommendations.onSubmit(form)) memberAdmin.onSubmit(form);
    },
    onInput(el) {
      if (el.form && el.form.id === 'edit-form') dirty = true;
    },
    onClick(el) {
      if (memberAdmin.onClick(el)) return true;
      if (recommendations.onClick(el)) return true;
      if (el.id === 'archive-toggle') {
        toggleArchive(el);
        return true;
      }
      if (el.id === 'conflict-reload') {
        takeCurrent();
        return true;
      }
      if (el.id === 'detail-retry') {
        loadError = null;
        render(target, html`<p class="loading">${t('app.loading')}</p><h1 id="page-title" tabindex="-1" class="visually-hidden">${t('app.loading')}</h1>`);
        loadSnapshot().catch(() => {});
        return true;
      }
      return false;
    },
    destroy() {
      destroyed = true;
      memberAdmin.destroy();
      recommendations.destroy();
      if (app.live && canFollow) app.live.unsubscribe(topic);
    },
  };
}

// ---------------------------------------------------------------- not found

function mountNotFound(target) {
  setTitle(t('app.notFound.title'));
  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('app.notFound.title')}</h1>
    <p>${t('app.notFound.body')}</p>
    <p><a href="#/">${t('app.backToDirectory')}</a></p>`);
  return { name: 'notfound' };
}

// ---------------------------------------------------------------- global event delegation

function onDocumentClick(e) {
  const el = e.target instanceof Element ? e.target.closest('a, button') : null;
  if (!el) return;
  if (el.id === 'skip-link') {
    e.preventDefault();
    const main = $('#main');
    main.focus();
    main.scrollIntoView();
    return;
  }
  if (el.hasAttribute('data-focus')) {
    e.preventDefault();
    const target = document.getElementById(el.getAttribute('data-focus'));
    if (target) {
      target.focus();
      target.scrollIntoView({ block: 'center' });
    }
    return;
  }
  if (el.getAttribute('aria-disabled') === 'true') {
    e.preventDefault();
    return;
  }
  if (el.id === 'lang-toggle') {
    const keep = app.view && app.view.keep ? app.view.keep() : null;
    setLang(getLang() === 'de' ? 'en' : 'de');
    showRoute({ keep });
    document.getElementById('lang-toggle')?.focus();
    return;
  }
  if (el.id === 'sign-out') {
    signOut();
    return;
  }
  if (app.view && app.view.onClick && app.view.onClick(el)) e.preventDefault();
}

/** Ends the session here and on the hub; `flash` replaces the usual "signed out" notice. */
async function signOut({ next = null, flash = null } = {}) {
  try {
    await api.del('/api/v1/session');
  } catch {
    /* signed out locally either way */
  }
  signOutLocally(flash ?? { kind: 'info', text: t('signin.signedOut') }, { next });
}

function onDocumentSubmit(e) {
  const form = e.target;
  if (!(form instanceof HTMLFormElement)) return;
  e.preventDefault();
  if (app.view && app.view.onSubmit) app.view.onSubmit(form);
}

function onDocumentChange(e) {
  if (app.view && app.view.onChange) app.view.onChange(e.target);
}

function onDocumentInput(e) {
  if (app.view && app.view.onInput) app.view.onInput(e.target);
}

// ---------------------------------------------------------------- boot

async function boot() {
  applyDocumentLang(getLang());
  document.addEventListener('click', onDocumentClick);
  document.addEventListener('submit', onDocumentSubmit);
  document.addEventListener('change', onDocumentChange);
  document.addEventListener('input', onDocumentInput);
  window.addEventListener('hashchange', () => showRoute());
  if (debug) window.__roundtable = { live: null, app };
  try {
    const { data } = await api.get('/api/v1/me');
    app.session = sessionFromMe(data);
  } catch (err) {
    app.session = null;
    if (err instanceof ApiError && err.code === 'auth.secondFactorRequired') {
      // Reloaded in the middle of signing in: the password step is done, the code is missing.
      app.signinStep = 'secondFactor';
    } else if (!(err instanceof ApiError && err.status === 401)) {
      app.flash = { kind: 'error', text: errorText(err) };
    }
  }
  if (app.session) {
    startLive();
    loadDirectory();
  }
  showRoute();
}

boot();
