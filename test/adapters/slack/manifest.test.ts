// The checked-in Slack manifest against the code: the request URLs are the route Bolt is
// mounted on, the events are the ones we listen to, and the scopes are exactly the allowed
// ones, none of which delivers message content.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../../src/adapters/slack/adapter.js';
import { COMMAND_PATTERN, SUBSCRIBED_EVENTS } from '../../../src/adapters/slack/listeners.js';
import { parseYamlSubset, type Yaml } from './yaml-subset.js';

/** What the code uses: commands (/balint), chat:write (posts, ephemerals, updates), im:write
 * (conversations.open for direct messages), users:read (time zones), users:read.email (finding
 * people by email when a roster is imported). */
const ALLOWED_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email'];
/** Scopes that deliver what people write: never. */
const FORBIDDEN_SCOPES = [
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'app_mentions:read',
  'files:read',
  'search:read',
  'channels:read',
  'reactions:read',
];

const manifest = parseYamlSubset(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'manifest', 'slack', 'manifest.yml'), 'utf8'),
);

function at(path: string): Yaml {
  let node: Yaml = manifest;
  for (const key of path.split('/')) {
    if (!node || typeof node !== 'object' || Array.isArray(node) || !(key in node))
      throw new Error(`manifest has no ${path}`);
    node = (node as Record<string, Yaml>)[key] as Yaml;
  }
  return node;
}
const pathOf = (url: Yaml) => new URL(String(url)).pathname;

describe('the Slack manifest', () => {
  it('sends the slash command, interactivity and events to the route Bolt is mounted on', () => {
    const commands = at('features/slash_commands') as Array<Record<string, Yaml>>;
    expect(commands).toHaveLength(1);
    const command = commands[0] as Record<string, Yaml>;
    expect(String(command.command)).toMatch(COMMAND_PATTERN);
    expect(pathOf(command.url as Yaml)).toBe(SLACK_EVENTS_PATH);
    // Mentions arrive as <@U…> only when Slack escapes them: the mention reader depends on it.
    expect(command.should_escape).toBe(true);
    expect(at('settings/interactivity/is_enabled')).toBe(true);
    expect(pathOf(at('settings/interactivity/request_url'))).toBe(SLACK_EVENTS_PATH);
    // An external select (a form's group list beyond 100) asks for its options here.
    expect(pathOf(at('settings/interactivity/message_menu_options_url'))).toBe(SLACK_EVENTS_PATH);
    expect(pathOf(at('settings/event_subscriptions/request_url'))).toBe(SLACK_EVENTS_PATH);
  });

  it('subscribes to exactly the events the code listens to, none carrying messages', () => {
    expect(at('settings/event_subscriptions/bot_events')).toEqual([...SUBSCRIBED_EVENTS]);
    expect(JSON.stringify(manifest)).not.toMatch(/"message\.|app_mention/);
  });

  it('asks for exactly the allowed bot scopes and no user scopes', () => {
    const scopes = at('oauth_config/scopes') as Record<string, Yaml>;
    expect(Object.keys(scopes)).toEqual(['bot']);
    expect([...(scopes.bot as string[])].sort()).toEqual([...ALLOWED_SCOPES].sort());
    for (const scope of FORBIDDEN_SCOPES) expect(scopes.bot).not.toContain(scope);
  });

  it('has the App Home tab on and a read-only messages tab for direct messages', () => {
    expect(at('features/app_home/home_tab_enabled')).toBe(true);
    expect(at('features/app_home/messages_tab_enabled')).toBe(true);
    expect(at('features/app_home/messages_tab_read_only_enabled')).toBe(true);
    expect(at('settings/socket_mode_enabled')).toBe(false);
  });

  it('is read by a reader that refuses YAML outside its subset', () => {
    expect(() => parseYamlSubset('a: [1, 2]')).toThrow();
    expect(() => parseYamlSubset('a:\n   b: c')).toThrow();
    expect(() => parseYamlSubset('a: b\na: c')).toThrow();
    expect(parseYamlSubset('a:\n  - b: "x: y"\n    c: true\n  - d: e')).toEqual({
      a: [{ b: 'x: y', c: true }, { d: 'e' }],
    });
  });
});
