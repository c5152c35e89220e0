// A person's right to be forgotten.
import type { Feature } from '../plumbing/feature.js';
import { forgetButtons } from './forget-button.js';
import { forgetCommand } from './forget-command.js';

export const privacyFeature: Feature = { commands: [forgetCommand], buttons: [forgetButtons] };
