// A small Server-Sent Events client over node:http, for tests and the room benchmark: collects
// each event with the real time it arrived.
import { get, type IncomingMessage } from 'node:http';

export interface SseEvent {
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event (from `from` on) that `test` accepts. */
  next(test: (e: SseEvent) => boolean, timeoutMs?: number, from?: number): Promise<SseEvent>;
  close(): void;
}

export function openSse(url: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const waiters = new Set<() => void>();
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const receivedAt = performance.timeOrigin + performance.now();
        rest += chunk;
        const blocks = rest.split('\n\n');
        rest = blocks.pop() ?? '';
        for (const block of blocks) {
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: data.join('\n'), receivedAt });
        }
        for (const wake of waiters) wake();
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        events,
        next(test, timeoutMs = 5_000, from = 0) {
          return new Promise((done, fail) => {
            const look = () => {
              const found = events.slice(from).find(test);
              if (!found) return;
              waiters.delete(look);
              clearTimeout(timer);
              done(found);
            };
            const timer = setTimeout(() => {
              waiters.delete(look);
              fail(new Error(`no matching event within ${timeoutMs} ms (had ${events.length})`));
            }, timeoutMs);
            waiters.add(look);
            look();
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
  });
}
