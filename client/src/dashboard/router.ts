/**
 * Client-side routing for the dashboard SPA (CONTRACT §1.1, §10). The server answers every GET of these paths
 * with index.html, so the app decides what to render from `window.location` and moves with the History API.
 */
export type RouteName = 'login' | 'signup' | 'overview' | 'transactions' | 'refunds' | 'webhooks' | 'docs';

export const ROUTE_PATHS: Record<RouteName, string> = {
  login: '/login',
  signup: '/signup',
  overview: '/dashboard',
  transactions: '/dashboard/transactions',
  refunds: '/dashboard/refunds',
  webhooks: '/dashboard/webhooks',
  docs: '/dashboard/docs',
};

/** Where unknown client routes (and `/`) end up. */
export const FALLBACK_PATH = ROUTE_PATHS.overview;

export type RouteMatch = { kind: 'route'; name: RouteName } | { kind: 'redirect'; to: string };

const BY_PATH = new Map(Object.entries(ROUTE_PATHS).map(([name, path]) => [path, name as RouteName]));

/** Resolves a pathname; a trailing slash is tolerated, anything unknown redirects to the overview. */
export function matchRoute(pathname: string): RouteMatch {
  const normalized = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const name = BY_PATH.get(normalized);
  return name ? { kind: 'route', name } : { kind: 'redirect', to: FALLBACK_PATH };
}

export type DashboardRouteName = Exclude<RouteName, 'login' | 'signup'>;

/** Every route except the two auth pages needs a session. */
export function requiresSession(name: RouteName): name is DashboardRouteName {
  return name !== 'login' && name !== 'signup';
}

const LOCATION_EVENT = 'gw:locationchange';

/** Moves to `to` (path plus optional query) without a page load; a no-op when already there. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (to === current) {
    return;
  }
  if (options.replace) {
    window.history.replaceState(null, '', to);
  } else {
    window.history.pushState(null, '', to);
    window.scrollTo?.(0, 0);
  }
  window.dispatchEvent(new Event(LOCATION_EVENT));
}

/** Subscribes to every location change: our own navigations and the browser's back/forward. */
export function subscribeToLocation(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(LOCATION_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(LOCATION_EVENT, listener);
  };
}

export interface ClickLike {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

/** A plain left click is handled in-app; modified clicks keep the browser's behaviour (new tab, download...). */
export function isPlainLeftClick(event: ClickLike): boolean {
  return (
    event.button === 0 &&
    !event.defaultPrevented &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}
