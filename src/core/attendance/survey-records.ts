// Survey links in the store, one document each; few enough per bot that a scan lists them.
import { unchanged, type Store } from '../ports.js';
import type { Group } from '../model.js';
import { surveyAppliesTo, type Survey } from './survey.js';

const SURVEYS = 'surveys';

export class SurveyRecords {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<Survey | undefined> {
    return this.store.get<Survey>(SURVEYS, id);
  }

  put(survey: Survey): Promise<void> {
    return this.store.set(SURVEYS, survey.id, survey);
  }

  remove(id: string): Promise<boolean> {
    return this.store.delete(SURVEYS, id);
  }

  async all(): Promise<Survey[]> {
    const found: Survey[] = [];
    for await (const [, survey] of this.store.entries<Survey>(SURVEYS)) found.push(survey);
    return found.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The group's own surveys and its program's. */
  async forGroup(group: Group): Promise<Survey[]> {
    return (await this.all()).filter((s) => surveyAppliesTo(s, group));
  }

  async countSent(id: string): Promise<void> {
    await this.store.update<Survey>(SURVEYS, id, (current) =>
      current ? { ...current, sent: current.sent + 1 } : unchanged,
    );
  }
}
