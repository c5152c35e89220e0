// The invite rule's view of the scheduling work (src/core/schedule): the one file to change if
// the ScheduleService's API moves.
import type { UserId } from '../plumbing/ids.js';
import type { CalendarFeeds } from '../schedule/feeds.js';
import { rsvpButtons, sessionFacts } from '../schedule/cards.js';
import type { ScheduleService } from '../schedule/service.js';
import type { Session } from '../schedule/session.js';
import type { UpcomingSession, UpcomingSessions } from './sessions-port.js';

const view = (session: Session): UpcomingSession => ({
  id: session.id,
  startsAt: session.start,
  facts: sessionFacts(session, session.zone),
});

export function scheduleSessions(schedule: ScheduleService, calendars: CalendarFeeds | undefined): UpcomingSessions {
  return {
    async nextSession(groupId, from, until) {
      const next = (await schedule.upcoming(groupId)).find((s) => s.start > from && s.start <= until);
      return next && view(next);
    },
    async session(id, now) {
      const session = await schedule.get(id);
      return session && session.status === 'scheduled' && session.start > now ? view(session) : undefined;
    },
    rsvpButtons: (sessionId) => rsvpButtons(sessionId),
    calendarLink: async (user: UserId) => calendars?.urlFor(user),
  };
}
