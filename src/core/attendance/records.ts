// Where attendance lives: one document per session's sheet, changed only under its lock, and a
// small index per group (sheet ids and start times) so a group's view never scans every sheet.
import { unchanged, type Store } from '../ports.js';
import type { Sheet } from './sheet.js';

const SHEETS = 'attendance';
const GROUP_INDEX = 'attendance-groups';

interface GroupIndex {
  sheets: Array<{ id: string; start: number }>;
}

export class AttendanceRecords {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<Sheet | undefined> {
    return this.store.get<Sheet>(SHEETS, id);
  }

  /** Writes the sheet unless one with its id exists; returns the stored one either way. */
  async createOnce(sheet: Sheet): Promise<Sheet> {
    // Indexed first: a crash in between leaves an id that leads nowhere, never a lost sheet.
    await this.store.update<GroupIndex>(GROUP_INDEX, sheet.groupId, (current) => {
      const sheets = current?.sheets ?? [];
      if (sheets.some((s) => s.id === sheet.id)) return unchanged;
      return { sheets: [...sheets, { id: sheet.id, start: sheet.start }].sort((a, b) => a.start - b.start) };
    });
    let stored: Sheet | undefined;
    await this.store.update<Sheet>(SHEETS, sheet.id, (current) => {
      stored = current ?? sheet;
      return current ? unchanged : sheet;
    });
    return stored as Sheet;
  }

  /** One read-modify-write; `change` returning undefined leaves the sheet as it is. */
  async change(id: string, change: (sheet: Sheet) => Sheet | undefined): Promise<Sheet | undefined> {
    let changed: Sheet | undefined;
    await this.store.update<Sheet>(SHEETS, id, (current) => {
      if (!current) return unchanged;
      changed = change(current);
      return changed ?? unchanged;
    });
    return changed;
  }

  async forGroup(groupId: string): Promise<Sheet[]> {
    const index = await this.store.get<GroupIndex>(GROUP_INDEX, groupId);
    const sheets = await Promise.all((index?.sheets ?? []).map((s) => this.get(s.id)));
    return sheets.filter((s): s is Sheet => s !== undefined).sort((a, b) => a.start - b.start);
  }

  async *all(): AsyncIterable<Sheet> {
    for await (const [, sheet] of this.store.entries<Sheet>(SHEETS)) yield sheet;
  }

  /** Deletes a sheet and its index entry (retention). */
  async remove(sheet: Sheet): Promise<void> {
    await this.store.delete(SHEETS, sheet.id);
    await this.store.update<GroupIndex>(GROUP_INDEX, sheet.groupId, (current) => {
      if (!current) return unchanged;
      const sheets = current.sheets.filter((s) => s.id !== sheet.id);
      return sheets.length === 0 ? undefined : { sheets };
    });
  }
}
