// Every card the bot sends to Teams stays under Teams' ~28 KB message limit: a card that would
// not fit (a roster of 200 people with their mentions) goes as several that do, in order,
// nobody left out, each a valid Adaptive Card; through the real route for `group show`.
import { afterEach, describe, expect, it } from 'vitest';
import { renderActivities } from '../../../src/adapters/teams/chat.js';
import { actions, card, facts, heading, text, type Card } from '../../../src/core/cards.js';
import type { UserId } from '../../../src/core/plumbing/ids.js';
import { adaptiveCardProblems } from './adaptive-validate.js';
import { FakeConnector } from './fake-connector.js';
import { personalMessage, startTeamsBot, TENANT, type TeamsBot } from './teams-bot.js';

const TEAMS_LIMIT = 28 * 1024;
const PEOPLE = 200;
const person = (i: number): UserId => `teams:${TENANT}:00000000-0000-0000-0000-${String(100000 + i).padStart(12, '0')}`;
const memberId = (i: number) => `29:1${'x'.repeat(70)}${i}`;
const longName = (i: number) => `Alexandra-Marie Konstantinopoulou-Weatherington ${i}`;

const bytes = (activity: unknown) => Buffer.byteLength(JSON.stringify(activity));
const contentOf = (activity: { attachments?: { content?: unknown }[] }) =>
  activity.attachments![0]!.content as { body: unknown[]; msteams: { entities?: { mentioned: { id: string } }[] } };

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

describe('cards that fit', () => {
  const roster: Card = card(
    heading('PA Cohort A'),
    facts(
      { label: 'Leader', value: { users: [person(0)] } },
      { label: 'Members', value: { users: Array.from({ length: PEOPLE }, (_, i) => person(i + 1)) } },
    ),
    text('A closing line.'),
    actions({ label: 'Refresh', actionId: 'group:show', value: 'grp_1' }),
  );
  const lookup = (u: UserId) => {
    const i = Number(u.slice(-6)) - 100000;
    return { id: memberId(i), name: longName(i) };
  };

  it('a roster of 200 people with mentions goes as several cards, each under 28 KB, everyone once', () => {
    const parts = renderActivities(roster, lookup);
    expect(bytes(renderActivities({ blocks: roster.blocks.slice(0, 1) }, lookup)[0])).toBeLessThan(TEAMS_LIMIT);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(bytes(part)).toBeLessThanOrEqual(TEAMS_LIMIT);
      expect(adaptiveCardProblems(contentOf(part))).toEqual([]);
    }
    const mentioned = parts.flatMap((p) => (contentOf(p).msteams.entities ?? []).map((e) => e.mentioned.id));
    expect(mentioned).toHaveLength(PEOPLE + 1);
    expect(new Set(mentioned).size).toBe(PEOPLE + 1);
    // In order: the heading first, continuations say so, the button and the closing line last.
    const texts = parts.map((p) => JSON.stringify(contentOf(p).body));
    expect(texts[0]).toContain('"text":"PA Cohort A"');
    for (const t of texts.slice(1)) expect(t).toContain('PA Cohort A (continued)');
    expect(texts.filter((t) => t.includes('Action.Execute'))).toHaveLength(1);
    expect(texts.at(-1)).toContain('Action.Execute');
    expect(texts.at(-1)).toContain('A closing line.');
  });

  it('a card that fits is sent as it is', () => {
    const small = card(heading('PA Cohort A'), facts({ label: 'Members', value: { users: [person(1)] } }));
    expect(renderActivities(small, lookup)).toHaveLength(1);
  });

  it('`group show` for 200 members arrives in the personal chat in cards under 28 KB', async () => {
    bot = await startTeamsBot();
    // The coordinator (person 2) has talked to the bot; the 200 members are known by name.
    await bot.send(personalMessage(2, 'group create PA Cohort A tz America/New_York'));
    const group = await bot.app.services.roster.findGroup('PA Cohort A');
    const members = Array.from({ length: PEOPLE }, (_, i) => person(i + 1));
    await bot.app.services.roster.addMembers(group!.id, members, 'member');
    for (let i = 1; i <= PEOPLE; i++)
      await bot.store.set('teams-people', person(i), {
        memberId: memberId(i),
        serviceUrl: bot.connector.url,
        tenant: TENANT,
        botId: '28:00000000-0000-0000-0000-0000000000b1',
        name: longName(i),
      });
    const before = bot.connector.sent('POST').length;
    await bot.send(personalMessage(2, 'group show PA Cohort A'));
    const posts = bot.connector.sent('POST').slice(before);
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) expect(bytes(post.body)).toBeLessThanOrEqual(TEAMS_LIMIT);
    const mentioned = new Set(
      posts.flatMap((p) =>
        ((FakeConnector.card(p).msteams as { entities?: { mentioned: { id: string } }[] }).entities ?? []).map(
          (e) => e.mentioned.id,
        ),
      ),
    );
    for (let i = 1; i <= PEOPLE; i++) expect(mentioned.has(memberId(i))).toBe(true);
    expect(JSON.stringify(posts)).not.toContain('open Balint in your personal chat');
  });
});
