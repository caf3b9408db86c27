import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret, isEncrypted, keyId, safeEqual } from './crypto.js';

describe('secrets at rest', () => {
  const key = randomBytes(32);

  it('should round-trip with a random IV per value and the key id stored', () => {
    const a = encryptSecret('secret_test_xyz789', key);
    const b = encryptSecret('secret_test_xyz789', key);
    expect(a).not.toBe(b);
    expect(a.startsWith(`enc:v1:${keyId(key)}:`)).toBe(true);
    expect(a).not.toContain('secret_test_xyz789');
    expect(decryptSecret(a, [key])).toBe('secret_test_xyz789');
  });

  it('should decrypt with an older key during rotation and refuse unknown keys', () => {
    const old = randomBytes(32);
    const sealed = encryptSecret('whsec_abc', old);
    expect(decryptSecret(sealed, [key, old])).toBe('whsec_abc');
    expect(() => decryptSecret(sealed, [key])).toThrow(/no encryption key/);
  });

  it('should detect tampering', () => {
    const sealed = encryptSecret('value', key);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => decryptSecret(tampered, [key])).toThrow();
  });

  it('should pass plaintext legacy values through', () => {
    expect(isEncrypted('secret_test_xyz789')).toBe(false);
    expect(decryptSecret('secret_test_xyz789', [key])).toBe('secret_test_xyz789');
  });

  it('should compare in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
