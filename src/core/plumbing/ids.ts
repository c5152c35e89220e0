// Self-describing identifiers: every user and place id says which platform it lives on, so
// one store can hold Slack, Teams and terminal people side by side.
//   slack:T0123:U0456        a Slack user in workspace T0123
//   teams:<tenant>:<aad id>  a Teams user
//   console:alice            a person in the terminal chat
// Places (channels) follow the same shape; the adapter that made one knows how to read it.

export type Platform = 'slack' | 'teams' | 'console';
export type UserId = string;
export type Place = string;

const PLATFORMS: readonly Platform[] = ['slack', 'teams', 'console'];

export function platformOf(id: string): Platform | undefined {
  const prefix = id.slice(0, id.indexOf(':'));
  return (PLATFORMS as readonly string[]).includes(prefix) ? (prefix as Platform) : undefined;
}

const USER_ID =
  /^(slack:T[A-Z0-9]+:[UW][A-Z0-9]+|teams:[A-Za-z0-9._-]{1,64}:[A-Za-z0-9._-]{1,64}|console:[a-z0-9][a-z0-9._-]{0,39})$/;

export function isUserId(id: string): id is UserId {
  return USER_ID.test(id);
}

export function consoleUser(name: string): UserId | undefined {
  const id = `console:${name.toLowerCase()}`;
  return isUserId(id) ? id : undefined;
}

/** How a person is shown in a roster: the platform renders the id as a mention. */
export function shortName(id: UserId): string {
  return id.slice(id.lastIndexOf(':') + 1);
}
