import { describe, expect, it } from '@jest/globals';
import { statementName } from './prepared.js';

describe('statementName', () => {
  it('should give the same SQL the same name and different SQL different names', () => {
    const a = statementName('SELECT * FROM payments WHERE id = $1');
    expect(statementName('SELECT * FROM payments WHERE id = $1')).toBe(a);
    expect(statementName('SELECT * FROM orders WHERE id = $1')).not.toBe(a);
  });

  it('should be a valid PostgreSQL identifier shorter than 64 bytes', () => {
    expect(statementName('SELECT 1')).toMatch(/^gw_[0-9a-f]{24}$/);
  });
});
