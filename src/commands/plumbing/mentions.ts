// Turns the mention words of a command into user ids, and refuses a word that looks like a
// mention but names nobody (without repeating it: it may be anything).
import { invalid } from '../../core/plumbing/errors.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { usage, type CommandContext, type CommandSpec } from './spec.js';
import type { Token } from './tokens.js';

export const looksLikeMention = (token: Token): boolean => !token.quoted && /^<?@/.test(token.value);

/** Splits `tokens` at the first mention: the words before it, then the people. */
export function splitAtMentions(
  ctx: CommandContext,
  tokens: Token[],
): { before: Token[]; users: UserId[]; after: Token[] } {
  const first = tokens.findIndex(looksLikeMention);
  if (first < 0) return { before: tokens, users: [], after: [] };
  let end = first;
  const users: UserId[] = [];
  while (end < tokens.length && looksLikeMention(tokens[end] as Token)) {
    const user = ctx.mention((tokens[end] as Token).value);
    if (!user) throw invalid('One of the people you mentioned is not someone I can find. Mention people with @.');
    users.push(user);
    end++;
  }
  return { before: tokens.slice(0, first), users, after: tokens.slice(end) };
}

/** The one person a command such as `forget <@user>` names, and nothing else; otherwise its usage. */
export function oneMention(ctx: CommandContext, tokens: Token[], spec: CommandSpec): UserId {
  const { before, users, after } = splitAtMentions(ctx, tokens);
  if (users.length !== 1 || before.length > 0 || after.length > 0)
    throw invalid(`Mention one person. Usage: ${usage(spec, ctx.prefix)}`);
  return users[0] as UserId;
}
