// The terminal chat: one person types `/balint …` lines and sees what the bot answers.
// `/as <name>` switches who is typing and `/in <channel>` where, so rosters, permissions and
// several people's views can be tried alone. Works on a TTY and on piped input (it returns at
// the end of input, after the last line's answers are out).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { consoleUser, shortName, type Place, type UserId } from '../../core/plumbing/ids.js';
import { deliver } from '../../core/deliver.js';
import { dispatch } from '../../commands/dispatch.js';
import type { Services } from '../../commands/plumbing/spec.js';
import { handleButton } from '../../commands/actions.js';
import { channelName, type ConsoleChat } from './console-chat.js';

export interface TerminalOptions {
  input: Readable;
  output: Writable;
  services: Services;
  chat: ConsoleChat;
  /** Show a prompt and a greeting (a person at a keyboard, not a pipe). */
  interactive: boolean;
}

const COMMAND = /^\/balint(?:\s+|$)/i;
const CHANNEL = /^#?([a-z0-9][a-z0-9_-]{0,39})$/;

const TERMINAL_HELP = [
  'Terminal chat:',
  '  /balint <command>   talk to the bot (/balint help lists the commands)',
  '  /as <name>          type as another person (console:<name>); @name in a command means them',
  '  /in <channel>       move to another channel',
  '  /press <n>          press button n of the last card that had buttons',
  '  /who                who and where you are',
  '  /quit               leave (or Ctrl-D)',
  'Anything else is not sent to the bot: it only hears its own commands, never conversation.',
];

export function createTerminal(options: TerminalOptions) {
  const write = (line: string): void => {
    options.output.write(`${line}\n`);
  };
  const { chat, services } = options;
  let actor: UserId = 'console:you';
  let place: Place = 'console:#general';
  const promptText = () => `${shortName(actor)} in ${channelName(place)}> `;

  async function handle(raw: string): Promise<'quit' | void> {
    const line = raw.trim();
    if (line === '') return;
    if (COMMAND.test(line)) {
      const replies = await dispatch(services, {
        actor,
        place,
        text: line.replace(COMMAND, ''),
        prefix: '/balint ',
        mention: (token) => (token.startsWith('@') ? consoleUser(token.slice(1)) : undefined),
      });
      await deliver(chat, replies, actor, place);
      return;
    }
    const [word, ...rest] = line.split(/\s+/);
    switch (word?.toLowerCase()) {
      case '/as': {
        const who = rest.length === 1 ? consoleUser(rest[0]?.replace(/^@/, '') ?? '') : undefined;
        if (!who) return write('Usage: /as <name> (letters, digits, . _ -; up to 40)');
        actor = who;
        return write(`You are now @${shortName(actor)}.`);
      }
      case '/in': {
        const match = rest.length === 1 ? CHANNEL.exec(rest[0]?.toLowerCase() ?? '') : null;
        if (!match) return write('Usage: /in <channel> (letters, digits, _ -; up to 40)');
        place = `console:#${match[1]}`;
        return write(`You are now in #${match[1]}.`);
      }
      case '/press': {
        const index = Number(rest[0]);
        const press = Number.isInteger(index) ? chat.lastButtons[index - 1] : undefined;
        if (!press) return write('There is no such button on the last card.');
        const { actionId, value } = press.button;
        return deliver(
          chat,
          await handleButton(services, { actionId, value, actor, place: press.place }),
          actor,
          press.place,
        );
      }
      case '/who':
        return write(`You are @${shortName(actor)} (${actor}) in ${channelName(place)}.`);
      case '/quit':
      case '/exit':
        return 'quit';
      default:
        for (const help of TERMINAL_HELP) write(help);
    }
  }

  async function run(): Promise<void> {
    const rl = createInterface({
      input: options.input,
      output: options.interactive ? options.output : undefined,
      terminal: options.interactive,
    });
    if (options.interactive) {
      write('Balint bot, terminal chat. Type /balint help to begin, /quit to leave.');
      rl.setPrompt(promptText());
      rl.prompt();
    }
    for await (const line of rl) {
      if ((await handle(line)) === 'quit') break;
      if (options.interactive) {
        rl.setPrompt(promptText());
        rl.prompt();
      }
    }
    rl.close();
    // Piped input may start a session and end right away: let the session run to its end.
    if (await services.timers.anyRunning()) {
      write('(End of input: waiting for the running session to end. Ctrl-C stops.)');
      while (await services.timers.anyRunning()) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return { run, handle };
}
