import { useEffect, useState, type ReactNode } from 'react';
import { ROUTE_PATHS, type RouteName } from '../router';
import type { MerchantProfile } from '../types';
import { Link } from './link';

const NAV_ITEMS: readonly { route: RouteName; label: string }[] = [
  { route: 'overview', label: 'Dashboard' },
  { route: 'transactions', label: 'Transactions' },
  { route: 'refunds', label: 'Refunds' },
  { route: 'webhooks', label: 'Webhooks' },
  { route: 'docs', label: 'Docs' },
];

export function Logo() {
  return (
    <span className="logo">
      <span className="logo-mark" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="18" height="18">
          <path d="M4 7.5 12 3l8 4.5v9L12 21l-8-4.5z" fill="none" stroke="currentColor" strokeWidth="2.2" />
          <path d="M12 12v9M12 12l8-4.5M12 12 4 7.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
      </span>
      <span className="logo-text">Gateway</span>
    </span>
  );
}

export function Layout(props: {
  route: RouteName;
  merchant: MerchantProfile;
  loggingOut: boolean;
  onLogout: () => void;
  children: ReactNode;
}) {
  const { route, merchant, loggingOut, onLogout, children } = props;
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route]);

  return (
    <div className="app-shell">
      <header className="topbar">
        <div className="topbar-inner">
          <Link to={ROUTE_PATHS.overview} className="brand" aria-label="Gateway dashboard home">
            <Logo />
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            aria-label={menuOpen ? 'Close menu' : 'Open menu'}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="menu-toggle-bars" aria-hidden="true" />
          </button>
          <nav id="main-nav" className={`main-nav${menuOpen ? ' main-nav-open' : ''}`} aria-label="Main">
            {NAV_ITEMS.map((item) => (
              <Link
                key={item.route}
                to={ROUTE_PATHS[item.route]}
                className={`nav-link${item.route === route ? ' nav-link-active' : ''}`}
                aria-current={item.route === route ? 'page' : undefined}
                data-test-id={`nav-${item.route}`}
              >
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="account">
            <span className="test-mode-pill" title="Every key this gateway issues is a test-mode key">
              Test mode
            </span>
            <span className="merchant-name" data-test-id="merchant-name" title={merchant.email}>
              {merchant.name}
            </span>
            <button
              type="button"
              className="button button-secondary button-small"
              data-test-id="logout-button"
              disabled={loggingOut}
              onClick={onLogout}
            >
              {loggingOut ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
