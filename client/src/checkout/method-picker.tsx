import { useEffect, useRef } from 'react';
import { CardIcon, UpiIcon } from './icons';

export type PaymentMethod = 'upi' | 'card';

interface MethodPickerProps {
  selected: PaymentMethod | null;
  onSelect: (method: PaymentMethod) => void;
  /** Focus the first method when the picker appears (after Try Again, so focus does not fall back to the page). */
  focusOnMount?: boolean;
}

const METHODS: { method: PaymentMethod; title: string; hint: string; Icon: typeof UpiIcon }[] = [
  { method: 'upi', title: 'UPI', hint: 'Any UPI app', Icon: UpiIcon },
  { method: 'card', title: 'Card', hint: 'Credit or debit card', Icon: CardIcon },
];

/** The two `payment-methods` buttons (CONTRACT §8); the chosen one is pressed. */
export function MethodPicker({ selected, onSelect, focusOnMount = false }: MethodPickerProps) {
  const firstRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusOnMount) firstRef.current?.focus();
  }, []); // only when the picker appears, not when focusOnMount changes later
  return (
    <section className="methods-section" aria-labelledby="methods-heading">
      <h2 className="section-heading" id="methods-heading">
        {selected ? 'Payment method' : 'Choose a payment method'}
      </h2>
      <div className="methods" data-test-id="payment-methods" role="group" aria-labelledby="methods-heading">
        {METHODS.map(({ method, title, hint, Icon }, index) => (
          <button
            key={method}
            ref={index === 0 ? firstRef : undefined}
            type="button"
            className="method"
            data-test-id={`method-${method}`}
            data-method={method}
            aria-pressed={selected === method}
            onClick={() => onSelect(method)}
          >
            <span className="method-icon">
              <Icon />
            </span>
            <span className="method-text">
              <span className="method-title">{title}</span>
              <span className="method-hint">{hint}</span>
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}
