// One workspace seen in detail: the workspace, its members and who else is looking.
// Pure functions over { id, workspace, members, pendingMemberEvents, presence }.
// Member events that arrive before the member list was loaded are kept and applied
// when it arrives, so the order of the HTTP answer and the live events does not matter.

export function initialDetail(id) {
  return { id, workspace: null, members: null, pendingMemberEvents: [], presence: [] };
}

/** Takes a workspace unless the held one is as new or newer. */
export function applyWorkspace(state, workspace) {
  if (!workspace || workspace.id !== state.id) return state;
  const held = state.workspace;
  if (held && typeof held.version === 'number' && typeof workspace.version === 'number' && held.version >= workspace.version) {
    return state;
  }
  return { ...state, workspace };
}

/** Forces the workspace (e.g. the `current` of a 409), still ignoring older versions. */
export function replaceWorkspace(state, workspace) {
  return applyWorkspace(state, workspace);
}

function memberKey(member) {
  return member && (member.userId ?? member.id);
}

function applyMemberEvent(members, event) {
  const data = event.data ?? {};
  const key = memberKey(data);
  if (!key) return members;
  if (event.name === 'member.removed') {
    return members.some((m) => memberKey(m) === key) ? members.filter((m) => memberKey(m) !== key) : members;
  }
  const index = members.findIndex((m) => memberKey(m) === key);
  if (index === -1) return [...members, data];
  const merged = { ...members[index], ...data };
  // The same member again (e.g. our own change, then its live event): nothing changes.
  if (Object.keys(merged).every((k) => merged[k] === members[index][k])) return members;
  const copy = members.slice();
  copy[index] = merged;
  return copy;
}

export function applyMembers(state, items) {
  let members = Array.isArray(items) ? items.slice() : [];
  for (const event of state.pendingMemberEvents) members = applyMemberEvent(members, event);
  return { ...state, members, pendingMemberEvents: [] };
}

export const MEMBER_EVENTS = new Set(['member.added', 'member.updated', 'member.removed']);

/** Applies a live event of `workspace:<id>` (or a workspace.* event from `directory`). */
export function applyDetailEvent(state, event) {
  if (!event || !event.name) return state;
  if (event.name.startsWith('workspace.')) return applyWorkspace(state, event.data);
  if (MEMBER_EVENTS.has(event.name)) {
    if (event.data && event.data.workspaceId && event.data.workspaceId !== state.id) return state;
    if (state.members === null) return { ...state, pendingMemberEvents: [...state.pendingMemberEvents, event] };
    const members = applyMemberEvent(state.members, event);
    return members === state.members ? state : { ...state, members };
  }
  return state;
}

export function applyPresence(state, users) {
  const list = Array.isArray(users) ? users.filter((u) => u && u.id) : [];
  const seen = new Set();
  const unique = list.filter((u) => (seen.has(u.id) ? false : seen.add(u.id)));
  return { ...state, presence: unique };
}

/** Everyone present except the viewer. */
export function othersPresent(state, selfId) {
  return state.presence.filter((u) => u.id !== selfId);
}

const ROLE_ORDER = { coordinator: 0, member: 1, observer: 2 };

export function sortedMembers(state, compare = (a, b) => String(a).localeCompare(String(b), 'de', { sensitivity: 'base' })) {
  return (state.members ?? []).slice().sort((a, b) => ((ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9)) || compare(a.displayName ?? '', b.displayName ?? ''));
}
