// The private answer to whoever planned sessions: what was stored, in the reader's zone.
import { card, context, ephemeral, facts, heading, type Reply } from '../../core/cards.js';
import type { Group } from '../../core/model.js';
import { sessionFacts } from '../../core/schedule/cards.js';
import { reminderOffsets } from '../../core/schedule/reminders.js';
import type { Session } from '../../core/schedule/session.js';
import { describeReminders } from './reminder-list.js';

/** `clashes`: how many of `sessions` start when another session of the group already did. */
export function scheduledReply(
  group: Group,
  sessions: readonly Session[],
  zone: string,
  prefix: string,
  clashes = 0,
  skipped: readonly string[] = [],
): Reply {
  const first = sessions[0] as Session;
  const last = sessions.at(-1) as Session;
  const series = sessions.length > 1;
  return ephemeral(
    card(
      heading(
        `${series ? `${sessions.length} sessions` : sessions.length === 1 && skipped.length > 0 ? '1 session' : 'Session'} scheduled: ${group.name}`,
      ),
      facts(
        ...sessionFacts(first, zone).map((f) => (f.label === 'When' && series ? { ...f, label: 'First' } : f)),
        ...(series ? [{ label: 'Last', value: { time: last.start, zone } }] : []),
        ...(skipped.length > 0 ? [{ label: 'Skipped', value: skipped.join(', ') }] : []),
        { label: 'Session id', value: series ? `${first.id} (first)` : first.id },
      ),
      context(
        `Members are reminded ${describeReminders(reminderOffsets(group))} before each session. ` +
          `\`${prefix}sessions ${group.name}\` lists them; \`${prefix}move\` and \`${prefix}cancel\` take a session id.`,
      ),
      ...(clashes > 0
        ? [
            context(
              `Warning: ${clashes === 1 ? (series ? '1 of these sessions starts' : 'it starts') : `${clashes} of these sessions start`} at the same time as another session of this group. \`${prefix}cancel\` the one you do not want.`,
            ),
          ]
        : []),
    ),
  );
}
