import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PageInfo } from '../paging';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function PageHeader({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children?: ReactNode;
}) {
  useEffect(() => {
    // The page title is the tab title too (CONTRACT §10 names the docs page "Integration Guide").
    document.title = title;
  }, [title]);
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {children && <div className="page-header-actions">{children}</div>}
    </header>
  );
}

export function ErrorBanner({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="banner banner-error" role="alert">
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <span className="banner-text">{message}</span>
      {onRetry && (
        <button type="button" className="button button-secondary button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({ tone, children }: { tone: 'success' | 'error' | 'info'; children: ReactNode }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <span className="banner-icon" aria-hidden="true">
        {tone === 'success' ? '✓' : tone === 'error' ? '!' : 'i'}
      </span>
      <span className="banner-text">{children}</span>
    </div>
  );
}

export function EmptyState({ title, hint }: { title: string; hint?: ReactNode }) {
  return (
    <div className="empty-state">
      <div className="empty-state-art" aria-hidden="true" />
      <p className="empty-state-title">{title}</p>
      {hint && <p className="empty-state-hint">{hint}</p>}
    </div>
  );
}

/** Placeholder rows shaped like the table that is loading; carries none of the table's test ids. */
export function SkeletonTable({ headers, rows = 8 }: { headers: readonly string[]; rows?: number }) {
  return (
    <div className="table-scroll" aria-busy="true">
      <table className="data-table skeleton-table" aria-label="Loading">
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header}>{header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, row) => (
            <tr key={row}>
              {headers.map((header, column) => (
                <td key={header}>
                  <span className="skeleton" style={{ width: `${50 + ((row * 7 + column * 13) % 40)}%` }} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SkeletonBlock({ height }: { height: number }) {
  return <div className="skeleton skeleton-block" style={{ height }} aria-hidden="true" />;
}

/** `page-prev` / `page-next` with a "1–100 of 250" summary; disabled while the page loads. */
export function Pager({ info, busy, onPage }: { info?: PageInfo; busy: boolean; onPage: (page: number) => void }) {
  const summary = !info ? '' : info.total === 0 ? 'No results' : `${info.from}–${info.to} of ${info.total}`;
  return (
    <nav className="pager" aria-label="Pagination">
      <span className="pager-summary" aria-live="polite">
        {summary}
      </span>
      <div className="pager-buttons">
        <button
          type="button"
          className="button button-secondary button-small"
          data-test-id="page-prev"
          disabled={busy || !info?.hasPrev}
          onClick={() => info && onPage(info.page - 1)}
        >
          ← Previous
        </button>
        <span className="pager-page">{info ? `Page ${info.page} of ${info.pageCount}` : ''}</span>
        <button
          type="button"
          className="button button-secondary button-small"
          data-test-id="page-next"
          disabled={busy || !info?.hasNext}
          onClick={() => info && onPage(info.page + 1)}
        >
          Next →
        </button>
      </div>
    </nav>
  );
}

export interface FilterOption {
  value: string;
  label: string;
}

export function FilterSelect(props: {
  label: string;
  testId: string;
  value: string | undefined;
  options: readonly FilterOption[];
  onChange: (value: string | undefined) => void;
}) {
  const { label, testId, value, options, onChange } = props;
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select data-test-id={testId} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">All</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Clipboard API is missing on plain-http origins other than localhost.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = () => {
    void copyText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" className="button button-ghost button-small copy-button" data-test-id={testId} onClick={copy}>
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  );
}

/** A side panel over the page: Escape or the backdrop closes it, focus moves in and comes back afterwards. */
export function Drawer(props: {
  title: string;
  subtitle?: string;
  testId?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { title, subtitle, testId, onClose, children } = props;
  const panel = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const previousFocus = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        closeRef.current();
      }
    };
    document.addEventListener('keydown', onKey);
    document.body.classList.add('drawer-open');
    return () => {
      document.removeEventListener('keydown', onKey);
      document.body.classList.remove('drawer-open');
      previousFocus?.focus?.();
    };
  }, []);
  return (
    <div className="drawer-root">
      <div className="drawer-backdrop" onClick={onClose} />
      <div
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="drawer-title"
        data-test-id={testId}
        tabIndex={-1}
        ref={panel}
      >
        <div className="drawer-header">
          <div>
            <h2 id="drawer-title">{title}</h2>
            {subtitle && <p className="drawer-subtitle">{subtitle}</p>}
          </div>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="drawer-body">{children}</div>
      </div>
    </div>
  );
}

export function DetailList({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="detail-list">
      {items.map(([term, value]) => (
        <div className="detail-item" key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
