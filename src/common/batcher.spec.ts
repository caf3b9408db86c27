import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('should run the calls of one tick as one batch and give each caller its own output', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher(async (inputs: number[]) => {
      batches.push(inputs);
      return inputs.map((n) => n * 10);
    });
    await expect(Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)])).resolves.toEqual([10, 20, 30]);
    await expect(batcher.add(4)).resolves.toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('should wait up to waitMs for more calls, and flush at once at maxSize', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher(
      async (inputs: string[]) => {
        batches.push(inputs);
        return inputs;
      },
      { waitMs: 30, maxSize: 3 },
    );
    const first = batcher.add('a');
    await sleep(5);
    const second = batcher.add('b');
    await Promise.all([first, second]);
    expect(batches).toEqual([['a', 'b']]);
    await Promise.all(['c', 'd', 'e', 'f'].map((x) => batcher.add(x)));
    expect(batches).toEqual([['a', 'b'], ['c', 'd', 'e'], ['f']]);
  });

  it('should reject every caller of a failed batch and keep working afterwards', async () => {
    let fail = true;
    const batcher = new Batcher(async (inputs: number[]) => {
      if (fail) throw new Error('database down');
      return inputs;
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add(3)).resolves.toBe(3);
  });
});
