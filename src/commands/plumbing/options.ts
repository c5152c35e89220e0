// Reads "<leading words> [keyword value]…" argument lists such as
// `PA Cohort A program PA tz America/New_York`.
import { invalid } from '../../core/plumbing/errors.js';
import { isKeyword, type Token } from './tokens.js';

export interface ParsedOptions {
  leading: Token[];
  options: Map<string, string>;
}

export function parseOptions(tokens: Token[], keywords: readonly string[], usage: string): ParsedOptions {
  const keywordAt = (i: number): string | undefined => keywords.find((k) => isKeyword(tokens[i], k));
  let i = 0;
  while (i < tokens.length && keywordAt(i) === undefined) i++;
  const leading = tokens.slice(0, i);
  const options = new Map<string, string>();
  while (i < tokens.length) {
    const keyword = keywordAt(i);
    if (keyword === undefined) throw invalid(`I could not read that. Usage: ${usage}`);
    if (options.has(keyword)) throw invalid(`\`${keyword}\` is given twice. Usage: ${usage}`);
    const value = tokens[i + 1];
    if (value === undefined || keywordAt(i + 1) !== undefined)
      throw invalid(`\`${keyword}\` needs a value. Usage: ${usage}`);
    options.set(keyword, value.value);
    i += 2;
  }
  return { leading, options };
}
