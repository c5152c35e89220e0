// Slack ids inside the bot's self-describing ids: people are `slack:<team>:<user>`, places
// `slack:<team>:<channel>`. A person used as a place means their direct messages with the bot
// (a button pressed on the App Home has no channel).
import type { Place, UserId } from '../../core/plumbing/ids.js';

const TEAM = /^T[A-Z0-9]{1,20}$/;
const SLACK_ID = /^[A-Z][A-Z0-9]{1,20}$/;

export const slackUser = (team: string, user: string): UserId => `slack:${team}:${user}`;
export const slackPlace = (team: string, channel: string): Place => `slack:${team}:${channel}`;

/** The workspace and the Slack id inside `slack:<team>:<id>`, or undefined when it is not one. */
export function parseSlackId(id: string): { team: string; id: string } | undefined {
  const [platform, team, local, ...rest] = id.split(':');
  if (platform !== 'slack' || rest.length > 0 || !team || !local || !TEAM.test(team) || !SLACK_ID.test(local))
    return undefined;
  return { team, id: local };
}

/** Whether a Slack id names a person (U…, or W… on Enterprise Grid) rather than a conversation. */
export const isPersonId = (id: string): boolean => /^[UW]/.test(id);

// With "escape channels, users and links" on (the manifest sets should_escape), Slack sends a
// mention typed in a slash command as <@U123|name> (or <@U123>). The name part is dropped.
const MENTION = /^<@([UW][A-Z0-9]{1,20})(?:\|[^<>]*)?>$/;

/** The dispatcher's mention reader for one workspace. */
export function mentionReader(team: string): (token: string) => UserId | undefined {
  return (token) => {
    const match = MENTION.exec(token);
    return match ? slackUser(team, match[1] as string) : undefined;
  };
}
