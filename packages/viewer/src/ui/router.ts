// Client-side routing with the History API: `/`, `/traces/:id`, `/conversations`,
// `/conversations/:id`, `/stats`. The server answers each of these paths with index.html.

/** A page mounted in the main element. */
export interface Page {
  /** The route's location changed (query string only, same route): update in place. */
  update?(url: URL): void;
  /** The page is being replaced: stop timers, listeners and requests. */
  unmount?(): void;
}

/** What a page is mounted with. */
export interface RouteContext {
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly root: HTMLElement;
}

export interface Route {
  /** `traces`, `trace`, `conversations`, `conversation`, `stats` (the nav marks its section). */
  readonly name: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly mount: (context: RouteContext) => Page;
}

let routes: readonly Route[] = [];
let notFound: (context: RouteContext) => Page;
let root: HTMLElement;
let current: { route: Route | undefined; key: string; page: Page } | undefined;
const routeListeners = new Set<(name: string) => void>();

/** Starts routing into `container`. */
export function startRouter(
  container: HTMLElement,
  table: readonly Route[],
  fallback: (context: RouteContext) => Page,
): void {
  root = container;
  routes = table;
  notFound = fallback;
  window.addEventListener('popstate', () => render());
  document.addEventListener('click', onClick);
  render();
}

/** Calls `listener` with the route name after each navigation. */
export function onRoute(listener: (name: string) => void): void {
  routeListeners.add(listener);
}

/** Goes to `path` (pushState, or replaceState with `replace`) and renders it. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = new URL(path, location.origin);
  if (target.origin !== location.origin) return;
  const href = target.pathname + target.search + target.hash;
  if (href === location.pathname + location.search + location.hash) {
    if (!options.replace) return;
  }
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  render();
}

/** Replaces the query string of the current location without re-rendering (state kept in the URL). */
export function setQuery(params: URLSearchParams, options: { push?: boolean } = {}): void {
  const search = params.toString();
  const href = location.pathname + (search ? `?${search}` : '');
  if (href === location.pathname + location.search) return;
  if (options.push) history.pushState(null, '', href);
  else history.replaceState(null, '', href);
}

function match(pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((key, index) => {
      try {
        params[key] = decodeURIComponent(found[index + 1] ?? '');
      } catch {
        params[key] = found[index + 1] ?? '';
      }
    });
    return { route, params };
  }
  return undefined;
}

function render(): void {
  const url = new URL(location.href);
  const found = match(url.pathname);
  const key = found ? `${found.route.name}:${url.pathname}` : `404:${url.pathname}`;
  if (current && current.key === key && current.page.update) {
    current.page.update(url);
    return;
  }
  current?.page.unmount?.();
  while (root.firstChild) root.removeChild(root.firstChild);
  window.scrollTo(0, 0);
  const context: RouteContext = { url, params: found?.params ?? {}, root };
  const page = found ? found.route.mount(context) : notFound(context);
  current = { route: found?.route, key, page };
  for (const listener of routeListeners) listener(found?.route.name ?? '');
}

function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.target instanceof Element ? event.target.closest('a[data-route]') : null;
  if (!(target instanceof HTMLAnchorElement)) return;
  const href = target.getAttribute('href');
  if (!href || !href.startsWith('/')) return;
  event.preventDefault();
  navigate(href);
}
