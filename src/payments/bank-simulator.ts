import type { TestOutcome } from './payment-request.js';
import type { PaymentMethod } from './payment.entity.js';

export interface BankSettings {
  testMode: boolean;
  testPaymentSuccess: boolean;
  testProcessingDelayMs: number;
  processingDelayMinMs: number;
  processingDelayMaxMs: number;
  upiSuccessRate: number;
  cardSuccessRate: number;
}

/** Bank latency: TEST_PROCESSING_DELAY in test mode, else uniform in [min, max]. */
export function bankLatencyMs(settings: BankSettings, random: () => number = Math.random): number {
  if (settings.testMode) return settings.testProcessingDelayMs;
  const { processingDelayMinMs: min, processingDelayMaxMs: max } = settings;
  return Math.round(min + random() * (max - min));
}

/**
 * The outcome precedence table of CONTRACT §6, first matching row wins. `testOutcome` is already null
 * in production (test instruments are ignored there).
 */
export function decideOutcome(
  settings: BankSettings,
  method: PaymentMethod,
  testOutcome: TestOutcome | null,
  random: () => number = Math.random,
): TestOutcome {
  if (settings.testMode && !settings.testPaymentSuccess) return 'failed';
  if (testOutcome) return testOutcome;
  if (settings.testMode) return 'success';
  const rate = method === 'upi' ? settings.upiSuccessRate : settings.cardSuccessRate;
  return random() < rate ? 'success' : 'failed';
}
