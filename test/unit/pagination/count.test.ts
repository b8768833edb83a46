import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { countItems } from '../../../src/pagination/index.js';
import { createMemorySource, ids } from '../../helpers/memory-source.js';

describe('countItems', () => {
  it('counts every item of every stream, reading each page once', async () => {
    const memory = createMemorySource({
      streams: [ids(137), [], ids(3, 'b')],
      emptyAfter: [0],
      trailingEmpty: true,
    });
    expect(await countItems(memory.source)).toBe(140);
    expect(memory.calls).toEqual([
      [0, null],
      [0, 's0:p1:@50:empty'],
      [0, 's0:p1:@50'],
      [0, 's0:p2:@100'],
      [0, 's0:p3:@137:empty'],
      [1, null],
      [1, 's1:p1:@0:empty'],
      [2, null],
      [2, 's2:p1:@3:empty'],
    ]);
  });

  it('counts only items that pass the filter', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const filter = (id: string) => id.endsWith('7');
    expect(await countItems(memory.source, { filter })).toBe(13);
  });

  it('counts up to the bound and throws SCAN_LIMIT_EXCEEDED naming the bound past it', async () => {
    const memory = createMemorySource({ streams: [ids(1000)] });
    expect(await countItems(memory.source, { scanBound: 1000 })).toBe(1000);
    await expect(countItems(memory.source, { scanBound: 999 })).rejects.toMatchObject({
      code: ErrorCode.SCAN_LIMIT_EXCEEDED,
      message: expect.stringContaining('more than 999 items (the scan bound)'),
    });
  });
});
