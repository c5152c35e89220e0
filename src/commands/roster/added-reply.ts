// What adding people to a group answers, typed (`group add`) or from the form: who was added,
// whose role changed, who already had it.
import { card, ephemeral, facts, heading, type Fact, type Reply } from '../../core/cards.js';
import type { Group, GroupRole } from '../../core/model.js';
import type { MemberChanges } from '../../core/roster.js';

/** What adding people answers, typed or from the form. */
export function addedReply(group: Group, role: GroupRole, changes: MemberChanges): Reply {
  const lines: Fact[] = [];
  if (changes.added.length) lines.push({ label: `Added as ${role}`, value: { users: changes.added } });
  if (changes.changedRole.length) lines.push({ label: `Now ${role}`, value: { users: changes.changedRole } });
  if (changes.unchanged.length) lines.push({ label: `Already ${role}`, value: { users: changes.unchanged } });
  return ephemeral(card(heading(group.name), facts(...lines)));
}
