import { beforeEach, describe, expect, it } from 'vitest';
import type { Group } from '../../src/core/model.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = createHarness(['console:coord']);
});

const groupNamed = async (name: string): Promise<Group> => {
  const group = await h.services.roster.findGroup(name);
  if (!group) throw new Error(`no group ${name}`);
  return group;
};

describe('group create', () => {
  it('creates a group with its program, zone and preset', async () => {
    const answer = await h.say('coord', 'group create PA Cohort A program pa tz Europe/Budapest preset 75');
    expect(answer).toContain('Group created: PA Cohort A');
    const group = await groupNamed('pa cohort a');
    expect(group).toMatchObject({
      name: 'PA Cohort A',
      program: 'PA',
      timeZone: 'Europe/Budapest',
      preset: '75',
      members: [],
    });
    expect(group.id).toMatch(/^grp_[0-9a-f]{16}$/);
  });

  it('uses the default zone and the 60-minute preset when none is given', async () => {
    await h.run('coord', 'group create "OT Tuesday"');
    expect(await groupNamed('OT Tuesday')).toMatchObject({ timeZone: 'America/New_York', preset: '60' });
  });

  it('refuses a second group with the same name, whatever its case and spacing', async () => {
    await h.run('coord', 'group create PA Cohort A');
    const before = await h.snapshot();
    expect(await h.say('coord', 'group create pa   cohort a')).toBe('A group with that name already exists.');
    expect(await h.snapshot()).toBe(before);
  });

  it('lets only one of two simultaneous creates of one name through', async () => {
    const answers = await Promise.all([h.say('coord', 'group create Twins'), h.say('coord', 'group create twins')]);
    expect(answers.filter((a) => a.includes('Group created'))).toHaveLength(1);
    expect(await h.services.roster.groups()).toHaveLength(1);
  });
});

describe('bad input changes nothing and is not quoted back', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown verb', 'frobnicate zzsecretzz', /don't know that command/],
    ['an unknown group subcommand', 'group zzsecretzz', /Did you mean one of/],
    ['an invalid time zone', 'group create Valid Name tz Mars/zzsecretzz', /not a time zone I know/],
    ['an unknown program', 'group create Valid Name program zzsecretzz', /program is one of PA, PT, OT, GC, CSD/],
    ['an unknown preset', 'group create Valid Name preset 50', /preset is one of 45, 60, 75, 90, 90x2/],
    ['a missing name', 'group create program PA', /needs a name/],
    ['a keyword without value', 'group create Valid Name tz', /`tz` needs a value/],
    ['a keyword given twice', 'group create Valid Name tz UTC tz UTC', /given twice/],
    ['a name with a mention in it', 'group create <@U123> zzsecretzz', /may use letters, digits/],
    ['a name too long', `group create ${'x'.repeat(61)}`, /at most 60 characters/],
    ['an unknown group', 'group show zzsecretzz', /don't see a group by that name/],
    ['add without people', 'group add PA Cohort A', /Mention the people to add/],
    ['add with a bad role', 'group add PA Cohort A @ann as boss', /role goes last/],
    ['add to an unknown group', 'group add zzsecretzz @ann', /don't see a group by that name/],
    ['a mention of nobody', 'group add PA Cohort A @!!zzsecretzz', /not someone I can find/],
    ['remove without people', 'group remove PA Cohort A', /Mention the people to remove/],
    ['set an unknown setting', 'group set PA Cohort A colour zzsecretzz', /Usage/],
    ['set a bad zone', 'group set PA Cohort A tz zzsecretzz', /not a time zone I know/],
    [
      'set a zone abbreviation',
      'group set PA Cohort A tz EST',
      /EST has no daylight saving time; did you mean America\/New_York\?/,
    ],
    ['coordinator add of two people', 'coordinator add @a @b', /Mention one person/],
    ['groups with garbage after it', 'groups zzsecretzz', /takes nothing after it/],
  ];

  it.each(cases)('%s', async (_label, line, expected) => {
    await h.run('coord', 'group create PA Cohort A');
    const before = await h.snapshot();
    const replies = await h.run('coord', line);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.visibility).toBe('ephemeral');
    const answer = await h.say('coord', line);
    expect(answer).toMatch(expected);
    expect(answer).not.toContain('zzsecretzz');
    expect(await h.snapshot()).toBe(before);
  });
});

