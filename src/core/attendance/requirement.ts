// The attendance asked of a group's members: the group's own (`group set <group> attendance 6 of
// 8`) or, without one, its program's (`program set PA attendance 6 of 8`). One lookup for the
// chat, the digest and the export, so they can never apply different requirements.
import type { Group, Program } from '../model.js';
import type { Store } from '../ports.js';

/** "6 of 8": attend `attended` of every `of` sessions. */
export interface Requirement {
  attended: number;
  of: number;
}

/** A requirement as it applies to a group, and whose it is. */
export interface AppliedRequirement extends Requirement {
  from: 'group' | 'program';
  program?: Program;
}

const PROGRAM_REQUIREMENTS = 'attendance-programs';

/** The group's own requirement wins; else its program's; else none. */
export function applyRequirement(
  group: Group,
  programs: ReadonlyMap<Program, Requirement>,
): AppliedRequirement | undefined {
  if (group.attendance) return { ...group.attendance, from: 'group' };
  const ofProgram = group.program && programs.get(group.program);
  return ofProgram && group.program ? { ...ofProgram, from: 'program', program: group.program } : undefined;
}

/** `6 of 8`, `6 of 8 (the PA program's)`, or `none`. */
export function describeRequirement(req: AppliedRequirement | Requirement | undefined): string {
  if (!req) return 'none';
  const own = `${req.attended} of ${req.of}`;
  return 'from' in req && req.from === 'program' ? `${own} (the ${req.program ?? ''} program's)` : own;
}

/** Program-wide requirements: one small document per program, naming nobody. */
export class ProgramRequirements {
  constructor(private readonly store: Store) {}

  get(program: Program): Promise<Requirement | undefined> {
    return this.store.get<Requirement>(PROGRAM_REQUIREMENTS, program);
  }

  /** Undefined removes the program's requirement. */
  async set(program: Program, req: Requirement | undefined): Promise<void> {
    if (req) await this.store.set<Requirement>(PROGRAM_REQUIREMENTS, program, { attended: req.attended, of: req.of });
    else await this.store.delete(PROGRAM_REQUIREMENTS, program);
  }

  async all(): Promise<Map<Program, Requirement>> {
    const found = new Map<Program, Requirement>();
    for await (const [program, req] of this.store.entries<Requirement>(PROGRAM_REQUIREMENTS))
      found.set(program as Program, req);
    return found;
  }

  async forGroup(group: Group): Promise<AppliedRequirement | undefined> {
    if (group.attendance || !group.program) return applyRequirement(group, new Map());
    const req = await this.get(group.program);
    return applyRequirement(group, new Map(req ? [[group.program, req]] : []));
  }
}
