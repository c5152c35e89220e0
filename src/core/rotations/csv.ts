// Reads CSV as RFC 4180 says: fields separated by commas, records by CRLF (a bare LF or CR is
// accepted too, as spreadsheets export them), a field in double quotes may hold commas, line
// breaks and doubled quotes (""), and a UTF-8 byte order mark at the start is ignored.
// Problems are reported by line and column only: a cell may hold anything, so no message ever
// quotes one back.

export interface CsvRecord {
  /** The line (1-based) the record starts on; a quoted line break makes a record span lines. */
  line: number;
  cells: string[];
}

export interface CsvProblem {
  line: number;
  /** 1-based column, when the problem sits in one cell. */
  column?: number;
  message: string;
}

export interface CsvResult {
  records: CsvRecord[];
  problems: CsvProblem[];
}

/** Splits `text` into records. Blank lines are skipped; a broken quote ends the parse of its record. */
export function parseCsv(text: string): CsvResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let broken = false;
    // One record: cells until an unquoted line break or the end of the input.
    for (;;) {
      if (i < n && input[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const ch = input[i] as string;
          if (ch === '"') {
            if (input[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\r' || ch === '\n') {
            line++;
            if (ch === '\r' && input[i + 1] === '\n') {
              cell += '\r\n';
              i += 2;
              continue;
            }
          }
          cell += ch;
          i++;
        }
        if (!closed) {
          problems.push({
            line: startLine,
            column: cells.length + 1,
            message: 'a quoted cell is never closed (a " is missing)',
          });
          return { records, problems };
        }
        if (i < n && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') {
          problems.push({
            line,
            column: cells.length + 1,
            message: 'text follows a closing quote (write a quote inside a quoted cell as "")',
          });
          broken = true;
          while (i < n && input[i] !== '\r' && input[i] !== '\n') i++;
        }
      } else {
        while (i < n && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') {
          if (input[i] === '"' && !broken) {
            problems.push({
              line,
              column: cells.length + 1,
              message: 'a quote inside an unquoted cell (quote the whole cell and double the quote)',
            });
            broken = true;
          }
          cell += input[i];
          i++;
        }
      }
      cells.push(cell);
      cell = '';
      if (i < n && input[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // The record's line break.
    if (i < n && input[i] === '\r') i++;
    if (i < n && input[i] === '\n') i++;
    line++;
    const blank = cells.length === 1 && cells[0] === '';
    if (!blank && !broken) records.push({ line: startLine, cells });
  }
  return { records, problems };
}
