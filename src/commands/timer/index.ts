// The phase timer of a running session: typed verbs and the card's buttons.
import type { Feature } from '../plumbing/feature.js';
import { timerButtons } from './timer-buttons.js';
import {
  timerEnd,
  timerExtend,
  timerNext,
  timerPause,
  timerResume,
  timerStart,
  timerStatus,
} from './timer-commands.js';

export const timerFeature: Feature = {
  commands: [timerStart, timerNext, timerPause, timerResume, timerExtend, timerEnd, timerStatus],
  buttons: [timerButtons],
};
