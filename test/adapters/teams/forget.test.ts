// `/balint forget` reaches what only the Teams adapter keeps about a person.
import { afterEach, describe, expect, it } from 'vitest';
import { aad, member, personalChat, personalMessage, startTeamsBot, user, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

describe('forgetting a person on Teams', () => {
  it("erases their conversation references, member id and 1:1 chat, and leaves others' alone", async () => {
    bot = await startTeamsBot();
    await bot.send(personalMessage(1, 'help'));
    await bot.send(personalMessage(3, 'help'));
    const before = await bot.snapshot();
    for (const id of [aad(1), member(1), personalChat(1)]) expect(before).toContain(id);

    const report = await bot.app.services.rights.forget(user(1));
    expect(report).toMatchObject({ other: 3 });
    const after = await bot.snapshot();
    for (const id of [aad(1), member(1), personalChat(1)]) expect(after).not.toContain(id);
    for (const id of [aad(3), member(3), personalChat(3)]) expect(after).toContain(id);
  });
});
