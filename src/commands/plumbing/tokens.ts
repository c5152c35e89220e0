// Splits a command line into words. "Double quotes" (straight or curly, as Slack and phones
// type them) keep spaces inside one word, so a group can be named "PA Cohort A".
export interface Token {
  value: string;
  quoted: boolean;
}

const OPEN_QUOTES = new Set(['"', '\u201C', '\u201E']);
const CLOSE_QUOTES = new Set(['"', '\u201D', '\u201C']);

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (OPEN_QUOTES.has(ch)) {
      let j = i + 1;
      while (j < line.length && !CLOSE_QUOTES.has(line[j] as string)) j++;
      tokens.push({ value: line.slice(i + 1, j), quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < line.length && !/\s/.test(line[j] as string)) j++;
    tokens.push({ value: line.slice(i, j), quoted: false });
    i = j;
  }
  return tokens;
}

/** True when the token is `word` typed as a keyword (unquoted, any case). */
export const isKeyword = (token: Token | undefined, word: string): boolean =>
  token !== undefined && !token.quoted && token.value.toLowerCase() === word;

export const joinWords = (tokens: Token[]): string => tokens.map((t) => t.value).join(' ');
