// The room display's live streams: for each channel with a page open, the timer's view is read
// from the store (never counted here) and pushed as a Server-Sent Event whenever it changes:
// after a change on this instance (TimerService.onChange), after a signal from another instance
// (Redis pub/sub or Postgres NOTIFY), at the current phase's deadline by this instance's own
// clock, and on a slow poll that covers a lost signal. Nothing in a message names a person.
import type { ServerResponse } from 'node:http';
import type { Place } from '../../core/plumbing/ids.js';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Cancel, Clock, Logger } from '../../core/ports.js';
import { NO_SESSION, roomView, type RoomView } from '../../core/timer/room-view.js';
import type { TimerService } from '../../core/timer/service.js';
import type { JobSignals } from '../lease/signals.js';

export interface RoomHubOptions {
  timers: TimerService;
  clock: Clock;
  logger: Logger;
  /** Simulated ms per real ms (1 but on a test clock): the page counts down at this rate. */
  clockRate?: number;
  /** Other instances' timer changes, by channel; publishes this instance's. */
  signals?: JobSignals;
  /** Open streams allowed per channel and in all. */
  maxPerChannel?: number;
  maxTotal?: number;
  /** Real ms between re-reads of every watched channel (the net under a lost signal). */
  pollMs?: number;
  /** Real ms between heartbeats (keeps proxies from closing the stream, refreshes the page's clock). */
  heartbeatMs?: number;
}

interface Watch {
  streams: Set<ServerResponse>;
  /** The last view sent, as sent. */
  json: string;
  /** The timer last seen here, so its end can still be shown after it leaves the channel. */
  timerId?: string;
  deadline?: Cancel;
  reading?: Promise<void>;
  again?: boolean;
}

export class RoomHub {
  private readonly watches = new Map<Place, Watch>();
  private total = 0;
  private readonly poll: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  readonly maxPerChannel: number;
  readonly maxTotal: number;

  constructor(private readonly options: RoomHubOptions) {
    this.maxPerChannel = options.maxPerChannel ?? 50;
    this.maxTotal = options.maxTotal ?? 1_000;
    options.timers.onChange((place) => {
      void this.refresh(place);
      options.signals?.publish(place);
    });
    this.poll = setInterval(() => this.refreshAll(), options.pollMs ?? 5_000);
    this.poll.unref();
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** Listens for other instances' changes; call once. */
  async listen(): Promise<void> {
    await this.options.signals?.subscribe(
      (place) => void this.refresh(place),
      () => this.refreshAll(),
    );
  }

  get openStreams(): number {
    return this.total;
  }

  /** Whether one more stream may open for `place`. */
  hasRoom(place: Place): boolean {
    return this.total < this.maxTotal && (this.watches.get(place)?.streams.size ?? 0) < this.maxPerChannel;
  }

  /** Starts an event stream on `res` (the caller checked `hasRoom`), sends the view at once. */
  async open(place: Place, res: ServerResponse): Promise<void> {
    let watch = this.watches.get(place);
    if (!watch) {
      watch = { streams: new Set(), json: '' };
      this.watches.set(place, watch);
    }
    watch.streams.add(res);
    this.total++;
    res.on('close', () => this.drop(place, res));
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    // The page reconnects by itself after a second when the stream drops.
    res.write('retry: 1000\n\n');
    if (watch.json) this.send(res, watch.json);
    else await this.refresh(place);
  }

  /** Re-reads the channel's timer; pushes the view to its pages if it changed. */
  refresh(place: Place): Promise<void> {
    const watch = this.watches.get(place);
    if (!watch) return Promise.resolve();
    // One read at a time per channel; a change during a read gets one more read after it.
    if (watch.reading) {
      watch.again = true;
      return watch.reading;
    }
    watch.reading = (async () => {
      do {
        watch.again = false;
        try {
          await this.read(place, watch);
        } catch (error) {
          this.options.logger.warn('room.read-failed', { code: errorCode(error) });
        }
      } while (watch.again);
      watch.reading = undefined;
    })();
    return watch.reading;
  }

  stop(): void {
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    for (const [, watch] of this.watches) {
      watch.deadline?.();
      for (const res of watch.streams) res.end();
    }
    this.watches.clear();
    this.total = 0;
  }

  private async read(place: Place, watch: Watch): Promise<void> {
    const { timers, clock } = this.options;
    const running = await timers.inChannel(place);
    const timer = running ?? (watch.timerId ? await timers.get(watch.timerId) : undefined);
    if (running) watch.timerId = running.id;
    // Every page left while the store was read: nothing to arm, nobody to tell.
    if (this.watches.get(place) !== watch) return;
    const now = clock.now();
    const view: RoomView = timer ? roomView(timers.stateOf(timer), now) : NO_SESSION;
    const json = JSON.stringify(view);
    watch.deadline?.();
    watch.deadline = undefined;
    // The phase ends by the clock: read again then, whichever instance runs the timer's jobs.
    if (view.deadline !== undefined) watch.deadline = clock.at(view.deadline + 1, () => void this.refresh(place));
    if (json === watch.json) return;
    watch.json = json;
    for (const res of watch.streams) this.send(res, json);
  }

  private send(res: ServerResponse, viewJson: string): void {
    res.write(`event: view\ndata: {"now":${this.options.clock.now()},"rate":${this.rate()},"view":${viewJson}}\n\n`);
  }

  private beat(): void {
    const message = `event: clock\ndata: {"now":${this.options.clock.now()},"rate":${this.rate()}}\n\n`;
    for (const [, watch] of this.watches) for (const res of watch.streams) res.write(message);
  }

  private rate(): number {
    return this.options.clockRate ?? 1;
  }

  private refreshAll(): void {
    for (const place of this.watches.keys()) void this.refresh(place);
  }

  private drop(place: Place, res: ServerResponse): void {
    const watch = this.watches.get(place);
    if (!watch?.streams.delete(res)) return;
    this.total--;
    if (watch.streams.size === 0) {
      watch.deadline?.();
      this.watches.delete(place);
    }
  }
}
