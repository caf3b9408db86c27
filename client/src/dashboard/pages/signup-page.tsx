import { useEffect, useState, type FormEvent } from 'react';
import { authApi, describeError } from '../dashboard-api';
import { Link } from '../components/link';
import { Logo } from '../components/layout';
import { ROUTE_PATHS } from '../router';
import type { MerchantProfile } from '../types';

export function SignupPage({ onSignedUp }: { onSignedUp: (merchant: MerchantProfile) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  useEffect(() => {
    document.title = 'Sign up';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await authApi.signup(name, email, password);
      // The signup response also carries both secrets; only the profile is kept in memory.
      onSignedUp({
        id: created.id,
        name: created.name,
        email: created.email,
        api_key: created.api_key,
        webhook_url: created.webhook_url,
        created_at: created.created_at,
      });
    } catch (caught) {
      setError(describeError(caught));
      setSubmitting(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="auth-brand">
        <Logo />
      </div>
      <div className="auth-card">
        <h1>Create your account</h1>
        <p className="auth-subtitle">Get test API keys and start accepting UPI and card payments.</p>
        {/* The API validates (and words the errors); browser validation would hide its messages. */}
        <form data-test-id="signup-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
          <label className="field">
            <span className="field-label">Business name</span>
            <input
              data-test-id="name-input"
              type="text"
              name="name"
              autoComplete="organization"
              placeholder="Acme Inc."
              value={name}
              onChange={(event) => setName(event.target.value)}
              required
              autoFocus
            />
          </label>
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
            />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input
              data-test-id="password-input"
              type="password"
              name="password"
              autoComplete="new-password"
              aria-describedby="password-hint"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
            <span className="field-hint" id="password-hint">
              At least 8 characters.
            </span>
          </label>
          {error && (
            <div className="form-error" role="alert" data-test-id="signup-error">
              {error}
            </div>
          )}
          <button
            type="submit"
            className="button button-primary button-block"
            data-test-id="signup-button"
            disabled={submitting}
          >
            {submitting ? 'Creating account…' : 'Create account'}
          </button>
        </form>
      </div>
      <p className="auth-switch">
        Already have an account? <Link to={ROUTE_PATHS.login}>Log in</Link>
      </p>
    </div>
  );
}
