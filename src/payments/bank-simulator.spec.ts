import { describe, expect, it } from '@jest/globals';
import { type BankSettings, bankLatencyMs, decideOutcome } from './bank-simulator.js';

const live: BankSettings = {
  testMode: false,
  testPaymentSuccess: true,
  testProcessingDelayMs: 1000,
  processingDelayMinMs: 5000,
  processingDelayMaxMs: 10000,
  upiSuccessRate: 0.9,
  cardSuccessRate: 0.95,
};
const testMode: BankSettings = { ...live, testMode: true };

describe('decideOutcome', () => {
  it('should fail everything in test mode with TEST_PAYMENT_SUCCESS=false, test instruments included (row 1)', () => {
    const sut = { ...testMode, testPaymentSuccess: false };
    expect(decideOutcome(sut, 'upi', 'success')).toBe('failed');
    expect(decideOutcome(sut, 'card', null)).toBe('failed');
  });

  it('should follow the test instrument before test mode and rates (row 2)', () => {
    expect(decideOutcome(testMode, 'upi', 'failed')).toBe('failed');
    expect(decideOutcome(live, 'card', 'success', () => 0.999)).toBe('success');
    expect(decideOutcome(live, 'card', 'failed', () => 0)).toBe('failed');
  });

  it('should succeed in test mode without a test instrument (row 3)', () => {
    expect(decideOutcome(testMode, 'card', null, () => 0.999)).toBe('success');
  });

  it('should use the per-method success rate otherwise (row 4)', () => {
    expect(decideOutcome(live, 'upi', null, () => 0.89)).toBe('success');
    expect(decideOutcome(live, 'upi', null, () => 0.9)).toBe('failed');
    expect(decideOutcome(live, 'card', null, () => 0.94)).toBe('success');
    expect(decideOutcome(live, 'card', null, () => 0.95)).toBe('failed');
  });
});

describe('bankLatencyMs', () => {
  it('should use the fixed test delay in test mode', () => {
    expect(bankLatencyMs(testMode, () => 0.5)).toBe(1000);
  });

  it('should be uniform between min and max otherwise', () => {
    expect(bankLatencyMs(live, () => 0)).toBe(5000);
    expect(bankLatencyMs(live, () => 0.5)).toBe(7500);
    expect(bankLatencyMs(live, () => 0.999999)).toBe(10000);
  });
});
