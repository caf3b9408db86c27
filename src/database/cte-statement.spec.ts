import { describe, expect, it } from '@jest/globals';
import { CteStatement, valuesTable, whenWritten } from './cte-statement.js';

describe('CteStatement', () => {
  it('should join the parts as CTEs and renumber each part’s parameters after the previous ones', () => {
    const statement = new CteStatement();
    statement.add('a', 'INSERT INTO t (x, y) VALUES ($1, $2) RETURNING id', ['x', 'y']);
    statement.add('b', 'UPDATE u SET z = $1 WHERE id = $2 AND EXISTS (SELECT 1 FROM a)', [3, 'id']);
    statement.add('c', 'INSERT INTO v (w) VALUES ($1), ($1)', [true]);
    expect(statement.build('SELECT * FROM a')).toEqual({
      sql:
        'WITH a AS (INSERT INTO t (x, y) VALUES ($1, $2) RETURNING id),\n' +
        'b AS (UPDATE u SET z = $3 WHERE id = $4 AND EXISTS (SELECT 1 FROM a)),\n' +
        'c AS (INSERT INTO v (w) VALUES ($5), ($5))\n' +
        'SELECT * FROM a',
      params: ['x', 'y', 3, 'id', true],
    });
  });

  it('should renumber multi-digit parameters', () => {
    const statement = new CteStatement();
    statement.add(
      'a',
      'SELECT $1',
      Array.from({ length: 1 }, () => 0),
    );
    statement.add('b', `SELECT ${Array.from({ length: 12 }, (_v, i) => `$${i + 1}`).join(', ')}`, new Array(12));
    expect(statement.build('SELECT 1').sql).toContain(
      'b AS (SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
    );
  });

  it('should be a plain statement without parts', () => {
    expect(new CteStatement().build('SELECT 1')).toEqual({ sql: 'SELECT 1', params: [] });
  });

  it('should refuse duplicate or unsafe names', () => {
    const statement = new CteStatement();
    statement.add('a', 'SELECT 1');
    expect(() => statement.add('a', 'SELECT 2')).toThrow(/duplicate/);
    expect(() => statement.add('x; DROP TABLE t', 'SELECT 2')).toThrow(/invalid/);
    expect(statement.has('a')).toBe(true);
    expect(statement.has('b')).toBe(false);
  });
});

describe('whenWritten', () => {
  it('should test that a CTE returned a row, or be true without one', () => {
    expect(whenWritten('settled')).toBe('EXISTS (SELECT 1 FROM settled)');
    expect(whenWritten(undefined)).toBe('true');
    expect(() => whenWritten('a) OR (true')).toThrow(/invalid/);
  });
});

describe('valuesTable', () => {
  it('should number one parameter per value, row by row, after the offset, with the casts', () => {
    expect(
      valuesTable(
        'e',
        ['id', 'body'],
        ['uuid', ''],
        [
          ['a', '{"x":"y"}'],
          ['b', 'z'],
        ],
        1,
      ),
    ).toEqual({
      sql: '(VALUES ($2::uuid, $3), ($4::uuid, $5)) AS e(id, body)',
      params: ['a', '{"x":"y"}', 'b', 'z'],
    });
  });
});
