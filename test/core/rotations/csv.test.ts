// Calendar and roster files: RFC 4180 reading, and every kind of broken row reported by line,
// column and what is wrong, never by what the cell held; a rejected file changes nothing.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/rotations/csv.js';
import {
  checkRosterCsv,
  checkRotationCsv,
  describeProblem,
  describeProblems,
  MAX_ROWS,
} from '../../../src/core/rotations/rows.js';
import { createHarness } from '../../support/harness.js';

const SECRET = 'zzpatientzz';
const HEADER = 'student,program,rotation,start,end';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    const { records, problems } = parseCsv('\uFEFFa,"b, c","say ""hi"""\r\n"two\r\nlines",x,\r\n\r\nlast,row,here');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b, c', 'say "hi"'] },
      // Line ends are made one before parsing: a quoted line break reads as "\n".
      { line: 2, cells: ['two\nlines', 'x', ''] },
      { line: 5, cells: ['last', 'row', 'here'] },
    ]);
  });

  it('reports an unclosed quote and text after a closing quote by line and column', () => {
    expect(parseCsv('a,b\nc,"d,e\nf').problems).toEqual([
      { line: 2, column: 2, message: 'a quoted cell is never closed (a " is missing)' },
    ]);
    expect(parseCsv('a,"b"x,c').problems[0]).toMatchObject({ line: 1, column: 2 });
    expect(parseCsv('a,b"c').problems[0]).toMatchObject({ line: 1, column: 2 });
  });
});

describe('rotation rows', () => {
  const broken: Array<[string, string, string]> = [
    [
      'a bad header',
      `student,program,rotation,end\nconsole:ann,PA,Surgery,2027-02-05`,
      'line 1: the header has no start column (the header names student, program, rotation, start, end, in any order; case and spaces do not matter)',
    ],
    [
      'too few cells',
      `${HEADER}\nconsole:ann,PA,${SECRET}`,
      'line 2: has 3 cells; expected 5 (student,program,rotation,start,end)',
    ],
    [
      'too many cells',
      `${HEADER}\nconsole:ann,PA,Surgery,2027-01-04,2027-02-05,${SECRET}`,
      'line 2: has 6 cells; expected 5 (student,program,rotation,start,end)',
    ],
    [
      'a bad date',
      `${HEADER}\nconsole:ann,PA,Surgery,2027-02-30,2027-03-05`,
      'line 2, column start: does not exist (check the month and the day)',
    ],
    [
      'a date in another format',
      `${HEADER}\nconsole:ann,PA,Surgery,2027-01-04,${SECRET}`,
      'line 2, column end: is not a date written YYYY-MM-DD',
    ],
    [
      'an end before the start',
      `${HEADER}\nconsole:ann,PA,Surgery,2027-03-04,2027-02-05`,
      'line 2, column end: is before the start',
    ],
    [
      'an unknown program',
      `${HEADER}\nconsole:ann,${SECRET},Surgery,2027-01-04,2027-02-05`,
      'line 2, column program: is not a program; use one of PA, PT, OT, GC, CSD',
    ],
    [
      'an unknown student',
      `${HEADER}\n${SECRET},PA,Surgery,2027-01-04,2027-02-05`,
      'line 2, column student: is neither a user id (slack:T…:U…, teams:<tenant>:<user>, console:name) nor an email address',
    ],
    [
      'a rotation name with a mention',
      `${HEADER}\nconsole:ann,PA,<@U1> ${SECRET},2027-01-04,2027-02-05`,
      "line 2, column rotation: may use letters, digits, spaces and . , ' & ( ) / _ + : - only, starting with a letter or digit",
    ],
    [
      'unbalanced quotes',
      `${HEADER}\nconsole:ann,PA,"${SECRET},2027-01-04,2027-02-05\nconsole:bo,PA,Surgery,2027-01-04,2027-02-05`,
      'line 2, column rotation: a quoted cell is never closed (a " is missing)',
    ],
    [
      'a conflicting repeat',
      `${HEADER}\nconsole:ann,PA,Surgery,2027-01-04,2027-02-05\nconsole:ann,PA,surgery,2027-01-04,2027-02-12`,
      'line 3, column end: repeats the student, program, rotation and start of line 2 with another end date',
    ],
    [
      'an empty file',
      '',
      'line 1: the file is empty; the first line must be the header student,program,rotation,start,end',
    ],
  ];
  for (const [what, file, expected] of broken) {
    it(`reports ${what} without quoting the cell`, () => {
      const { problems } = checkRotationCsv(file);
      expect(problems.map(describeProblem)).toEqual([expected]);
      expect(JSON.stringify(problems)).not.toContain(SECRET);
    });
  }

  it('lists every bad row of a file, in line order', () => {
    const file = [
      HEADER,
      'console:ann,PA,Surgery,2027-01-04,2027-02-05',
      `x${SECRET},PA,Surgery,2027-13-01,2027-02-05`,
      'console:bo,PA,Surgery,2027-01-04,2027-02-05',
      'console:cy,ZZ,Surgery',
    ].join('\r\n');
    expect(checkRotationCsv(file).problems.map((p) => `${p.line}:${p.column ?? ''}`)).toEqual([
      '3:student',
      '3:start',
      '5:',
    ]);
  });

  it('accepts emails in any case, programs in any case, and counts exact repeats', () => {
    const { rows, problems, duplicates } = checkRotationCsv(
      `${HEADER}\nAnn@Example.EDU,pa, Family  Medicine ,2027-01-04,2027-02-05\nann@example.edu,PA,Family Medicine,2027-01-04,2027-02-05\n`,
    );
    expect(problems).toEqual([]);
    expect(duplicates).toBe(1);
    expect(rows).toEqual([
      expect.objectContaining({ student: 'ann@example.edu', program: 'PA', name: 'Family Medicine' }),
    ]);
  });
});

