// Every /balint command, button and form, gathered from the feature folders. A new verb goes
// into its feature's index.ts; a new feature adds one line to `features`.
import { attendanceFeature } from './attendance/index.js';
import { makeHelp } from './help/help.js';
import { homeButtons } from './help/home-buttons.js';
import type { ButtonSpec } from './plumbing/button-spec.js';
import type { Feature } from './plumbing/feature.js';
import type { FormSpec } from './plumbing/form-spec.js';
import type { CommandSpec } from './plumbing/spec.js';
import { privacyFeature } from './privacy/index.js';
import { roomFeature } from './room/index.js';
import { rosterFeature } from './roster/index.js';
import { rotationsFeature } from './rotations/index.js';
import { scheduleFeature } from './schedule/index.js';
import { surveysFeature } from './surveys/index.js';
import { timerFeature } from './timer/index.js';

const features: readonly Feature[] = [
  rosterFeature,
  privacyFeature,
  timerFeature,
  scheduleFeature,
  rotationsFeature,
  attendanceFeature,
  surveysFeature,
  roomFeature,
];

export const commands: readonly CommandSpec[] = [makeHelp(() => commands), ...features.flatMap((f) => f.commands)];

export const buttons: readonly ButtonSpec[] = [...features.flatMap((f) => f.buttons ?? []), homeButtons];

export const forms: readonly FormSpec[] = features.flatMap((f) => f.forms ?? []);
