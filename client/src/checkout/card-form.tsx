import { useEffect, useLayoutEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { cleanCardNumber, detectCardNetwork } from '../../../src/payments/instruments';
import {
  caretAfterDigits,
  cardNetworkLabel,
  digitsBeforeCaret,
  formatCardNumber,
  formatCvvInput,
  formatExpiryInput,
} from './card-input';
import type { CardPaymentRequest } from './checkout-api';
import { describedBy, Field } from './field';
import { CardIcon } from './icons';
import { PayButton } from './pay-button';
import {
  buildCardPaymentRequest,
  EMPTY_CARD_FIELDS,
  validateCardFields,
  type CardFieldErrors,
  type CardFields,
} from './payment-form';

interface CardFormProps {
  orderId: string;
  amountLabel: string;
  submitting: boolean;
  onSubmit: (request: CardPaymentRequest) => void;
}

export function CardForm({ orderId, amountLabel, submitting, onSubmit }: CardFormProps) {
  const [fields, setFields] = useState<CardFields>(EMPTY_CARD_FIELDS);
  const [errors, setErrors] = useState<CardFieldErrors>({});
  const refs = {
    number: useRef<HTMLInputElement>(null),
    expiry: useRef<HTMLInputElement>(null),
    cvv: useRef<HTMLInputElement>(null),
    holderName: useRef<HTMLInputElement>(null),
  };
  const pendingNumberCaret = useRef<number | null>(null);

  const network = detectCardNetwork(cleanCardNumber(fields.number));
  const networkLabel = cardNetworkLabel(network);
  const isAmex = network === 'amex';

  useEffect(() => refs.number.current?.focus(), []);

  // Reformatting the card number replaces the input's value; put the caret back after the same digit.
  useLayoutEffect(() => {
    const input = refs.number.current;
    const caret = pendingNumberCaret.current;
    pendingNumberCaret.current = null;
    if (input && caret !== null && document.activeElement === input) input.setSelectionRange(caret, caret);
  }, [fields.number]);

  function update(name: keyof CardFields, value: string): void {
    const next = { ...fields, [name]: value };
    setFields(next);
    // Once a field shows an error, re-check it on every keystroke so the message goes away as soon as it is fixed.
    if (errors[name]) setErrors({ ...errors, [name]: validateCardFields(next)[name] });
  }

  function revalidateOnBlur(name: keyof CardFields): void {
    if (fields[name].trim() === '') return;
    setErrors({ ...errors, [name]: validateCardFields(fields)[name] });
  }

  function handleNumberChange(event: ChangeEvent<HTMLInputElement>): void {
    const input = event.target;
    const formatted = formatCardNumber(input.value);
    pendingNumberCaret.current = caretAfterDigits(
      formatted,
      digitsBeforeCaret(input.value, input.selectionStart ?? input.value.length),
    );
    update('number', formatted);
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (submitting) return;
    // Inline errors are advice only: the server decides, and a rejection shows its description (CONTRACT §8).
    onSubmit(buildCardPaymentRequest(orderId, fields));
  }

  return (
    <form
      className="payment-form"
      data-test-id="card-form"
      noValidate
      onSubmit={handleSubmit}
      aria-label="Pay with card"
    >
      <fieldset className="form-fields" disabled={submitting}>
        <Field id="card-number" label="Card number" error={errors.number}>
          <div className="input-with-adornment">
            <input
              ref={refs.number}
              id="card-number"
              className="input input--card-number"
              data-test-id="card-number-input"
              type="text"
              name="cardnumber"
              inputMode="numeric"
              autoComplete="cc-number"
              placeholder="1234 5678 9012 3456"
              spellCheck={false}
              required
              value={fields.number}
              aria-invalid={errors.number ? true : undefined}
              aria-describedby={`${describedBy('card-number', errors.number)} card-network`}
              onChange={handleNumberChange}
              onBlur={() => revalidateOnBlur('number')}
            />
            <span className="input-adornment" id="card-network">
              {networkLabel ? (
                <span className={`network-badge network-badge--${network}`}>{networkLabel}</span>
              ) : (
                <CardIcon className="input-adornment-icon" />
              )}
            </span>
          </div>
        </Field>
        <div className="field-row">
          <Field id="card-expiry" label="Expiry" error={errors.expiry}>
            <input
              ref={refs.expiry}
              id="card-expiry"
              className="input"
              data-test-id="expiry-input"
              type="text"
              name="exp-date"
              inputMode="numeric"
              autoComplete="cc-exp"
              placeholder="MM/YY"
              spellCheck={false}
              required
              value={fields.expiry}
              aria-invalid={errors.expiry ? true : undefined}
              aria-describedby={describedBy('card-expiry', errors.expiry)}
              onChange={(event) => update('expiry', formatExpiryInput(event.target.value, fields.expiry))}
              onBlur={() => revalidateOnBlur('expiry')}
            />
          </Field>
          <Field id="card-cvv" label="CVV" error={errors.cvv}>
            <input
              ref={refs.cvv}
              id="card-cvv"
              className="input"
              data-test-id="cvv-input"
              type="password"
              name="cvc"
              inputMode="numeric"
              autoComplete="cc-csc"
              placeholder={isAmex ? '••••' : '•••'}
              maxLength={4}
              required
              value={fields.cvv}
              aria-invalid={errors.cvv ? true : undefined}
              aria-describedby={describedBy('card-cvv', errors.cvv)}
              onChange={(event) => update('cvv', formatCvvInput(event.target.value))}
              onBlur={() => revalidateOnBlur('cvv')}
            />
          </Field>
        </div>
        <Field id="card-name" label="Name on card" labelNote="Optional" error={errors.holderName}>
          <input
            ref={refs.holderName}
            id="card-name"
            className="input"
            data-test-id="cardholder-name-input"
            type="text"
            name="ccname"
            autoComplete="cc-name"
            autoCapitalize="words"
            spellCheck={false}
            placeholder="As printed on the card"
            maxLength={255}
            value={fields.holderName}
            aria-invalid={errors.holderName ? true : undefined}
            aria-describedby={describedBy('card-name', errors.holderName)}
            onChange={(event) => update('holderName', event.target.value)}
            onBlur={() => revalidateOnBlur('holderName')}
          />
        </Field>
      </fieldset>
      <PayButton amountLabel={amountLabel} submitting={submitting} />
    </form>
  );
}
