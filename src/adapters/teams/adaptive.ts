// The small slice of the Adaptive Card schema (version 1.5) the bot writes, shared by the card
// and form renderers. Plain JSON: no SDK types, so the renderers test without botbuilder.
export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_VERSION = '1.5';
export const ADAPTIVE_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type AdaptiveElement = { [key: string]: Json };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: AdaptiveElement[];
  fallbackText?: string;
  msteams?: { width?: 'Full'; entities?: MentionEntity[] };
  [key: string]: Json | undefined | AdaptiveElement[] | { width?: 'Full'; entities?: MentionEntity[] };
}

export interface MentionEntity {
  [key: string]: Json;
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** The data every button and form submit carries back: our route and an opaque value. */
export interface ActionData {
  [key: string]: Json;
  /** The action id (`timer:next`), or FORM_VERB for a form. */
  verb: string;
  value: string;
}

/** Adaptive Card text is Markdown with `{{DATE()}}` functions: keep text from becoming either. */
export function escapeText(value: string): string {
  return value.replace(/\{\{/g, '{\u200b{');
}

/** A button: Action.Execute (Universal Actions) falling back to Action.Submit on older clients. */
export function executeAction(title: string, data: ActionData, style?: 'positive' | 'destructive'): AdaptiveElement {
  const styled: AdaptiveElement = style ? { style } : {};
  return {
    type: 'Action.Execute',
    title,
    verb: data.verb,
    data,
    ...styled,
    fallback: { type: 'Action.Submit', title, data, ...styled },
  };
}

export function adaptiveCard(
  body: AdaptiveElement[],
  extra: { fallbackText?: string; entities?: MentionEntity[] } = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_SCHEMA,
    version: ADAPTIVE_VERSION,
    body,
    ...(extra.fallbackText ? { fallbackText: extra.fallbackText } : {}),
    msteams: { width: 'Full', ...(extra.entities && extra.entities.length > 0 ? { entities: extra.entities } : {}) },
  };
}
