import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../shared/api';
import { authApi, describeError } from '../dashboard-api';
import { Link } from '../components/link';
import { Logo } from '../components/layout';
import { ROUTE_PATHS } from '../router';
import type { MerchantProfile } from '../types';

const INVALID_LOGIN = 'Invalid email or password';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (merchant: MerchantProfile) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  useEffect(() => {
    document.title = 'Log in';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      onLoggedIn(await authApi.login(email, password));
    } catch (caught) {
      // Wrong credentials (401) and malformed input (400) read the same to the user; other failures are real news.
      const credentialProblem = caught instanceof ApiError && (caught.status === 400 || caught.status === 401);
      setError(credentialProblem ? INVALID_LOGIN : describeError(caught));
      setSubmitting(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="auth-brand">
        <Logo />
      </div>
      <div className="auth-card">
        <h1>Log in to your account</h1>
        <p className="auth-subtitle">Manage payments, refunds and webhooks.</p>
        <form data-test-id="login-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
          <label className="field">
            <span className="field-label">Email</span>
            <input
              data-test-id="email-input"
              type="email"
              name="email"
              autoComplete="email"
              placeholder="you@company.com"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              required
              autoFocus
            />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input
              data-test-id="password-input"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
          </label>
          {error && (
            <div className="form-error" role="alert" data-test-id="login-error">
              {error}
            </div>
          )}
          <button
            type="submit"
            className="button button-primary button-block"
            data-test-id="login-button"
            disabled={submitting}
          >
            {submitting ? 'Logging in…' : 'Log in'}
          </button>
        </form>
      </div>
      <p className="auth-switch">
        Don't have an account? <Link to={ROUTE_PATHS.signup}>Sign up</Link>
      </p>
    </div>
  );
}
