// The new forms and the session menu as Teams and the terminal show them: the group add card
// (Teams' people picker, a role) passes Microsoft's renderer with nothing dropped, its people
// come back as the tenant's ids; a session's menu is one button unfolding its choices; where no
// form opens (the terminal) the answer is the typed usage, and a menu the typed commands.
import { describe, expect, it } from 'vitest';
import { formValues, renderForm } from '../../../src/adapters/teams/render-form.js';
import { renderCard } from '../../../src/adapters/teams/render-card.js';
import { teamsUser } from '../../../src/adapters/teams/identity.js';
import { groupAddForm } from '../../../src/commands/roster/group-add-form.js';
import { sessionMenu } from '../../../src/commands/schedule/session-menu.js';
import { card, plainText, replyCard } from '../../../src/core/cards.js';
import type { Group } from '../../../src/core/model.js';
import type { Session } from '../../../src/core/schedule/session.js';
import { createHarness } from '../../support/harness.js';
import { adaptiveCardProblems } from './adaptive-validate.js';

const TENANT = 'tenant-1';
const group = { id: 'grp_0123456789abcdef', name: 'PA Cohort A', timeZone: 'UTC' } as unknown as Group;
const session = { id: 'ses_0123456789ab', seriesId: 'ser_1' } as unknown as Session;

describe('forms instead of ids on Teams and in the terminal', () => {
  it("renders group add with Teams' people picker, passing Microsoft's renderer", () => {
    const json = renderForm(groupAddForm([group]), 'frm_0123456789abcdef');
    const people = (json.body as Array<Record<string, unknown>>).find((e) => e.id === 'f_people');
    expect(people).toMatchObject({
      type: 'Input.ChoiceSet',
      isMultiSelect: true,
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
    });
    // The people picker is Teams' own extension: the library reads choices.data only in 1.6
    // cards, so in this 1.5 card it objects to exactly that, and to nothing else.
    expect(adaptiveCardProblems(json)).toEqual([
      'validate CollectionCantBeEmpty: An Input.ChoiceSet must have at least one choice defined.',
      'card.body[2].choices was dropped',
      'card.body[2].choices.data was dropped',
    ]);
  });

  it("reads the picked AAD ids as the tenant's people; an id that is no one spoils the field", () => {
    const form = groupAddForm([group]);
    const person = (aad: string) => teamsUser(TENANT, aad);
    const values = formValues(form, { f_group: group.id, f_people: 'aad-1,aad-2', f_role: 'leader' }, person);
    expect(values).toEqual({ group: group.id, people: 'teams:tenant-1:aad-1 teams:tenant-1:aad-2', role: 'leader' });
    expect(formValues(form, { f_people: 'aad-1,<bad>' }, person).people).toBe('?');
  });

  it('shows a menu as one button unfolding its choices, each routed like a button', () => {
    const json = renderCard(card(sessionMenu(session, '/balint ')));
    const text = JSON.stringify(json);
    expect(text).toContain('"type":"Action.ShowCard"');
    expect(text).toContain('"verb":"session:move"');
    expect(text).toContain('"verb":"session:cancel"');
    expect(adaptiveCardProblems(json)).toEqual([]);
  });

  it('answers with the typed usage and typed commands in the terminal', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A');
    const [reply] = await h.run('coord', 'group add');
    expect(reply?.visibility).toBe('form');
    expect(plainText(replyCard(reply!))).toContain('Usage: /balint group add <group> <@user…>');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'schedule PA Cohort A 2099-03-04 16:00');
    const listed = plainText(replyCard((await h.run('lee', 'sessions PA Cohort A'))[0]!));
    expect(listed).toMatch(/Move…: \/balint move ses_[0-9a-f]{12} <YYYY-MM-DD> <HH:MM>/);
    expect(listed).toMatch(/Cancel…: \/balint cancel ses_[0-9a-f]{12}/);
    await h.crash();
  });
});
