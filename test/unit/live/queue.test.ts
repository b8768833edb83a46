import { describe, expect, it, vi } from 'vitest';
import { createEventQueue, mapEvents } from '../../../src/live/queue.js';

describe('createEventQueue', () => {
  it('delivers pushed values in order, to waiting and later pulls alike', async () => {
    const queue = createEventQueue<number>(() => undefined);
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    expect(await waiting).toEqual({ done: false, value: 1 });
    expect(await queue.next()).toEqual({ done: false, value: 2 });
    expect(queue.size).toBe(0);
  });

  it('return() releases a waiting pull at once and runs onClose once', async () => {
    const onClose = vi.fn();
    const queue = createEventQueue<number>(onClose);
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    await queue.return();
    queue.push(3);
    expect(await queue.next()).toEqual({ done: true, value: undefined });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('end() lets the consumer drain what is queued, then closes', async () => {
    const onClose = vi.fn();
    const queue = createEventQueue<string>(onClose);
    queue.push('last');
    queue.end();
    queue.push('ignored');
    expect(onClose).not.toHaveBeenCalled();
    const seen: string[] = [];
    for await (const value of queue) seen.push(value);
    expect(seen).toEqual(['last']);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('mapEvents maps values and forwards return() at once', async () => {
    const onClose = vi.fn();
    const queue = createEventQueue<number>(onClose);
    const mapped = mapEvents(queue, (n) => n * 10);
    queue.push(4);
    expect(await mapped.next()).toEqual({ done: false, value: 40 });
    const waiting = mapped.next();
    await mapped.return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
