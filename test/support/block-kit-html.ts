// A small HTML rendering of a Block Kit view, for screenshots of the App Home in the docs:
// header, section (text, fields, a select beside it), context, actions (buttons), divider.
// Close to how Slack draws them, not a copy: enough to show what each role sees.
type Json = Record<string, unknown>;

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Slack mrkdwn as we write it: *bold*, `code`, <!date^…|fallback>, <@U…>, escapes, newlines. */
function mrkdwn(text: string, names: Record<string, string>): string {
  let out = text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, (_m, fallback: string) => `[[date:${fallback}]]`)
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `[[at:${names[id] ?? id}]]`);
  out = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  out = escapeHtml(out)
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\[\[date:([^\]]*)\]\]/g, '<span class="date">$1</span>')
    .replace(/\[\[at:([^\]]*)\]\]/g, '<span class="mention">@$1</span>');
  return out.replace(/\n/g, '<br>');
}

const textOf = (value: unknown, names: Record<string, string>): string => {
  const t = value as { type?: string; text?: string } | undefined;
  if (!t?.text) return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text, names) : escapeHtml(t.text);
};

function element(e: Json, names: Record<string, string>): string {
  if (e.type === 'button') {
    const style = e.style === 'primary' ? ' primary' : e.style === 'danger' ? ' danger' : '';
    return `<span class="button${style}">${textOf(e.text, names)}</span>`;
  }
  if (e.type === 'static_select') {
    const initial = (e.initial_option as Json | undefined)?.text;
    return `<span class="select">${initial ? textOf(initial, names) : `<i>${textOf(e.placeholder, names)}</i>`} ▾</span>`;
  }
  return '';
}

function block(b: Json, names: Record<string, string>): string {
  switch (b.type) {
    case 'header':
      return `<h2>${textOf(b.text, names)}</h2>`;
    case 'divider':
      return '<hr>';
    case 'context':
      return `<div class="context">${(b.elements as Json[]).map((e) => textOf(e, names)).join(' ')}</div>`;
    case 'actions':
      return `<div class="actions">${(b.elements as Json[]).map((e) => element(e, names)).join('')}</div>`;
    case 'section': {
      const fields = b.fields as Json[] | undefined;
      const body = fields
        ? `<div class="fields">${fields.map((f) => `<div>${textOf(f, names)}</div>`).join('')}</div>`
        : `<div>${textOf(b.text, names)}</div>`;
      const accessory = b.accessory ? `<div class="accessory">${element(b.accessory as Json, names)}</div>` : '';
      return `<div class="section">${body}${accessory}</div>`;
    }
    default:
      return '';
  }
}

/** A page showing `blocks` as an App Home titled `title`; `names` turns user ids into names. */
export function homeHtml(title: string, blocks: readonly Json[], names: Record<string, string> = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>
body{margin:0;font:15px/1.45 -apple-system,"Segoe UI",Lato,"DejaVu Sans",sans-serif;color:#1d1c1d;background:#fff}
.bar{background:#3f0e40;color:#fff;padding:10px 20px;font-weight:700}
.tabs{border-bottom:1px solid #ddd;padding:8px 20px;color:#616061}.tabs b{color:#1d1c1d;border-bottom:2px solid #1264a3;padding-bottom:6px}
main{padding:12px 20px 24px;max-width:760px}
h2{font-size:18px;margin:14px 0 6px}
hr{border:0;border-top:1px solid #e8e8e8;margin:14px 0}
.section{display:flex;gap:12px;align-items:flex-start;margin:6px 0}.section>div:first-child{flex:1}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px}
.context{color:#616061;font-size:13px;margin:6px 0}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.button{border:1px solid #bbb;border-radius:4px;padding:4px 12px;font-weight:700;font-size:14px}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}.button.danger{color:#e01e5a}
.select{border:1px solid #bbb;border-radius:4px;padding:4px 12px;min-width:180px;display:inline-block}
code{background:#f6f6f6;border:1px solid #e8e8e8;border-radius:3px;padding:0 3px;color:#e01e5a;font-size:13px}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.date{text-decoration:underline dotted}
</style></head><body><div class="bar">Balint</div><div class="tabs"><b>Home</b> &nbsp; Messages &nbsp; About</div>
<main>${blocks.map((b) => block(b, names)).join('\n')}</main></body></html>`;
}