describe('files as spreadsheets write them', () => {
  const ok = (text: string) => {
    const checked = checkRotationCsv(text);
    expect(checked.problems.map(describeProblem)).toEqual([]);
    return checked;
  };
  const ROW = 'console:ann,PA,Surgery,2027-01-04,2027-02-05';

  it('matches header names ignoring case, spaces and order, and names extra columns once', () => {
    const { rows, ignored } = ok(
      `\uFEFF Student ,PROGRAM,Site,Rotation,Start , End,${SECRET}\r\nconsole:ann,PA,x,Surgery,2027-01-04,2027-02-05,y\r\n`,
    );
    expect(rows).toEqual([expect.objectContaining({ student: 'console:ann', name: 'Surgery', end: '2027-02-05' })]);
    expect(ignored).toEqual(['column 3 (C)', 'column 7 (G)']);
  });

  it('detects semicolon and tab separators', () => {
    expect(ok(`student;program;rotation;start;end\n${ROW.replace(/,/g, ';')}\n`).rows).toHaveLength(1);
    expect(ok(`student\tprogram\trotation\tstart\tend\n${ROW.replace(/,/g, '\t')}\n`).rows).toHaveLength(1);
    // A comma inside a cell of a semicolon file is part of the cell.
    expect(
      ok(`student;program;rotation;start;end\nconsole:ann;PA;Surgery, General;2027-01-04;2027-02-05`).rows[0],
    ).toMatchObject({ name: 'Surgery, General' });
  });

  it('ignores the empty rows a spreadsheet leaves at the end, and CR line ends', () => {
    const { rows } = ok(`${HEADER}\r${ROW}\r,,,,\r,,,,\r\r`);
    expect(rows).toHaveLength(1);
    expect(ok(`${HEADER}\n\n${ROW}\n ,,, ,\n`).rows[0]?.line).toBe(3);
  });

  it('refuses a UTF-16 file with the way to save it', () => {
    const utf16 = Buffer.from(`\uFEFF${HEADER}\r\n${ROW}\r\n`, 'utf16le').toString('utf8');
    expect(checkRotationCsv(utf16).problems.map(describeProblem)).toEqual([
      'line 1: the file is not UTF-8 text (it looks like UTF-16, "Unicode text"); save it as CSV UTF-8 (Excel: File, Save As, CSV UTF-8)',
    ]);
  });

  it('names the missing and the unknown columns of a header, the unknown by position only', () => {
    const { problems } = checkRotationCsv(`student,${SECRET},rotation,from,end\n${ROW}`);
    expect(problems.map(describeProblem)).toEqual([
      'line 1: the header has no program column (the header names student, program, rotation, start, end, in any order; case and spaces do not matter)',
      'line 1: the header has no start column (the header names student, program, rotation, start, end, in any order; case and spaces do not matter)',
      'line 1, column 2: is not a column of this file',
      'line 1, column 4: is not a column of this file',
    ]);
    expect(JSON.stringify(problems)).not.toContain(SECRET);
  });

  it('says a date that does not exist does not, and hints at YYYY-MM-DD for a US date', () => {
    const { problems } = checkRotationCsv(
      `${HEADER}\nconsole:ann,PA,Surgery,2027-02-01,2027-02-29\nconsole:bo,PA,Surgery,02/05/2027,03/05/2027\nconsole:cy,PA,Surgery,02/05/2027,2028-02-29`,
    );
    expect(problems.map(describeProblem)).toEqual([
      'line 2, column end: does not exist (check the month and the day)',
      'line 3, column start: is written day and month in a local order; write YYYY-MM-DD (02/05/2027 in the US is 2027-02-05)',
      'line 3, column end: is written day and month in a local order; write YYYY-MM-DD (02/05/2027 in the US is 2027-02-05)',
      'line 4, column start: is written day and month in a local order; write YYYY-MM-DD (02/05/2027 in the US is 2027-02-05)',
    ]);
    // For a person, one line per kind of problem and column, listing its lines.
    expect(describeProblems(problems)).toEqual([
      'line 2, column end: does not exist (check the month and the day)',
      'lines 3, 4, column start: is written day and month in a local order; write YYYY-MM-DD (02/05/2027 in the US is 2027-02-05)',
      'line 3, column end: is written day and month in a local order; write YYYY-MM-DD (02/05/2027 in the US is 2027-02-05)',
    ]);
  });

  it('refuses more rows than the limit without reading past it', () => {
    const many = [
      HEADER,
      ...Array.from({ length: MAX_ROWS + 1 }, (_, i) => `console:s${i},PA,Surgery,2027-01-04,2027-02-05`),
    ];
    expect(checkRotationCsv(many.join('\n')).problems.map(describeProblem)).toEqual([
      `line 1: a file may have at most ${MAX_ROWS} rows; split it`,
    ]);
    expect(checkRotationCsv(many.slice(0, -1).join('\n')).rows).toHaveLength(MAX_ROWS);
  });
});

