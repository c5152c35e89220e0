// The plan of an import in words, for the coordinator to read before it is applied: what the
// file covers, then every count, then the changes that take something away, one per line.
// Lines of the file are named by number; no cell is quoted except the user ids and group names
// the coordinator wrote to say who goes where.
import { count } from '../core/plumbing/plural.js';
import type { RosterImportReport, RosterPlan, RotationImportReport, RotationPlan } from '../core/rotations/import.js';

const MAX_LISTED = 20;

export const lineList = (numbers: readonly number[]): string =>
  numbers.length > MAX_LISTED
    ? `${numbers.slice(0, MAX_LISTED).join(', ')} and ${numbers.length - MAX_LISTED} more`
    : numbers.join(', ');

const listed = <T>(items: readonly T[], say: (item: T) => string): string[] => [
  ...items.slice(0, MAX_LISTED).map((item) => `  ${say(item)}`),
  ...(items.length > MAX_LISTED ? [`  … and ${items.length - MAX_LISTED} more`] : []),
];

function common(report: RotationImportReport | RosterImportReport): string[] {
  const lines: string[] = [];
  if (report.ignored.length > 0)
    lines.push(`Ignored ${count(report.ignored.length, 'extra column')}: ${report.ignored.join(', ')}.`);
  if (report.duplicates > 0)
    lines.push(`${count(report.duplicates, 'row repeats', 'rows repeat')} an earlier one: ignored.`);
  const u = report.unresolved;
  if (u.length > 0)
    lines.push(
      `${count(u.length, 'row names', 'rows name')} a student by an email no platform user is known for yet (${u.length === 1 ? 'line' : 'lines'} ${lineList(u)}).`,
      '  The running bot asks Slack or Teams about them each hour; `/balint rotations` lists the ones still unmatched.',
    );
  return lines;
}

export function rotationPlanText(report: RotationImportReport, plan: RotationPlan): string[] {
  const lines = [
    `The file covers ${plan.programs.length === 1 ? 'the program' : 'the programs'} ${plan.programs.join(', ')}: imported rotations of ${plan.programs.length === 1 ? 'it' : 'them'} that the file does not list are removed.`,
    `Plan: ${count(plan.added.length, 'rotation')} added, ${plan.changed.length} changed, ${plan.removed.length} removed, ${plan.unchanged} unchanged${plan.invitesCancelled ? `; ${count(plan.invitesCancelled, 'invite')} not sent yet cancelled` : ''}.`,
    ...listed(
      plan.removed,
      (r) => `remove ${r.name}, ${r.start} to ${r.end} (${r.student ?? 'a student named by email'})`,
    ),
    ...common(report),
  ];
  if (plan.noGroup.length > 0)
    lines.push(
      `Warning: ${count(plan.noGroup.length, 'row names a student', 'rows name students')} in no group of ${plan.programs.length === 1 ? 'that program' : 'its program'}: no invite is possible for ${plan.noGroup.length === 1 ? 'it' : 'them'} (${plan.noGroup.length === 1 ? 'line' : 'lines'} ${lineList(plan.noGroup)}). Add the student to a group (roster file or \`group add\`).`,
    );
  return lines;
}

export function rosterPlanText(report: RosterImportReport, plan: RosterPlan, zoneNote: string): string[] {
  const created = plan.groups.filter((g) => !g.id);
  const lines = [
    `The file covers ${count(plan.groups.length, 'group')}: ${plan.groups.map((g) => `${g.name} (${g.program}${g.id ? '' : ', new'})`).join(', ')}. It is the truth for ${plan.groups.length === 1 ? 'it' : 'them'}: people it does not list there are removed.`,
    `Plan: ${count(created.length, 'group')} created, ${count(plan.added.length, 'person', 'people')} added, ${plan.moved.length} moved, ${plan.roleChanged.length} ${plan.roleChanged.length === 1 ? 'role' : 'roles'} changed, ${plan.removed.length} removed, ${plan.unchanged} unchanged${plan.invitesMoved ? `; ${count(plan.invitesMoved, 'invite')} not sent yet ${plan.invitesMoved === 1 ? 'follows its student' : 'follow their students'}` : ''}${plan.invitesCancelled ? `; ${count(plan.invitesCancelled, 'invite')} not sent yet cancelled` : ''}.`,
    ...listed(
      plan.moved,
      (m) =>
        `move ${m.user} from ${m.from} to ${m.to} (${m.from}'s reminders stop for them; invites not sent yet follow)`,
    ),
    ...listed(plan.removed, (m) => `remove ${m.user} (${m.role}) from ${m.group}`),
    ...listed(plan.roleChanged, (m) => `make ${m.user} ${m.role} of ${m.group}`),
  ];
  if (created.length > 0) lines.push(zoneNote);
  return [...lines, ...common(report)];
}
