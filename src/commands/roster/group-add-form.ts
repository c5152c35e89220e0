// The `group add` form: a group, the people (picked by name, not typed as mentions) and their
// role. Opened by `group add` with nothing after it and by the Home's "Add people". Submitting
// does what the typed command does; every value is checked again (the form's are not trusted):
// the person must still coordinate, the group exist, the people be ids of the person's own
// workspace or tenant.
import { card, context, openForm, peopleOf, text, type Form, type Reply } from '../../core/cards.js';
import { GROUP_ROLES, isOneOf, type Group } from '../../core/model.js';
import { isUserId, type UserId } from '../../core/plumbing/ids.js';
import { invalid, refused } from '../../core/plumbing/errors.js';
import type { FormSpec } from '../plumbing/form-spec.js';
import { groupOptions, searchGroups } from '../plumbing/group-options.js';
import type { Services } from '../plumbing/spec.js';
import { addedReply } from './added-reply.js';

export const GROUP_ADD_FORM = 'group-add';
/** People added in one go: more is an import (`import roster`). */
export const MAX_PEOPLE = 50;
const ONLY_COORDINATORS = 'Only coordinators add people to groups.';

const ROLE_LABELS = { member: 'Member', 'co-leader': 'Co-leader', leader: 'Leader' } as const;

export function groupAddForm(groups: readonly Group[], groupId?: string): Form {
  return {
    formId: GROUP_ADD_FORM,
    title: 'Add people',
    submitLabel: 'Add',
    fields: [
      {
        id: 'group',
        label: 'Group',
        kind: 'select',
        options: groupOptions(groups),
        ...(groupId ? { initial: groupId } : groups.length === 1 ? { initial: groups[0]?.id ?? '' } : {}),
      },
      { id: 'people', label: 'People', kind: 'people', max: MAX_PEOPLE },
      {
        id: 'role',
        label: 'Role',
        kind: 'choice',
        initial: 'member',
        options: (['member', 'co-leader', 'leader'] as const).map((r) => ({ value: r, label: ROLE_LABELS[r] })),
      },
    ],
  };
}

/** The form for a coordinator, or where it cannot open, the typed usage. */
export async function groupAddReply(services: Services, typedUsage: string): Promise<Reply> {
  const groups = await services.roster.groups();
  if (groups.length === 0) throw invalid('There are no groups yet: `/balint group create <name>` makes one.');
  return openForm(
    groupAddForm(groups),
    card(
      text(`Usage: ${typedUsage}`),
      context('Many people at once: a roster import (`npm run balint -- import roster file.csv`).'),
    ),
  );
}

/** Where a person's ids live: `slack:T1:` for `slack:T1:U2` (the console has no workspace). */
const homeOf = (user: UserId): string => user.slice(0, user.lastIndexOf(':') + 1);

export const groupAddFormSpec: FormSpec = {
  formId: GROUP_ADD_FORM,
  async reopen(services, opened) {
    const access = await services.roster.access(opened.actor);
    return access.coordinator ? groupAddForm(await services.roster.groups()) : undefined;
  },
  async options(services, opened, fieldId, query) {
    if (fieldId !== 'group' || !(await services.roster.access(opened.actor)).coordinator) return [];
    return searchGroups(await services.roster.groups(), query);
  },
  async check(services, submission) {
    const access = await services.roster.access(submission.actor);
    if (!access.coordinator) throw refused(ONLY_COORDINATORS);
    const errors: Record<string, string> = {};
    const group = submission.values.group ? await services.roster.getGroup(submission.values.group) : undefined;
    if (!group) errors.group = 'Pick one of the groups.';
    const people = peopleOf(submission.values.people);
    const home = homeOf(submission.actor);
    if (people.length === 0) errors.people = 'Pick at least one person.';
    else if (people.length > MAX_PEOPLE)
      errors.people = `At most ${MAX_PEOPLE} people at once; more is a roster import.`;
    else if (!people.every((p) => isUserId(p) && p.startsWith(home)))
      errors.people = 'Pick people of this workspace by their name.';
    const role = submission.values.role ?? '';
    if (!isOneOf(GROUP_ROLES, role)) errors.role = 'Pick a role: member, co-leader or leader.';
    if (!group || Object.keys(errors).length > 0 || !isOneOf(GROUP_ROLES, role)) return { accepted: false, errors };
    const users = [...new Set(people)];
    return {
      accepted: true,
      run: async () => [addedReply(group, role, await services.roster.addMembers(group.id, users, role))],
    };
  },
};
