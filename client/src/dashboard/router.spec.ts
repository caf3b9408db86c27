import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { FALLBACK_PATH, isPlainLeftClick, matchRoute, navigate, requiresSession, subscribeToLocation } from './router';

describe('matchRoute', () => {
  it('should resolve every contract route', () => {
    expect(matchRoute('/login')).toEqual({ kind: 'route', name: 'login' });
    expect(matchRoute('/signup')).toEqual({ kind: 'route', name: 'signup' });
    expect(matchRoute('/dashboard')).toEqual({ kind: 'route', name: 'overview' });
    expect(matchRoute('/dashboard/transactions')).toEqual({ kind: 'route', name: 'transactions' });
    expect(matchRoute('/dashboard/refunds')).toEqual({ kind: 'route', name: 'refunds' });
    expect(matchRoute('/dashboard/webhooks')).toEqual({ kind: 'route', name: 'webhooks' });
    expect(matchRoute('/dashboard/docs')).toEqual({ kind: 'route', name: 'docs' });
  });

  it('should tolerate a trailing slash', () => {
    expect(matchRoute('/dashboard/')).toEqual({ kind: 'route', name: 'overview' });
    expect(matchRoute('/dashboard/refunds//')).toEqual({ kind: 'route', name: 'refunds' });
  });

  it('should redirect unknown client routes to the dashboard', () => {
    for (const path of ['/', '/dashboard/unknown', '/dashboard/transactions/pay_123', '/Dashboard', '/loginx']) {
      expect(matchRoute(path)).toEqual({ kind: 'redirect', to: FALLBACK_PATH });
    }
    expect(FALLBACK_PATH).toBe('/dashboard');
  });
});

describe('requiresSession', () => {
  it('should exempt only the auth pages', () => {
    expect(requiresSession('login')).toBe(false);
    expect(requiresSession('signup')).toBe(false);
    expect(requiresSession('overview')).toBe(true);
    expect(requiresSession('docs')).toBe(true);
  });
});

describe('navigate', () => {
  // jsdom does not implement scrolling.
  beforeAll(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
  });
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('should push a history entry and notify subscribers', () => {
    const listener = jest.fn();
    const unsubscribe = subscribeToLocation(listener);
    const before = window.history.length;

    navigate('/dashboard/refunds?status=pending');

    expect(window.location.pathname).toBe('/dashboard/refunds');
    expect(window.location.search).toBe('?status=pending');
    expect(window.history.length).toBe(before + 1);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it('should replace the entry when asked and do nothing when already there', () => {
    const listener = jest.fn();
    const unsubscribe = subscribeToLocation(listener);
    const before = window.history.length;

    navigate('/login', { replace: true });
    navigate('/login');

    expect(window.location.pathname).toBe('/login');
    expect(window.history.length).toBe(before);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it('should stop notifying after unsubscribe', () => {
    const listener = jest.fn();
    subscribeToLocation(listener)();
    navigate('/signup');
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('isPlainLeftClick', () => {
  const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };

  it('should accept an unmodified primary click', () => {
    expect(isPlainLeftClick(click)).toBe(true);
  });

  it('should leave modified, secondary and prevented clicks to the browser', () => {
    expect(isPlainLeftClick({ ...click, metaKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, ctrlKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, shiftKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, altKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...click, button: 1 })).toBe(false);
    expect(isPlainLeftClick({ ...click, defaultPrevented: true })).toBe(false);
  });
});
