// One feature's share of the bot: its /balint verbs, the buttons it owns and its forms.
// Each feature folder exports one of these from its index.ts; registry.ts lists the features.
import type { ButtonSpec } from './button-spec.js';
import type { FormSpec } from './form-spec.js';
import type { CommandSpec } from './spec.js';

export interface Feature {
  commands: readonly CommandSpec[];
  buttons?: readonly ButtonSpec[];
  forms?: readonly FormSpec[];
}
