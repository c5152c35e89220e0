// Every /balint command and every button. A new feature adds its specs here.
import { calendarCommand, calendarResetCommand } from './calendar-commands.js';
import { coordinatorAdd } from './coordinator-add.js';
import { forgetCommand } from './forget-command.js';
import { groupCreate } from './group-create.js';
import { groupAdd, groupRemove } from './group-members.js';
import { groupSet } from './group-set.js';
import { groupShow, groupsList } from './group-show.js';
import { makeHelp } from './help.js';
import type { ButtonSpec } from './button-spec.js';
import type { FormSpec } from './form-spec.js';
import { rotationButtons } from './rotation-buttons.js';
import { rotationAdd, rotationsList } from './rotation-commands.js';
import { rsvpButtons } from './rsvp-buttons.js';
import { scheduleCommand } from './schedule-command.js';
import { scheduleFormSpec } from './schedule-form.js';
import { cancelCommand, moveCommand } from './session-changes.js';
import { sessionsCommand } from './sessions-command.js';
import type { CommandSpec } from './spec.js';
import { timerButtons } from './timer-buttons.js';
import { timerEnd, timerExtend, timerNext, timerPause, timerResume, timerStart, timerStatus } from './timer-commands.js';

export const commands: readonly CommandSpec[] = [
  makeHelp(() => commands),
  groupsList,
  groupShow,
  groupCreate,
  groupAdd,
  groupRemove,
  groupSet,
  coordinatorAdd,
  forgetCommand,
  timerStart,
  timerNext,
  timerPause,
  timerResume,
  timerExtend,
  timerEnd,
  timerStatus,
  scheduleCommand,
  sessionsCommand,
  moveCommand,
  cancelCommand,
  calendarCommand,
  calendarResetCommand,
  rotationAdd,
  rotationsList,
];

export const buttons: readonly ButtonSpec[] = [timerButtons, rsvpButtons, rotationButtons];

export const forms: readonly FormSpec[] = [scheduleFormSpec];
