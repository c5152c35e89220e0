// Reads the small YAML subset our manifests are written in: nested maps by two-space indent,
// lists of scalars or of maps (`- key: value` with the map's further keys indented below),
// plain, double- or single-quoted scalars, true/false, and # comments on their own line. Anything
// else throws, so the manifest cannot drift into YAML this reader would misread.
export type Yaml = string | boolean | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function scalar(raw: string, no: number): string | boolean {
  const value = raw.trim();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(value)) throw new Error(`line ${no}: unterminated string`);
    return JSON.parse(value) as string;
  }
  // Single-quoted, as Prettier writes strings containing ': ' ('' is a quote inside).
  if (value.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(value)) throw new Error(`line ${no}: unterminated string`);
    return value.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*!|>'%@`]/.test(value) || / #|: /.test(value)) throw new Error(`line ${no}: unsupported scalar`);
  return value;
}

export function parseYamlSubset(source: string): Yaml {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    if (/\t/.test(raw)) throw new Error(`line ${i + 1}: tab`);
    const indent = raw.length - raw.trimStart().length;
    if (indent % 2 !== 0) throw new Error(`line ${i + 1}: odd indent`);
    lines.push({ indent, text: raw.trim(), no: i + 1 });
  });
  let at = 0;

  function block(indent: number): Yaml {
    const first = lines[at];
    if (!first || first.indent !== indent) throw new Error(`line ${first?.no ?? 'end'}: expected indent ${indent}`);
    return first.text.startsWith('- ') ? list(indent) : map(indent);
  }

  function entry(out: Record<string, Yaml>, text: string, no: number, indent: number): void {
    const m = /^([A-Za-z0-9_.-]+):(?: (.*))?$/.exec(text);
    if (!m) throw new Error(`line ${no}: expected key: value`);
    const key = m[1] as string;
    if (key in out) throw new Error(`line ${no}: duplicate key ${key}`);
    if (m[2] !== undefined && m[2] !== '') out[key] = scalar(m[2], no);
    else {
      const next = lines[at];
      if (!next || next.indent <= indent) throw new Error(`line ${no}: empty value`);
      out[key] = block(next.indent);
    }
  }

  function map(indent: number): Record<string, Yaml> {
    const out: Record<string, Yaml> = {};
    while (at < lines.length && (lines[at] as Line).indent === indent && !(lines[at] as Line).text.startsWith('- ')) {
      const line = lines[at++] as Line;
      entry(out, line.text, line.no, indent);
    }
    if (at < lines.length && (lines[at] as Line).indent > indent)
      throw new Error(`line ${(lines[at] as Line).no}: unexpected indent`);
    return out;
  }

  function list(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (at < lines.length && (lines[at] as Line).indent === indent && (lines[at] as Line).text.startsWith('- ')) {
      const line = lines[at++] as Line;
      const item = line.text.slice(2);
      if (/^[A-Za-z0-9_.-]+:( |$)/.test(item)) {
        // A map item: its first key on the dash line, the rest indented two more.
        const obj: Record<string, Yaml> = {};
        entry(obj, item, line.no, indent + 2);
        while (at < lines.length && (lines[at] as Line).indent === indent + 2) {
          const more = lines[at++] as Line;
          entry(obj, more.text, more.no, indent + 2);
        }
        out.push(obj);
      } else {
        out.push(scalar(item, line.no));
      }
    }
    return out;
  }

  const result = block(0);
  if (at !== lines.length) throw new Error(`line ${(lines[at] as Line).no}: not read`);
  return result;
}
