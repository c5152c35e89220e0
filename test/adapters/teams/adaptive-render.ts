// Renders an Adaptive Card with Microsoft's `adaptivecards` library (the renderer of Teams' web
// client) into jsdom, with a host config like Teams' light theme, and lets a test use it as a
// person would: type into the rendered <input>s, pick choices, press a button. Pressing runs the
// library's own input validation; what would go to Teams is the action's data.
import './adaptive-validate.js'; // installs jsdom's window and document first

// The renderer uses DOM classes as globals (`instanceof HTMLInputElement`): lend it jsdom's.
const g = globalThis as Record<string, unknown>;
for (const name of Object.getOwnPropertyNames(window))
  if (/^(HTML\w*Element|Element|Node|Event|KeyboardEvent|MouseEvent|getComputedStyle)$/.test(name))
    g[name] ??= (window as unknown as Record<string, unknown>)[name];
const AC = await import('adaptivecards');
// Teams renders a subset of Markdown; plain text (escaped) is enough for inputs and buttons.
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  const div = document.createElement('div');
  div.textContent = text;
  result.outputHtml = div.innerHTML;
  result.didProcess = true;
};

/** Close to Teams' light theme where it matters to inputs and actions (Teams ships its own). */
export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16 },
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  inputs: { label: { requiredInputs: { suffix: ' *' } }, errorMessage: { size: 'Default' } },
};

export interface Pressed {
  /** The action's data with every input merged in, as the client sends it. */
  data: Record<string, unknown>;
  verb?: string;
}

export interface RenderedCard {
  root: HTMLElement;
  /** Types `text` into an Input.Text/Number/Date/Time, as keystrokes would leave it. */
  type(inputId: string, text: string): void;
  /** Picks an option of an Input.ChoiceSet (drop-down or radio buttons) by its value. */
  choose(inputId: string, value: string): void;
  /** Presses the button titled `title`: the data it sends, or the ids of inputs that failed. */
  press(title: string): { pressed: Pressed } | { invalid: string[]; messages: string[] };
}

/** The <input>/<select> (or radio group) the renderer drew for an input; protected in its types. */
const controlOf = (input: unknown): HTMLElement | undefined =>
  (input as { renderedInputControlElement?: HTMLElement }).renderedInputControlElement;

function control(card: InstanceType<typeof AC.AdaptiveCard>, inputId: string): HTMLElement {
  const input = card.getElementById(inputId);
  const element = input instanceof AC.Input ? controlOf(input) : undefined;
  if (!element) throw new Error(`no input ${inputId}`);
  return element;
}

export function renderCard(json: unknown): RenderedCard {
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig(TEAMS_HOST_CONFIG);
  card.parse(json);
  const root = card.render();
  if (!root) throw new Error('the card did not render');
  document.body.appendChild(root);
  let pressed: Pressed | undefined;
  card.onExecuteAction = (action) => {
    const a = action as InstanceType<typeof AC.ExecuteAction>;
    pressed = { data: a.data as Record<string, unknown>, ...(a.verb ? { verb: a.verb } : {}) };
  };
  const inputs = () => card.getAllInputs();

  return {
    root,
    type(inputId, text) {
      const element = control(card, inputId);
      const field = element instanceof window.HTMLInputElement ? element : element.querySelector('input, textarea');
      if (!field) throw new Error(`${inputId} has no text field`);
      (field as HTMLInputElement).value = text;
      field.dispatchEvent(new window.Event('input', { bubbles: true }));
      field.dispatchEvent(new window.Event('change', { bubbles: true }));
    },
    choose(inputId, value) {
      const element = control(card, inputId);
      const select = element instanceof window.HTMLSelectElement ? element : element.querySelector('select');
      if (select) {
        select.value = value;
        if (select.value !== value) throw new Error(`${inputId} has no option ${value}`);
        select.dispatchEvent(new window.Event('change', { bubbles: true }));
        return;
      }
      const radio = [...element.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]')].find(
        (r) => r.value === value,
      );
      if (!radio) throw new Error(`${inputId} has no option ${value}`);
      radio.click();
    },
    press(title) {
      const button = [...root.querySelectorAll<HTMLElement>('button')].find(
        (b) => b.getAttribute('aria-label') === title || b.textContent?.trim() === title,
      );
      if (!button) throw new Error(`no button ${title}`);
      pressed = undefined;
      button.click();
      if (pressed) return { pressed };
      const failed = inputs().filter((i) => !(i.isRequired ? i.isSet() && i.isValid() : i.isValid()));
      // The renderer shows each error as a text block the input names in aria-labelledby.
      const messages = failed.flatMap((i) =>
        (controlOf(i)?.getAttribute('aria-labelledby') ?? '')
          .split(' ')
          .map((id) => (id ? document.getElementById(id) : null))
          .filter((e) => e && e.tagName !== 'LABEL')
          .map((e) => e?.textContent ?? ''),
      );
      const invalid = failed.map((i) => i.id ?? '');
      return { invalid, messages };
    },
  };
}
