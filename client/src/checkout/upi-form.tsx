import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { UpiPaymentRequest } from './checkout-api';
import { describedBy, Field } from './field';
import { PayButton } from './pay-button';
import { buildUpiPaymentRequest, validateVpaField } from './payment-form';

interface UpiFormProps {
  orderId: string;
  amountLabel: string;
  submitting: boolean;
  onSubmit: (request: UpiPaymentRequest) => void;
}

const HINT = 'The UPI ID linked to your bank account, e.g. username@bank';

export function UpiForm({ orderId, amountLabel, submitting, onSubmit }: UpiFormProps) {
  const [vpa, setVpa] = useState('');
  const [error, setError] = useState<string | undefined>();
  const inputRef = useRef<HTMLInputElement>(null);

  // The form appears because the shopper just picked UPI: put them straight into the field.
  useEffect(() => inputRef.current?.focus(), []);

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (submitting) return;
    // The inline hint is advice only: the server decides, and a rejection shows its description (CONTRACT §8).
    onSubmit(buildUpiPaymentRequest(orderId, vpa));
  }

  return (
    <form className="payment-form" data-test-id="upi-form" noValidate onSubmit={handleSubmit} aria-label="Pay with UPI">
      <fieldset className="form-fields" disabled={submitting}>
        <Field id="vpa" label="UPI ID" error={error} hint={HINT}>
          <input
            ref={inputRef}
            id="vpa"
            className="input"
            data-test-id="vpa-input"
            type="text"
            name="vpa"
            placeholder="username@bank"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            maxLength={255}
            required
            value={vpa}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy('vpa', error, HINT)}
            onChange={(event) => {
              setVpa(event.target.value);
              if (error) setError(validateVpaField(event.target.value));
            }}
            onBlur={() => {
              if (vpa.trim() !== '') setError(validateVpaField(vpa));
            }}
          />
        </Field>
      </fieldset>
      <PayButton amountLabel={amountLabel} submitting={submitting} />
    </form>
  );
}
