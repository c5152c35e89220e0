// The queue's in-memory view of pending jobs: one min-heap per kind, so the dispatcher can
// skip a kind that has used its share of slots without scanning that kind's backlog. Heaps
// are never searched: a cancelled or moved job leaves a dead entry that is dropped when met.
import { MinHeap } from './heap.js';
import type { Job } from './types.js';

interface Entry {
  job: Job;
  seq: number;
}

// Ties go to the earlier enqueue, so jobs due in the same millisecond keep their order.
const earlier = (a: Entry, b: Entry): boolean =>
  a.job.dueAt < b.job.dueAt || (a.job.dueAt === b.job.dueAt && a.seq < b.seq);

export class DueIndex {
  /** Key → the live entry; a heap entry that is not the live one is dead. */
  private readonly live = new Map<string, Entry>();
  private heaps = new Map<string, MinHeap<Entry>>();
  private heapItems = 0;
  /** Entries that came due while their key was still running, held until it finishes. */
  private readonly deferred = new Map<string, Entry>();
  private seq = 0;

  get size(): number {
    return this.live.size;
  }

  /** Bulk load: one linear heapify per kind, whatever the count. */
  load(jobs: Iterable<Job>): void {
    for (const job of jobs) this.live.set(job.idempotencyKey, { job, seq: this.seq++ });
    this.rebuild();
  }

  /** Adds or replaces the job under its key. */
  add(job: Job): void {
    const entry = { job, seq: this.seq++ };
    this.live.set(job.idempotencyKey, entry);
    this.heapFor(job.kind).push(entry);
    if (++this.heapItems > 2 * this.live.size + 1024) this.rebuild();
  }

  remove(key: string): void {
    this.live.delete(key);
    this.deferred.delete(key);
  }

  /** The earliest job among kinds `mayRun` accepts; it stays in the index. */
  earliest(mayRun: (kind: string) => boolean): Job | undefined {
    let best: Entry | undefined;
    for (const [kind, heap] of this.heaps) {
      if (!mayRun(kind)) continue;
      const entry = this.head(heap);
      if (entry && (!best || earlier(entry, best))) best = entry;
    }
    return best?.job;
  }

  /** Removes the job `earliest` just returned, for running it. */
  take(job: Job): void {
    this.popHead(job);
    this.live.delete(job.idempotencyKey);
  }

  /** Parks the job `earliest` just returned until `release` for its key. */
  defer(job: Job): void {
    const entry = this.popHead(job);
    if (entry) this.deferred.set(job.idempotencyKey, entry);
  }

  release(key: string): void {
    const entry = this.deferred.get(key);
    this.deferred.delete(key);
    if (entry && this.live.get(key) === entry) {
      this.heapFor(entry.job.kind).push(entry);
      this.heapItems++;
    }
  }

  private popHead(job: Job): Entry | undefined {
    const heap = this.heaps.get(job.kind);
    const entry = heap?.peek();
    if (!heap || entry?.job !== job) return undefined;
    heap.pop();
    this.heapItems--;
    return entry;
  }

  private head(heap: MinHeap<Entry>): Entry | undefined {
    for (let top = heap.peek(); top; top = heap.peek()) {
      if (this.live.get(top.job.idempotencyKey) === top) return top;
      heap.pop();
      this.heapItems--;
    }
    return undefined;
  }

  private heapFor(kind: string): MinHeap<Entry> {
    let heap = this.heaps.get(kind);
    if (!heap) this.heaps.set(kind, (heap = new MinHeap(earlier)));
    return heap;
  }

  private rebuild(): void {
    const byKind = new Map<string, Entry[]>();
    let count = 0;
    for (const [key, entry] of this.live) {
      if (this.deferred.get(key) === entry) continue;
      const list = byKind.get(entry.job.kind);
      if (list) list.push(entry);
      else byKind.set(entry.job.kind, [entry]);
      count++;
    }
    this.heaps = new Map([...byKind].map(([kind, list]) => [kind, new MinHeap(earlier, list)]));
    this.heapItems = count;
  }
}