describe('who may do what', () => {
  beforeEach(async () => {
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @cal as co-leader');
    await h.run('coord', 'group add PA Cohort A @ann @bo');
    await h.run('coord', 'group create PT Group');
    await h.run('coord', 'group add PT Group @pat');
  });

  it('refuses group changes by anyone but a coordinator, changing nothing', async () => {
    const before = await h.snapshot();
    for (const actor of ['lee', 'cal', 'ann', 'pat', 'stranger']) {
      expect(await h.say(actor, 'group create Mine')).toBe('Only coordinators can do that.');
      expect(await h.say(actor, 'group add PA Cohort A @mallory as leader')).toBe('Only coordinators can do that.');
      expect(await h.say(actor, 'group remove PA Cohort A @ann')).toBe('Only coordinators can do that.');
      expect(await h.say(actor, 'group set PA Cohort A tz UTC')).toBe('Only coordinators can do that.');
      expect(await h.say(actor, 'coordinator add @mallory')).toBe('Only coordinators can do that.');
    }
    expect(await h.snapshot()).toBe(before);
  });

  it('shows a group only to its own people and coordinators', async () => {
    for (const actor of ['coord', 'lee', 'cal', 'ann']) {
      const answer = await h.say(actor, 'group show PA Cohort A');
      expect(answer).toContain('Leader: @lee');
      expect(answer).toContain('Co-leader: @cal');
      expect(answer).toContain('Members: @ann, @bo');
    }
    // A member of another group and a stranger hear the same as for a group that does not exist.
    const unknown = await h.say('pat', 'group show No Such Group');
    expect(await h.say('pat', 'group show PA Cohort A')).toBe(unknown);
    expect(await h.say('stranger', 'group show PA Cohort A')).toBe('Only members of a Balint group can do that.');
  });

  it('lists all groups for coordinators and only their own for others', async () => {
    const coordinatorView = await h.say('coord', 'groups');
    expect(coordinatorView).toContain('PA Cohort A');
    expect(coordinatorView).toContain('PT Group');
    const annView = await h.say('ann', 'groups');
    expect(annView).toContain('PA Cohort A');
    expect(annView).toContain('you: member');
    expect(annView).not.toContain('PT Group');
    expect(await h.say('stranger', 'groups')).toContain('not in a group yet');
  });

  it('lets a coordinator add another coordinator, who can then create groups', async () => {
    expect(await h.say('coord', 'coordinator add @nina')).toContain('Now a coordinator: @nina');
    expect(await h.say('coord', 'coordinator add @nina')).toContain('Already a coordinator: @nina');
    expect(await h.say('nina', 'group create Nina Group')).toContain('Group created');
  });
});

describe('membership changes', () => {
  beforeEach(async () => {
    await h.run('coord', 'group create PA Cohort A');
  });

  it('adds, changes roles and removes', async () => {
    expect(await h.say('coord', 'group add PA Cohort A @ann @bo')).toContain('Added as member: @ann, @bo');
    expect(await h.say('coord', 'group add PA Cohort A @ann as leader')).toContain('Now leader: @ann');
    expect(await h.say('coord', 'group add PA Cohort A @ann as leader')).toContain('Already leader: @ann');
    expect(await h.say('coord', 'group remove PA Cohort A @bo @zed')).toBe(
      'PA Cohort A\nRemoved: @bo\nNot in the group: @zed',
    );
    expect((await groupNamed('PA Cohort A')).members).toEqual([{ user: 'console:ann', role: 'leader' }]);
  });

  it('keeps both of two simultaneous adds to one group', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => h.run('coord', `group add PA Cohort A @s${i}`)));
    expect((await groupNamed('PA Cohort A')).members).toHaveLength(20);
  });

  it('stores a time zone in its canonical spelling', async () => {
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group set PA Cohort A tz america/new_york');
    expect(await groupNamed('PA Cohort A')).toMatchObject({ timeZone: 'America/New_York' });
    await h.run('coord', 'group set PA Cohort A tz US/Pacific');
    expect(await groupNamed('PA Cohort A')).toMatchObject({ timeZone: 'America/Los_Angeles' });
  });

  it('changes settings', async () => {
    await h.run('coord', 'group set PA Cohort A tz Australia/Sydney');
    await h.run('coord', 'group set PA Cohort A preset 90x2');
    await h.run('coord', 'group set PA Cohort A program csd');
    await h.run('coord', 'group set PA Cohort A pushback look-away');
    expect(await groupNamed('PA Cohort A')).toMatchObject({
      timeZone: 'Australia/Sydney',
      preset: '90x2',
      program: 'CSD',
      pushBackMode: 'look-away',
    });
  });
});

describe('help', () => {
  // Roster and timer verbs only: each later feature checks its own verbs in help in its own tests.
  const OWN_VERBS = new Set(
    [
      'help',
      'groups',
      'group show',
      'group create',
      'group add',
      'group remove',
      'group set',
      'coordinator add',
      'start',
      'next',
      'pause',
      'resume',
      'extend',
      'end',
      'status',
    ].map((v) => `/balint ${v}`),
  );
  const helpVerbs = async (actor: string) =>
    (await h.say(actor, 'help'))
      .split('\n')
      .filter((l) => l.startsWith('/balint'))
      .map((l) => l.split(' <')[0]?.split(' [')[0]?.split(':')[0])
      .filter((v) => v !== undefined && OWN_VERBS.has(v));

  it('shows each person only what they may run', async () => {
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group add PA Cohort A @ann');
    expect(await helpVerbs('coord')).toEqual([
      '/balint help',
      '/balint groups',
      '/balint group show',
      '/balint group create',
      '/balint group add',
      '/balint group remove',
      '/balint group set',
      '/balint coordinator add',
      '/balint start',
      '/balint next',
      '/balint pause',
      '/balint resume',
      '/balint extend',
      '/balint end',
      '/balint status',
    ]);
    await h.run('coord', 'group add PA Cohort A @lee as co-leader');
    expect(await helpVerbs('lee')).toEqual([
      '/balint help',
      '/balint groups',
      '/balint group show',
      '/balint start',
      '/balint next',
      '/balint pause',
      '/balint resume',
      '/balint extend',
      '/balint end',
      '/balint status',
    ]);
    expect(await helpVerbs('ann')).toEqual(['/balint help', '/balint groups', '/balint group show', '/balint status']);
    expect(await helpVerbs('stranger')).toEqual(['/balint help', '/balint groups', '/balint status']);
  });

  it('is also what an empty command shows', async () => {
    expect(await h.say('coord', '')).toBe(await h.say('coord', 'help'));
  });
});
