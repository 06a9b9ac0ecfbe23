// What to say in the polite live region when a live event arrives. Pure: takes the
// event, the state before it and a translate function; returns text or null.

export function describeEvent(event, before, t, lang = 'de') {
  if (!event || !event.name) return null;
  const data = event.data ?? {};
  switch (event.name) {
    case 'workspace.created':
      if (before && before.workspaces && before.workspaces[data.id]) return null; // already known
      return t('live.created', { name: data.name ?? '' });
    case 'workspace.updated':
    case 'workspace.archived':
    case 'workspace.restored': {
      const held = before && before.workspaces ? before.workspaces[data.id] : null;
      if (held && typeof held.version === 'number' && typeof data.version === 'number' && held.version >= data.version) return null;
      const key = { 'workspace.updated': 'live.updated', 'workspace.archived': 'live.archived', 'workspace.restored': 'live.restored' }[event.name];
      return t(key, { name: data.name ?? '' });
    }
    case 'policyField.updated': {
      const name = lang === 'en' ? data.nameEn || data.nameDe : data.nameDe || data.nameEn;
      return t('live.policyField', { name: name ?? '' });
    }
    case 'member.added':
      return t('live.memberAdded', { name: data.displayName ?? '' });
    case 'member.updated':
      return t('live.memberUpdated', { name: data.displayName ?? '' });
    case 'member.removed':
      return t('live.memberRemoved', { name: data.displayName ?? '' });
    default:
      return null;
  }
}
