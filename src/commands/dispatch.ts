// Runs one command line: find the command, check who may run it, run it, and turn every
// failure into a clear private answer. Logs carry the command's verb (from our own spec, never
// the typed words), the people's ids, the outcome and the duration. Nothing typed is logged.
import { card, ephemeral, text, type Reply } from '../core/cards.js';
import { UserError } from '../core/errors.js';
import type { Place, UserId } from '../core/ids.js';
import { errorCode } from '../core/logger.js';
import type { LogFields } from '../core/ports.js';
import { mayRun, refusal } from './audience.js';
import { commands as allCommands } from './registry.js';
import type { CommandContext, CommandSpec, Services } from './spec.js';
import { tokenize, type Token } from './tokens.js';

export interface Invocation {
  actor: UserId;
  place: Place;
  /** What was typed after the command name (`/balint`), exactly as typed. */
  text: string;
  prefix: string;
  mention(token: string): UserId | undefined;
}

const say = (message: string): Reply[] => [ephemeral(card(text(message)))];

function findCommand(tokens: Token[], specs: readonly CommandSpec[]): { spec: CommandSpec; rest: Token[] } | undefined {
  let best: { spec: CommandSpec; rest: Token[] } | undefined;
  for (const spec of specs) {
    const words = spec.verb.split(' ');
    const matches = words.every((w, i) => tokens[i] !== undefined && !tokens[i].quoted && tokens[i].value.toLowerCase() === w);
    if (matches && (!best || words.length > best.spec.verb.split(' ').length)) best = { spec, rest: tokens.slice(words.length) };
  }
  return best;
}

export async function dispatch(services: Services, call: Invocation, specs: readonly CommandSpec[] = allCommands): Promise<Reply[]> {
  const started = Date.now();
  const fields: LogFields = { actor: call.actor, place: call.place };
  const finish = (outcome: NonNullable<LogFields['outcome']>, replies: Reply[], extra: LogFields = {}): Reply[] => {
    const level = outcome === 'failed' ? 'error' : 'info';
    services.logger[level]('command.done', { ...fields, ...extra, outcome, durationMs: Date.now() - started });
    return replies;
  };

  const tokens = tokenize(call.text);
  const found = tokens.length === 0 ? findCommand([{ value: 'help', quoted: false }], specs) : findCommand(tokens, specs);
  if (!found) {
    const family = tokens[0] && specs.filter((s) => s.verb.split(' ')[0] === tokens[0]?.value.toLowerCase() && s.verb.includes(' '));
    const hint = family && family.length > 0 ? ` Did you mean one of: ${family.map((s) => `\`${call.prefix}${s.verb}\``).join(', ')}?` : '';
    return finish('invalid', say(`I don't know that command.${hint} \`${call.prefix}help\` lists what you can do.`), { command: 'unknown' });
  }
  const { spec, rest } = found;
  fields.command = spec.verb.replace(' ', '.');

  try {
    const access = await services.roster.access(call.actor);
    if (spec.audience !== 'anyone' && !mayRun(spec.audience, access)) return finish('refused', say(refusal[spec.audience]));
    const ctx: CommandContext = { actor: call.actor, place: call.place, access, services, prefix: call.prefix, mention: call.mention };
    return finish('ok', await spec.run(ctx, rest));
  } catch (error) {
    if (error instanceof UserError) return finish(error.code === 'refused' ? 'refused' : error.code, say(error.message));
    return finish('failed', say('Something went wrong on my side. Please try again in a moment.'), { code: errorCode(error) });
  }
}
