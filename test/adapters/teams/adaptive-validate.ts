// Parses an Adaptive Card with Microsoft's own `adaptivecards` library (it needs a DOM: jsdom)
// and returns every parse and validation event, plus any property the library dropped on the
// way back out (a misspelt property parses silently otherwise).
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
const g = globalThis as Record<string, unknown>;
g.window ??= dom.window;
g.document ??= dom.window.document;
g.HTMLElement ??= dom.window.HTMLElement;
const AC = await import('adaptivecards');

/** Teams' own extensions, not part of the Adaptive Card schema the library knows. */
const HOST_KEYS = new Set(['msteams', '$schema']);

function dropped(input: unknown, output: unknown, path: string, out: string[]): void {
  if (Array.isArray(input)) {
    input.forEach((item, i) => dropped(item, Array.isArray(output) ? output[i] : undefined, `${path}[${i}]`, out));
    return;
  }
  if (!input || typeof input !== 'object') return;
  const o = (output && typeof output === 'object' ? output : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (HOST_KEYS.has(key)) continue;
    // Action.Execute keeps `data` as given; the library omits defaults it re-derives.
    if (!(key in o)) {
      if ((key === 'wrap' && value === false) || key === 'fallback') continue;
      out.push(`${path}.${key} was dropped`);
      continue;
    }
    if (key !== 'data') dropped(value, o[key], `${path}.${key}`, out);
  }
}

export function adaptiveCardProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents)
    problems.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
  dropped(json, card.toJSON(), 'card', problems);
  if (card.getItemCount() === 0) problems.push('card has no body');
  return problems;
}
