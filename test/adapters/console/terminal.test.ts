import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleChat } from '../../../src/adapters/console/console-chat.js';
import { createTerminal } from '../../../src/adapters/console/terminal.js';
import { createHarness } from '../../support/harness.js';

async function chat(lines: string[], coordinators = ['console:you']) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const chat = new ConsoleChat((line) => output.write(`${line}\n`));
  const h = createHarness(coordinators, chat);
  const terminal = createTerminal({ input, output, services: h.services, chat, interactive: false });
  const done = terminal.run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return { screen, h };
}

describe('the terminal chat', () => {
  it('answers /balint lines as console:you, privately, in #general', async () => {
    const { screen } = await chat(['/balint group create PA Cohort A', '/balint groups']);
    expect(screen).toContain('[#general] Balint, only @you sees this:');
    expect(screen).toContain('== Group created: PA Cohort A ==');
    expect(screen).toMatch(/PA Cohort A\s+no program · 0 people/);
  });

  it('switches person with /as and channel with /in, and @name means console:name', async () => {
    const { screen, h } = await chat([
      '/balint group create PA Cohort A',
      '/balint group add PA Cohort A @alice as leader',
      '/as alice',
      '/in rounds',
      '/who',
      '/balint groups',
      '/balint group create Alice Group',
    ]);
    expect(screen).toContain('You are now @alice.');
    expect(screen).toContain('You are now in #rounds.');
    expect(screen).toContain('You are @alice (console:alice) in #rounds.');
    expect(screen).toContain('[#rounds] Balint, only @alice sees this:');
    expect(screen).toContain('you: leader');
    expect(screen).toContain('Only coordinators can do that.');
    expect((await h.services.roster.findGroup('PA Cohort A'))?.members).toEqual([
      { user: 'console:alice', role: 'leader' },
    ]);
  });

  it('does not send conversation to the bot, and explains its own commands', async () => {
    const { screen, h } = await chat(['I saw a patient today who', '/as', '/in #No Spaces', '/press 4']);
    expect(screen).toContain('it only hears its own commands, never conversation');
    expect(screen).toContain('Usage: /as <name>');
    expect(screen).toContain('Usage: /in <channel>');
    expect(screen).toContain('There is no such button on the last card.');
    expect(screen).not.toContain('I saw a patient');
    expect(h.logs.lines).toEqual([]);
  });

  it('stops at /quit without reading further', async () => {
    const { screen } = await chat(['/quit', '/balint help']);
    expect(screen).toBe('');
  });
});
