import { LockIcon } from './icons';

interface PayButtonProps {
  amountLabel: string;
  submitting: boolean;
}

/** Submit button of both forms; its text is exactly `Pay ₹500.00` (CONTRACT §8), even while submitting. */
export function PayButton({ amountLabel, submitting }: PayButtonProps) {
  return (
    <button type="submit" className="pay-button" data-test-id="pay-button" disabled={submitting} aria-busy={submitting}>
      <LockIcon className="pay-button-icon" />
      <span>{`Pay ${amountLabel}`}</span>
    </button>
  );
}
