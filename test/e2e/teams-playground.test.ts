// Microsoft's own local Teams client, the Agents Playground, with its default configuration,
// against the real bot process (dist/main.js) in Teams mode without an app id: a person types
// in the personal chat and @mentions the bot in a team channel, and the bot answers both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startPlayground, visibleText, type Playground } from '../support/playground.js';

let bot: BotProcess;
let playground: Playground;

beforeAll(async () => {
  bot = await startBotProcess('teams-playground', {
    NODE_ENV: 'development',
    TEAMS_ENABLED: 'true',
    MICROSOFT_APP_ID: '',
    PORT: '0',
    STORE_URL: 'memory://',
    LOG_LEVEL: 'debug',
  });
  playground = await startPlayground(`http://127.0.0.1:${bot.port}/api/messages`);
}, 60_000);

afterAll(async () => {
  await playground?.stop();
  await bot?.stop();
});

describe('the Agents Playground (default configuration)', () => {
  it('gets an answer to `help` in the personal chat', async () => {
    const since = Date.now();
    const chat = playground.config.personalChat.id;
    await playground.say(chat, 'help');
    const reply = await playground.waitFor(chat, (m) => visibleText(m).includes('what you can do'), since);
    expect(visibleText(reply)).toContain('help');
    expect(bot.lines.filter((l) => l.event === 'teams.dropped')).toEqual([]);
    expect(bot.lines.some((l) => l.event === 'command.done' && l.command === 'help')).toBe(true);
  });

  it('answers `@Balint help` in a team channel (the help goes to the personal chat)', async () => {
    const since = Date.now();
    const general = playground.config.teams[0]?.channels[0]?.id ?? '';
    expect(general).not.toBe('');
    await playground.say(general, 'help', { mentionBot: true });
    const reply = await playground.waitFor(
      playground.config.personalChat.id,
      (m) => visibleText(m).includes('@Balint help'),
      since,
    );
    expect(visibleText(reply)).toContain('what you can do');
    expect(bot.lines.filter((l) => l.event === 'teams.dropped')).toEqual([]);
  });
});
