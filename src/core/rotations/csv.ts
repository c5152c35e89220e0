// Reads CSV as spreadsheets write it, with csv-parse (maintained, RFC 4180): a UTF-8 byte order
// mark, CRLF, LF or CR line ends, quoted cells holding separators, line breaks and doubled
// quotes, and the separator Excel uses where a comma is the decimal mark (`;`) or a tab.
// Rows whose cells are all empty (the `,,,,` a spreadsheet leaves at the end) are skipped.
// Problems are reported by line and column only: a cell may hold anything, so no message ever
// quotes one back.
import { parse, type CsvError } from 'csv-parse/sync';

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

export type Separator = ',' | ';' | '\t';

export interface CsvResult {
  records: CsvRecord[];
  problems: CsvProblem[];
  separator: Separator;
  /** True when parsing stopped at `maxRecords`: the file has more. */
  truncated: boolean;
}

export interface CsvOptions {
  /** The header names expected: the separator that splits the first line into most of them wins. */
  expected?: readonly string[];
  /** Stop after this many records (the header included); `truncated` says more followed. */
  maxRecords?: number;
}

const SEPARATORS: readonly Separator[] = [',', ';', '\t'];

export const headerKey = (cell: string): string => cell.toLowerCase().replace(/\s+/g, '');

/** The separator of the first line: the one naming most expected columns, else the most used, else a comma. */
export function detectSeparator(firstLine: string, expected: readonly string[] = []): Separator {
  let best: Separator = ',';
  let bestScore = [-1, -1];
  for (const sep of SEPARATORS) {
    const cells = firstLine.split(sep).map((c) => headerKey(c.replace(/"/g, '')));
    const score = [cells.filter((c) => expected.includes(c)).length, cells.length - 1];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = sep;
      bestScore = score;
    }
  }
  return best;
}

const MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed (a " is missing)',
  CSV_INVALID_CLOSING_QUOTE: 'text follows a closing quote (write a quote inside a quoted cell as "")',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted cell (quote the whole cell and double the quote)',
};

/** True when the text holds NUL characters: UTF-16 (or a binary file) read as UTF-8. */
export const looksLikeUtf16 = (text: string): boolean => text.includes('\u0000');

/**
 * Splits `text` into records. Blank and all-empty rows are skipped. The first malformed quote
 * ends the parse: what follows it cannot be read reliably, so it is reported and nothing after it.
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvResult {
  // One line end everywhere, ending the last line too, so line numbers are counts of "\n".
  let input = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  if (input.length > 0 && !input.endsWith('\n')) input += '\n';
  const firstLine = input.slice(0, Math.max(0, input.indexOf('\n')) || input.length);
  const separator = detectSeparator(firstLine, options.expected);
  const lines = input.split('\n').slice(0, -1);
  const problems: CsvProblem[] = [];
  let failed: CsvError | undefined;
  const parsed = parse(input, {
    delimiter: separator,
    record_delimiter: '\n',
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    trim: true,
    info: true,
    raw: true,
    ...(options.maxRecords !== undefined ? { to: options.maxRecords + 1 } : {}),
    on_skip: (error: CsvError | undefined) => {
      failed ??= error;
      return undefined;
    },
  }) as unknown as Array<{ record: string[]; raw: string }>;
  const records: CsvRecord[] = [];
  // Line numbers from where each record's raw text sits in the input (csv-parse's own count
  // drifts around blank lines): a cursor moves forward, counting the line ends it passes.
  let cursor = 0;
  let line = 1;
  let lastEnd = 0;
  for (const { record, raw } of parsed) {
    const at = input.indexOf(raw, cursor);
    if (at < 0) break;
    for (let i = cursor; i < at; i++) if (input.charCodeAt(i) === 10) line++;
    // A raw record carries the blank and all-empty lines skipped before it.
    const skipped = /^(?:[ \t,;]*\n)*/.exec(raw)?.[0] ?? '';
    for (let i = 0; i < skipped.length; i++) if (skipped.charCodeAt(i) === 10) line++;
    if (failed && line >= (failed.lines as number)) break;
    records.push({ line, cells: record });
    cursor = at + skipped.length;
    const body = raw.slice(skipped.length);
    lastEnd = line + body.split('\n').length - 1 - (body.endsWith('\n') ? 1 : 0);
  }
  if (failed) {
    // csv-parse reports where it noticed the error (for an unclosed quote, the end of the
    // file); the record it belongs to starts on the next non-blank line after the last good one.
    let line = lastEnd + 1;
    while (line < lines.length && /^[\s,;\t]*$/.test(lines[line - 1] as string)) line++;
    line = Math.min(line, failed.lines as number, lines.length);
    const column = typeof failed.index === 'number' ? failed.index + 1 : undefined;
    problems.push({
      line: Math.max(1, line),
      ...(column !== undefined ? { column } : {}),
      message: MESSAGES[failed.code] ?? 'this row cannot be read as CSV',
    });
  }
  const truncated = options.maxRecords !== undefined && records.length > options.maxRecords;
  return { records: truncated ? records.slice(0, options.maxRecords) : records, problems, separator, truncated };
}
