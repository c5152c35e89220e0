// Rotation calendars and the post-rotation invites.
import type { Feature } from '../plumbing/feature.js';
import { rotationButtons } from './rotation-buttons.js';
import { rotationAdd, rotationsList } from './rotation-commands.js';

export const rotationsFeature: Feature = { commands: [rotationAdd, rotationsList], buttons: [rotationButtons] };
