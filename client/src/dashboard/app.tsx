import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../shared/api';
import { authApi, dashboardApi, describeError, UNAUTHORIZED_EVENT } from './dashboard-api';
import { Layout, Logo } from './components/layout';
import { useLocation } from './components/link';
import { Spinner } from './components/ui';
import { DocsPage } from './pages/docs-page';
import { LoginPage } from './pages/login-page';
import { OverviewPage } from './pages/overview-page';
import { RefundsPage } from './pages/refunds-page';
import { SignupPage } from './pages/signup-page';
import { TransactionsPage } from './pages/transactions-page';
import { WebhooksPage } from './pages/webhooks-page';
import { matchRoute, navigate, requiresSession, ROUTE_PATHS, type DashboardRouteName } from './router';
import type { MerchantProfile } from './types';

type Session =
  { state: 'checking' } | { state: 'ready'; merchant: MerchantProfile } | { state: 'error'; error: unknown };

function Page({ route, merchant }: { route: DashboardRouteName; merchant: MerchantProfile }) {
  switch (route) {
    case 'transactions':
      return <TransactionsPage />;
    case 'refunds':
      return <RefundsPage />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'docs':
      return <DocsPage merchant={merchant} />;
    case 'overview':
      return <OverviewPage merchant={merchant} />;
  }
}

function FullPageMessage({ children }: { children: ReactNode }) {
  return (
    <div className="full-page">
      <Logo />
      {children}
    </div>
  );
}

export function App() {
  const { pathname } = useLocation();
  const match = matchRoute(pathname);
  const route = match.kind === 'route' ? match.name : undefined;
  const needsSession = route !== undefined && requiresSession(route);
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const [loggingOut, setLoggingOut] = useState(false);

  const redirectTo = match.kind === 'redirect' ? match.to : undefined;
  useEffect(() => {
    if (redirectTo) {
      navigate(redirectTo, { replace: true });
    }
  }, [pathname, redirectTo]);

  // Any 401 from a dashboard call means the session ended (expired, logged out elsewhere, keys changed).
  useEffect(() => {
    const onUnauthorized = () => {
      setSession({ state: 'checking' });
      navigate(ROUTE_PATHS.login, { replace: true });
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);

  // The session is checked on entering every dashboard page; only the first check blocks the screen.
  useEffect(() => {
    if (!needsSession) {
      return;
    }
    let current = true;
    void dashboardApi.me().then(
      (merchant) => current && setSession({ state: 'ready', merchant }),
      (error: unknown) => {
        if (!current || (error instanceof ApiError && error.status === 401)) {
          return;
        }
        setSession((previous) => (previous.state === 'ready' ? previous : { state: 'error', error }));
      },
    );
    return () => {
      current = false;
    };
  }, [needsSession, pathname, attempt]);

  const enter = useCallback((merchant: MerchantProfile) => {
    setSession({ state: 'ready', merchant });
    navigate(ROUTE_PATHS.overview);
  }, []);

  const logout = async () => {
    setLoggingOut(true);
    try {
      await authApi.logout();
    } catch {
      // The cookie may already be gone; the user asked to leave either way.
    }
    setLoggingOut(false);
    setSession({ state: 'checking' });
    navigate(ROUTE_PATHS.login);
  };

  if (route === undefined) {
    return null;
  }
  if (!requiresSession(route)) {
    return route === 'login' ? <LoginPage onLoggedIn={enter} /> : <SignupPage onSignedUp={enter} />;
  }
  if (session.state === 'checking') {
    return (
      <FullPageMessage>
        <Spinner label="Loading your dashboard" />
        <p className="muted">Loading your dashboard…</p>
      </FullPageMessage>
    );
  }
  if (session.state === 'error') {
    return (
      <FullPageMessage>
        <p className="full-page-title">We couldn't load your account</p>
        <p className="muted">{describeError(session.error)}</p>
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setSession({ state: 'checking' });
            setAttempt((count) => count + 1);
          }}
        >
          Try again
        </button>
      </FullPageMessage>
    );
  }
  return (
    <Layout route={route} merchant={session.merchant} loggingOut={loggingOut} onLogout={() => void logout()}>
      <Page route={route} merchant={session.merchant} />
    </Layout>
  );
}
