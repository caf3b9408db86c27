import { describe, expect, it } from '@jest/globals';
import { isBlockedAddress, resolvesToPublicAddresses } from './ssrf-guard.js';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '100.64.0.1',
  ])('should block %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111'])('should allow %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('resolvesToPublicAddresses', () => {
  it('should refuse loopback hosts and literal private IPs', async () => {
    expect(await resolvesToPublicAddresses('http://localhost:4000/webhook')).toBe(false);
    expect(await resolvesToPublicAddresses('http://127.0.0.1/webhook')).toBe(false);
    expect(await resolvesToPublicAddresses('http://[::1]/webhook')).toBe(false);
  });

  it('should accept a literal public IP without DNS', async () => {
    expect(await resolvesToPublicAddresses('https://8.8.8.8/webhook')).toBe(true);
  });
});