describe('roster rows', () => {
  it('reports bad groups, roles, programs and conflicting repeats by line and column', () => {
    const file = [
      'group,program,student,role',
      'PA Cohort A,PA,console:ann,member',
      `<#${SECRET}>,PA,console:bo,member`,
      `PA Cohort A,PA,console:cy,${SECRET}`,
      'pa cohort a,PT,console:dee,member',
      'PA Cohort A,PA,console:ann,leader',
    ].join('\n');
    expect(checkRosterCsv(file).problems.map(describeProblem)).toEqual([
      "line 3, column group: is not a group name (letters, digits, spaces and . , ' & ( ) / _ + -, at most 60 characters)",
      'line 4, column role: is not a role; use one of leader, co-leader, member',
      'line 5, column program: differs from the program given for this group on line 2',
      'line 6, column role: differs from the role given for this person in this group on line 2',
    ]);
    expect(JSON.stringify(checkRosterCsv(file))).not.toContain(SECRET);
  });
});

describe('a rejected import changes nothing', () => {
  it('leaves the store exactly as it was', async () => {
    const h = createHarness(['console:coord']);
    await h.services.rotations.importRoster('group,program,student,role\nPA Cohort A,PA,console:ann,member\n');
    await h.services.rotations.importRotations(`${HEADER}\nconsole:ann,PA,Surgery,2027-02-01,2027-03-05\n`);
    const before = await h.snapshot();
    const bad = await h.services.rotations.importRotations(
      `${HEADER}\nconsole:bo,PA,Pediatrics,2027-02-01,2027-03-05\nconsole:cy,PA,${SECRET},2027-02-01,${SECRET}\n`,
    );
    expect(bad).toMatchObject({ accepted: false, added: 0 });
    const badRoster = await h.services.rotations.importRoster(
      'group,program,student,role\nNew Group,PA,console:bo,member\nPA Cohort A,PT,console:cy,member\n',
    );
    expect(badRoster.problems.map(describeProblem)).toEqual([
      'line 3, column program: differs from the program of the existing group by that name',
    ]);
    expect(await h.snapshot()).toBe(before);
    expect(h.logs.lines.join('\n')).not.toContain(SECRET);
  });

  it('creates the groups a roster names and changes roles of people already there', async () => {
    const h = createHarness(['console:coord']);
    await h.run('coord', 'group create PA Cohort A');
    await h.run('coord', 'group add PA Cohort A @ann');
    const report = await h.services.rotations.importRoster(
      'group,program,student,role\nPA Cohort A,PA,console:ann,leader\nPA Cohort B,PA,console:bo,member\nPA Cohort B,PA,console:bo,member\n',
    );
    expect(report).toMatchObject({ accepted: true, groupsCreated: 1, added: 1, roleChanged: 1, duplicates: 1 });
    expect(await h.services.roster.findGroup('PA Cohort A')).toMatchObject({
      program: 'PA',
      members: [{ user: 'console:ann', role: 'leader' }],
    });
    expect(await h.services.roster.findGroup('PA Cohort B')).toMatchObject({
      program: 'PA',
      timeZone: 'America/New_York',
    });
    const before = await h.snapshot();
    expect(
      await h.services.rotations.importRoster(
        'group,program,student,role\nPA Cohort A,PA,console:ann,leader\nPA Cohort B,PA,console:bo,member\n',
      ),
    ).toMatchObject({ groupsCreated: 0, added: 0, roleChanged: 0, unchanged: 2 });
    expect(await h.snapshot()).toBe(before);
  });
});

describe('configuration', () => {
  it('reads the invite time and window, and names a bad value without repeating it', async () => {
    const { readConfig, ConfigError } = await import('../../../src/app/config.js');
    expect(readConfig({ BALINT_ROTATION_INVITE_TIME: '18:30', BALINT_ROTATION_WINDOW_DAYS: '21' }).rotations).toEqual({
      inviteTime: '18:30',
      windowDays: 21,
    });
    expect(readConfig({}).rotations).toBeUndefined();
    try {
      readConfig({ BALINT_ROTATION_INVITE_TIME: '5pm', BALINT_ROTATION_WINDOW_DAYS: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as InstanceType<typeof ConfigError>).problems).toEqual([
        'BALINT_ROTATION_INVITE_TIME: must be a 24-hour time HH:MM, such as 17:00',
        'BALINT_ROTATION_WINDOW_DAYS: must be a whole number of days from 1 to 90',
      ]);
    }
  });
});
