// Sessions: scheduling, moving, cancelling, RSVPs and calendar feeds.
import type { Feature } from '../plumbing/feature.js';
import { calendarCommand, calendarResetCommand } from './calendar-commands.js';
import { rsvpButtons } from './rsvp-buttons.js';
import { scheduleCommand } from './schedule-command.js';
import { moveFormSpec } from './move-form.js';
import { scheduleFormSpec } from './schedule-form.js';
import { sessionButtons } from './session-buttons.js';
import { cancelCommand, moveCommand } from './session-changes.js';
import { sessionsCommand } from './sessions-command.js';

export const scheduleFeature: Feature = {
  commands: [scheduleCommand, sessionsCommand, moveCommand, cancelCommand, calendarCommand, calendarResetCommand],
  buttons: [rsvpButtons, sessionButtons],
  forms: [scheduleFormSpec, moveFormSpec],
};
