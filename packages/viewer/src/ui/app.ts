// The viewer's single-page app: the header (source, navigation, live status) and the routes.
import { api, ApiError, initToken, liveMode, onLiveMode, type LiveMode } from './api.js';
import { h, link, replace } from './dom.js';
import { mountConversation, mountConversations } from './page-conversations.js';
import { mountStats } from './page-stats.js';
import { mountTrace } from './page-trace.js';
import { mountTraces } from './page-traces.js';
import { onRoute, startRouter, type Route } from './router.js';

const ROUTES: readonly Route[] = [
  { name: 'traces', pattern: /^\/$/, keys: [], mount: mountTraces },
  { name: 'trace', pattern: /^\/traces\/([^/]+)\/?$/, keys: ['id'], mount: mountTrace },
  { name: 'conversations', pattern: /^\/conversations\/?$/, keys: [], mount: mountConversations },
  { name: 'conversation', pattern: /^\/conversations\/([^/]+)\/?$/, keys: ['id'], mount: mountConversation },
  { name: 'stats', pattern: /^\/stats\/?$/, keys: [], mount: mountStats },
];

const SECTION: Readonly<Record<string, string>> = {
  traces: 'traces',
  trace: 'traces',
  conversations: 'conversations',
  conversation: 'conversations',
  stats: 'stats',
};

const LIVE_TEXT: Readonly<Record<LiveMode, string>> = {
  events: 'live',
  polling: 'live (polling)',
  offline: 'not live',
};

function start(): void {
  initToken();
  // A token added to the URL of an open page (`#token=…`): take it and start over with it.
  window.addEventListener('hashchange', () => {
    if (!new URLSearchParams(location.hash.slice(1)).has('token')) return;
    initToken();
    location.reload();
  });
  const source = h('span', { class: 'source', attrs: { title: 'Where the traces come from' } }, '…');
  const live = h('span', { class: 'live', attrs: { 'data-mode': liveMode() } }, LIVE_TEXT[liveMode()]);
  onLiveMode((mode) => {
    live.textContent = LIVE_TEXT[mode];
    live.setAttribute('data-mode', mode);
  });
  const nav = h(
    'nav',
    { class: 'nav', attrs: { 'aria-label': 'Sections' } },
    link('/', { attrs: { 'data-section': 'traces' } }, 'Traces'),
    link('/conversations', { attrs: { 'data-section': 'conversations' } }, 'Conversations'),
    link('/stats', { attrs: { 'data-section': 'stats' } }, 'Stats'),
  );
  const main = h('main', { attrs: { id: 'main' } });
  document.body.append(
    h(
      'header',
      'top',
      link('/', 'brand', h('span', 'brand-mark', '◆'), ' agent-otel viewer'),
      nav,
      h('div', 'top-right', live, source),
    ),
    main,
  );
  onRoute((name) => {
    for (const a of nav.querySelectorAll('a')) {
      if (a.dataset.section === SECTION[name]) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  });
  startRouter(main, ROUTES, ({ root, url }) => {
    root.append(
      h(
        'section',
        'page',
        h('h1', null, 'Not found'),
        h('p', null, `No page at ${url.pathname}. `, link('/', null, 'All traces')),
      ),
    );
    return {};
  });
  api
    .source()
    .then((description) => {
      replace(
        source,
        description.kind === 'local' ? 'local store' : `${description.kind}`,
        description.url ? h('span', 'source-url', ` ${description.url}`) : null,
      );
      source.setAttribute('data-kind', description.kind);
    })
    .catch((err: unknown) => {
      source.textContent = err instanceof ApiError && err.status === 401 ? 'token needed' : 'source unknown';
      source.setAttribute('title', err instanceof Error ? err.message : String(err));
      source.classList.add('source-error');
    });
}

start();
