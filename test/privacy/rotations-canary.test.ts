// A marker pushed through every cell of a calendar and a roster file. Where the file asks for
// it (a rotation's name) it is stored and shown to the student and coordinators; anywhere
// else it is refused without being quoted, stored or logged.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../support/harness.js';
import { describeProblem } from '../../src/core/rotations/rows.js';

const MARKER = `cnry${randomBytes(6).toString('hex')}`;

describe('the privacy canary through CSV cells', () => {
  it('never echoes, stores or logs a bad cell; a rotation name is kept only where asked for', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.services.rotations.importRoster('group,program,student,role\nPA Cohort A,PA,console:ann,member\n');
    const files = [
      `student,program,rotation,start,end\n${MARKER},PA,Surgery,2027-02-01,2027-03-05\n`,
      `student,program,rotation,start,end\nconsole:ann,${MARKER},Surgery,2027-02-01,2027-03-05\n`,
      `student,program,rotation,start,end\nconsole:ann,PA,Surgery,${MARKER},2027-03-05\n`,
      `student,program,rotation,start,end\nconsole:ann,PA,"<@${MARKER}>",2027-02-01,2027-03-05\n`,
      `student,program,rotation,start,end\nconsole:ann,PA,Surgery,2027-02-01,2027-03-05,"${MARKER}\n`,
      `student,program,${MARKER},start,end\n`,
      `${MARKER}\n"${MARKER}`,
    ];
    const before = await h.snapshot();
    for (const file of files) {
      const report = await h.services.rotations.importRotations(file);
      expect(report.accepted).toBe(false);
      expect(report.problems.map(describeProblem).join('\n')).not.toContain(MARKER);
    }
    const roster = await h.services.rotations.importRoster(
      `group,program,student,role\n${MARKER} @x,PA,console:bo,${MARKER}\n`,
    );
    expect(JSON.stringify(roster)).not.toContain(MARKER);
    expect(await h.snapshot()).toBe(before);

    // The asked-for field: the rotation's name.
    expect(
      await h.services.rotations.importRotations(
        `student,program,rotation,start,end\nconsole:ann,PA,${MARKER},2027-02-01,2027-03-05\n`,
      ),
    ).toMatchObject({ accepted: true });
    expect(await h.say('ann', 'rotations')).toContain(MARKER);
    await h.clock.advance(60 * 86_400_000);
    const stored = JSON.parse(await h.snapshot()) as Record<string, Record<string, { name?: string }>>;
    for (const rotation of Object.values(stored.rotations ?? {})) rotation.name = '(name)';
    for (const day of Object.values(stored['rotation-days'] ?? {}) as Array<{ names?: string[] }>) day.names = [];
    expect(JSON.stringify(stored)).not.toContain(MARKER);
    expect(h.logs.lines.length).toBeGreaterThan(0);
    expect(h.logs.lines.join('\n')).not.toContain(MARKER);
  });
});
