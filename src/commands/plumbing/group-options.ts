// Groups as the options of a form's select, and the search over them that a platform runs as
// the person types (Slack's external select beyond 100 groups). The caller passes only the
// groups the person may pick: the search never widens what the form offers.
import type { Group } from '../../core/model.js';
import type { FormOption } from './form-spec.js';

/** What one search answers with at most (Slack shows up to 100 options). */
export const MAX_FOUND = 100;

export const groupOptions = (groups: readonly Group[]): FormOption[] =>
  [...groups].sort((a, b) => a.name.localeCompare(b.name)).map((g) => ({ value: g.id, label: g.name }));

/** The groups whose name has every word of `query` (any case), names starting with it first. */
export function searchGroups(groups: readonly Group[], query: string): FormOption[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const q = words.join(' ');
  const found = groupOptions(groups).filter((o) => words.every((w) => o.label.toLowerCase().includes(w)));
  const starts = (o: FormOption) => (o.label.toLowerCase().startsWith(q) ? 0 : 1);
  return found.sort((a, b) => starts(a) - starts(b)).slice(0, MAX_FOUND);
}
