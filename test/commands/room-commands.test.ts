// `/balint room` and `/balint room reset`: a private link per channel, replaced on reset.
import { describe, expect, it } from 'vitest';
import { replyCard, plainText } from '../../src/core/cards.js';
import { createHarness } from '../support/harness.js';

async function world(publicUrl?: string) {
  const h = createHarness(['console:coord'], undefined, publicUrl ? { publicUrl } : {});
  await h.start();
  await h.run('coord', 'group create PA Cohort A program PA');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @ann');
  return h;
}
const LINK = /https:\/\/balint\.example\.edu\/room\/([A-Za-z0-9_-]{32})/;

describe('room', () => {
  it('answers privately with one link per channel, the same on each ask, and reset makes the old one invalid', async () => {
    const h = await world('https://balint.example.edu');
    const [first] = await h.run('lee', 'room');
    expect(first?.visibility).toBe('ephemeral');
    const token = LINK.exec(plainText(replyCard(first!)))?.[1];
    expect(token).toBeDefined();
    expect(Buffer.from(token!, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const again = LINK.exec(plainText(replyCard((await h.run('coord', 'room PA Cohort A'))[0]!)))?.[1];
    expect(again).toBe(token);
    expect(await h.services.rooms.placeOf(token!)).toBe('console:#general');
    const fresh = LINK.exec(plainText(replyCard((await h.run('lee', 'room reset'))[0]!)))?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(token);
    expect(await h.services.rooms.placeOf(token!)).toBeUndefined();
    expect(await h.services.rooms.placeOf(fresh!)).toBe('console:#general');
  });

  it('says how to turn it on without BALINT_PUBLIC_URL, and refuses members', async () => {
    const h = await world();
    expect(plainText(replyCard((await h.run('lee', 'room'))[0]!))).toContain('BALINT_PUBLIC_URL');
    const h2 = await world('https://balint.example.edu');
    const refusedText = plainText(replyCard((await h2.run('ann', 'room PA Cohort A'))[0]!));
    expect(refusedText).not.toMatch(LINK);
  });
});
