// The facilitators' attendance card: the group's members numbered, each present or absent, one
// toggle button per member and a Submit. Buttons carry ids only (`<sheet>/<user>`); names never
// go into a button, since platforms render button labels as plain text, not mentions.
import { DateTime } from 'luxon';
import { card, context, facts, heading, text, type Block, type Button, type Card } from '../cards.js';
import type { UserId } from '../plumbing/ids.js';
import type { Sheet } from './sheet.js';

export const ATTENDANCE_ACTIONS = { toggle: 'attendance:toggle', submit: 'attendance:submit' } as const;
const TOGGLES_PER_ROW = 4;

/** The listed members in a stable order: the order of the card's numbers. */
export const listed = (sheet: Sheet): UserId[] => Object.keys(sheet.marks).sort();

export const sessionDay = (sheet: Pick<Sheet, 'start' | 'zone'>): string =>
  DateTime.fromMillis(sheet.start, { zone: sheet.zone }).toFormat('ccc d LLL yyyy');

const closesText = (sheet: Sheet): string =>
  DateTime.fromMillis(sheet.closesAt, { zone: sheet.zone }).toFormat('ccc d LLL, HH:mm ZZZZ');

export function sheetCard(sheet: Sheet, groupName: string, now: number): Card {
  const members = listed(sheet);
  const present = members.filter((u) => sheet.marks[u]?.present).length;
  const open = now < sheet.closesAt;
  // The count is in the heading: the terminal shows only the heading when a card is updated.
  const blocks: Block[] = [
    heading(`Attendance: ${groupName}, ${sessionDay(sheet)}: ${present} of ${members.length} present`),
  ];
  if (members.length === 0) return card(...blocks, text('This group has no members to mark.'));
  blocks.push(
    facts(
      ...members.map((user, i) => ({
        label: `${i + 1}. ${sheet.marks[user]?.present ? 'Present' : 'Absent'}`,
        value: { users: [user] },
      })),
    ),
  );
  if (!open) return card(...blocks, context('Attendance for this session is closed.'));
  const toggles: Button[] = members.map((user, i) => {
    const now = sheet.marks[user]?.present ? 'present' : 'absent';
    const next = now === 'present' ? 'absent' : 'present';
    return {
      actionId: ATTENDANCE_ACTIONS.toggle,
      label: `Mark ${i + 1} ${next}`,
      value: `${sheet.id}/${user}`,
      accessibilityLabel: `Member ${i + 1}, now ${now}: mark ${next}`,
    };
  });
  // A few toggles per row: Teams may fold the rest of a long action set into an overflow menu.
  for (let i = 0; i < toggles.length; i += TOGGLES_PER_ROW)
    blocks.push({ type: 'actions', buttons: toggles.slice(i, i + TOGGLES_PER_ROW) });
  blocks.push({
    type: 'actions',
    buttons: [
      {
        actionId: ATTENDANCE_ACTIONS.submit,
        label: sheet.submitted ? 'Submitted' : 'Submit',
        value: sheet.id,
        style: 'primary',
      },
    ],
  });
  blocks.push(
    context(
      sheet.submitted
        ? `Submitted. You can still change a mark until ${closesText(sheet)}; each change is saved at once.`
        : `Pre-set from the RSVPs. Press a number to change it, then Submit. Open until ${closesText(sheet)}.`,
    ),
  );
  blocks.push(context('Only present or absent is kept, with who marked it and when. Nothing else.'));
  return card(...blocks);
}
