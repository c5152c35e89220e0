// The room display through real HTTP requests on loopback: the page and its headers, the same
// 404 for every wrong path and token, the live stream of the timer's view on a fake clock, and
// the limits on open streams.
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomHub } from '../../../src/adapters/http/room-hub.js';
import { roomRoutes, TEAMS_FRAME_ANCESTORS } from '../../../src/adapters/http/room-route.js';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import { plainText, replyCard } from '../../../src/core/cards.js';
import type { RoomView } from '../../../src/core/timer/room-view.js';
import { createHarness, type Harness } from '../../support/harness.js';
import { openSse, type SseClient, type SseEvent } from '../../support/sse-client.js';

const MIN = 60_000;
let h: Harness;
let hub: RoomHub;
let server: Server;
let base: string;
let path: string;
const open: SseClient[] = [];

beforeEach(async () => {
  h = createHarness(['console:coord'], undefined, { publicUrl: 'https://balint.example.edu' });
  await h.start();
  await h.run('coord', 'group create PA Cohort A program PA preset 60');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @ann');
  hub = new RoomHub({
    timers: h.services.timers,
    clock: h.clock,
    logger: h.services.logger,
    maxPerChannel: 2,
    maxTotal: 3,
  });
  server = createHttpServer(roomRoutes(h.services.rooms, hub, h.services.logger), h.services.logger);
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  const link = /https:\/\/balint\.example\.edu(\/room\/\S+)/.exec(
    plainText(replyCard((await h.run('lee', 'room'))[0]!)),
  );
  path = link?.[1] ?? '';
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  hub.stop();
  await new Promise((r) => server.close(r));
});

async function stream(url = `${base}${path}/events`): Promise<SseClient> {
  const c = await openSse(url);
  open.push(c);
  return c;
}
const viewOf = (e: SseEvent) => (JSON.parse(e.data) as { view: RoomView }).view;
const isView = (test: (v: RoomView) => boolean) => (e: SseEvent) => e.event === 'view' && test(viewOf(e));

describe('the room page', () => {
  it('is served under its token with a strict, Teams-only framing policy and no caching', async () => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`${path.split('/')[2]}/room.js`);
    expect(html).not.toMatch(/https?:\/\//);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`frame-ancestors 'self' ${TEAMS_FRAME_ANCESTORS.join(' ')}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    for (const file of ['room.js', 'room.css', 'teams.js']) {
      const asset = await fetch(`${base}${path}/${file}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('serves the Teams tab setup page and the Teams client from this server, with the same headers', async () => {
    for (const p of ['/room-setup', '/room-setup/setup.js', '/room-setup/teams.js', '/room-setup/room.css']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain('frame-ancestors');
      await res.arrayBuffer();
    }
    const html = await (await fetch(`${base}/room-setup`)).text();
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('answers every wrong path and token, and a reset link, with the same 404', async () => {
    const old = path;
    const reset = plainText(replyCard((await h.run('lee', 'room reset'))[0]!));
    path = /https:\/\/balint\.example\.edu(\/room\/\S+)/.exec(reset)?.[1] ?? '';
    expect(path).not.toBe(old);
    const answers = await Promise.all(
      [
        old,
        `${old}/room.js`,
        `${old}/events`,
        '/room/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '/room/short',
        `${path}/nothing`,
        `${path}/`,
        '/nowhere',
      ].map(async (p) => {
        const res = await fetch(`${base}${p}`);
        return { status: res.status, body: await res.text(), headers: [...res.headers].filter(([k]) => k !== 'date') };
      }),
    );
    for (const a of answers) expect(a).toEqual(answers.at(-1));
    // Neither a valid token nor a guessed one reaches a log line.
    const canary = `cnry${'x'.repeat(28)}`;
    expect((await fetch(`${base}/room/${canary}`)).status).toBe(404);
    expect((await fetch(`${base}${path}/events?${canary}`)).status).toBe(200);
    const logged = h.logs.lines.join('\n');
    for (const secret of [canary, old.split('/')[2], path.split('/')[2]]) expect(logged).not.toContain(secret);
    expect(answers[0]?.status).toBe(404);
    expect((await fetch(`${base}${path}`)).status).toBe(200);
  });
});

describe('the live stream', () => {
  it('pushes each change of the timer: none, the case call, a move on, the wrap up by the clock, pause, the end', async () => {
    const c = await stream();
    expect(c.status).toBe(200);
    await c.next(isView((v) => v.status === 'none'));
    const startedAt = h.clock.now();
    await h.run('lee', 'start');
    const call = viewOf(await c.next(isView((v) => v.phase === 'case-call')));
    expect(call.countsUpFrom).toBe(startedAt);
    expect(call.deadline).toBeUndefined();
    await h.run('lee', 'next');
    const presentation = viewOf(await c.next(isView((v) => v.phase === 'presentation')));
    expect(presentation.deadline).toBeUndefined();
    await h.clock.advance(55 * MIN + 10);
    const wrap = viewOf(await c.next(isView((v) => v.phase === 'wrap-up')));
    expect(wrap.deadline).toBe(startedAt + 60 * MIN);
    await h.run('lee', 'pause');
    const paused = viewOf(await c.next(isView((v) => v.paused)));
    expect(paused.msLeft).toBeGreaterThan(4 * MIN);
    await h.run('lee', 'end');
    await c.next(isView((v) => v.ended));
    const everything = c.events.map((e) => e.data).join('\n');
    expect(everything).not.toMatch(/PA Cohort|lee|ann|console:/);
  });

  it('bounds open streams per channel and in all', async () => {
    await stream();
    await stream();
    const third = await stream();
    expect(third.status).toBe(503);
    expect(hub.openStreams).toBe(2);
  });
});
