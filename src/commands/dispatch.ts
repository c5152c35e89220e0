// Runs one command line: find the command, check who may run it, run it, and turn every
// failure into a clear private answer. Logs carry the command's verb (from our own spec, never
// the typed words), the people's ids, the outcome and the duration. Nothing typed is logged.
import type { Reply } from '../core/cards.js';
import type { Place, UserId } from '../core/plumbing/ids.js';
import { mayRun, refusal } from './plumbing/audience.js';
import { commands as allCommands } from './registry.js';
import { runLogged } from './plumbing/run-logged.js';
import type { CommandContext, CommandSpec, Services } from './plumbing/spec.js';
import { tokenize, type Token } from './plumbing/tokens.js';

export interface Invocation {
  actor: UserId;
  place: Place;
  /** What was typed after the command name (`/balint`), exactly as typed. */
  text: string;
  prefix: string;
  mention(token: string): UserId | undefined;
  /** The person's IANA zone where the platform knows it (Slack profile, Teams client). */
  actorTimeZone?: string;
}

function findCommand(tokens: Token[], specs: readonly CommandSpec[]): { spec: CommandSpec; rest: Token[] } | undefined {
  let best: { spec: CommandSpec; rest: Token[] } | undefined;
  for (const spec of specs) {
    const words = spec.verb.split(' ');
    const matches = words.every(
      (w, i) => tokens[i] !== undefined && !tokens[i].quoted && tokens[i].value.toLowerCase() === w,
    );
    if (matches && (!best || words.length > best.spec.verb.split(' ').length))
      best = { spec, rest: tokens.slice(words.length) };
  }
  return best;
}

function unknownCommandHelp(tokens: Token[], specs: readonly CommandSpec[], prefix: string): string {
  const first = tokens[0]?.value.toLowerCase();
  const family = specs.filter((s) => s.verb.includes(' ') && s.verb.split(' ')[0] === first);
  const hint =
    family.length > 0 ? ` Did you mean one of: ${family.map((s) => `\`${prefix}${s.verb}\``).join(', ')}?` : '';
  return `I don't know that command.${hint} \`${prefix}help\` lists what you can do.`;
}

export async function dispatch(
  services: Services,
  call: Invocation,
  specs: readonly CommandSpec[] = allCommands,
): Promise<Reply[]> {
  const tokens = tokenize(call.text);
  const found = findCommand(tokens.length === 0 ? [{ value: 'help', quoted: false }] : tokens, specs);
  const command = found ? found.spec.verb.replace(' ', '.') : 'unknown';
  return runLogged(services.logger, 'command.done', { actor: call.actor, place: call.place, command }, async () => {
    if (!found) return { outcome: 'invalid', message: unknownCommandHelp(tokens, specs, call.prefix) };
    const { spec, rest } = found;
    const access = await services.roster.access(call.actor);
    if (spec.audience !== 'anyone' && !mayRun(spec.audience, access))
      return { outcome: 'refused', message: refusal[spec.audience] };
    const ctx: CommandContext = {
      actor: call.actor,
      place: call.place,
      access,
      services,
      prefix: call.prefix,
      mention: call.mention,
      ...(call.actorTimeZone ? { actorTimeZone: call.actorTimeZone } : {}),
    };
    return spec.run(ctx, rest);
  });
}
