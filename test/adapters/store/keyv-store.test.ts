import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { unchanged, type Store } from '../../../src/core/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'balint-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends: Array<[string, () => Store]> = [
  ['memory', () => openStore('memory://')],
  ['sqlite', () => openStore(`sqlite://${join(dir, `s-${Math.random().toString(36).slice(2)}.sqlite`)}`)],
];

describe.each(backends)('the %s store', (_name, open) => {
  it('keeps documents per namespace', async () => {
    const store = open();
    await store.set('a', 'k', { n: 1 });
    await store.set('b', 'k', { n: 2 });
    expect(await store.get('a', 'k')).toEqual({ n: 1 });
    expect(await store.get('b', 'k')).toEqual({ n: 2 });
    expect(await store.get('a', 'missing')).toBeUndefined();
    expect(await store.delete('a', 'k')).toBe(true);
    expect(await store.delete('a', 'k')).toBe(false);
    expect(await store.get('a', 'k')).toBeUndefined();
    expect(await store.get('b', 'k')).toEqual({ n: 2 });
    await store.close();
  });

  it('iterates one namespace only', async () => {
    const store = open();
    for (let i = 0; i < 25; i++) await store.set('items', `k${i}`, { i });
    await store.set('other', 'x', { i: -1 });
    const seen: number[] = [];
    for await (const [, value] of store.entries<{ i: number }>('items')) seen.push(value.i);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    await store.close();
  });

  it('serialises concurrent updates of one document so none is lost', async () => {
    const store = open();
    await store.set('groups', 'g', { members: [] as number[] });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.update<{ members: number[] }>('groups', 'g', async (g) => {
          await new Promise((r) => setImmediate(r));
          return { members: [...(g?.members ?? []), i] };
        }),
      ),
    );
    const group = await store.get<{ members: number[] }>('groups', 'g');
    expect(group?.members.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await store.close();
  });

  it('leaves a document alone when the change says unchanged, and deletes on undefined', async () => {
    const store = open();
    await store.set('n', 'k', { v: 1 });
    expect(await store.update('n', 'k', () => unchanged)).toEqual({ v: 1 });
    expect(await store.get('n', 'k')).toEqual({ v: 1 });
    await store.update('n', 'k', () => undefined);
    expect(await store.get('n', 'k')).toBeUndefined();
    await store.close();
  });

  it('writes nothing when a change throws', async () => {
    const store = open();
    await store.set('n', 'k', { v: 1 });
    await expect(store.update('n', 'k', () => { throw new Error('no'); })).rejects.toThrow('no');
    expect(await store.get('n', 'k')).toEqual({ v: 1 });
    await store.close();
  });
});

describe('the sqlite store', () => {
  it('keeps its documents across a close and reopen', async () => {
    const url = `sqlite://${join(dir, 'nested', 'durable.sqlite')}`;
    const first = openStore(url);
    await first.set('groups', 'g1', { name: 'kept' });
    await first.close();
    const second = openStore(url);
    expect(await second.get('groups', 'g1')).toEqual({ name: 'kept' });
    await second.close();
  });

  it('refuses an unknown scheme', () => {
    expect(() => openStore('mysql://x')).toThrow();
  });
});
