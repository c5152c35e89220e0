// Turns the mention words of a command into user ids, and refuses a word that looks like a
// mention but names nobody (without repeating it: it may be anything).
import { invalid } from '../core/errors.js';
import type { UserId } from '../core/ids.js';
import type { CommandContext } from './spec.js';
import type { Token } from './tokens.js';

export const looksLikeMention = (token: Token): boolean => !token.quoted && /^<?@/.test(token.value);

/** Splits `tokens` at the first mention: the words before it, then the people. */
export function splitAtMentions(ctx: CommandContext, tokens: Token[]): { before: Token[]; users: UserId[]; after: Token[] } {
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
