import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { isPlainLeftClick, navigate, subscribeToLocation } from '../router';

export interface LocationState {
  pathname: string;
  search: string;
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/** The current path and query; re-renders on every in-app navigation and on back/forward. */
export function useLocation(): LocationState {
  const current = useSyncExternalStore(subscribeToLocation, snapshot);
  const queryStart = current.indexOf('?');
  return queryStart === -1
    ? { pathname: current, search: '' }
    : { pathname: current.slice(0, queryStart), search: current.slice(queryStart) };
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An ordinary `<a href>` (so it can be opened in a new tab) that navigates in-app on a plain click. */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (isPlainLeftClick(event) && !rest.target) {
      event.preventDefault();
      navigate(to);
    }
  };
  return (
    <a href={to} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
