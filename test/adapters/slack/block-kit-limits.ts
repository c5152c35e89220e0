// Slack's Block Kit limits, checked on whatever the bot sent (a message, a modal, a Home view).
// Returns the problems found, so a failing test says which limit and where. The numbers are
// from docs.slack.dev (each block's and element's reference page).
type Json = Record<string, unknown>;

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  url: 3000,
  accessibilityLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  overflowOptions: 5,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  optionText: 75,
  optionValue: 150,
  messageText: 40_000,
  privateMetadata: 3000,
  viewTitle: 24,
} as const;

const textOf = (value: unknown): string =>
  value && typeof value === 'object' ? String((value as Json).text ?? '') : '';

function checkElement(element: Json, where: string, problems: string[]): void {
  const over = (what: string, length: number, max: number) => {
    if (length > max) problems.push(`${where}: ${what} ${length} > ${max}`);
  };
  if (typeof element.action_id === 'string') over('action_id', element.action_id.length, LIMITS.actionId);
  if (element.type === 'button') {
    over('button text', textOf(element.text).length, LIMITS.buttonText);
    if (typeof element.value === 'string') over('button value', element.value.length, LIMITS.buttonValue);
    if (typeof element.url === 'string') over('url', element.url.length, LIMITS.url);
    if (typeof element.accessibility_label === 'string')
      over('accessibility_label', element.accessibility_label.length, LIMITS.accessibilityLabel);
  }
  if (element.type === 'overflow')
    over('overflow options', (element.options as unknown[]).length, LIMITS.overflowOptions);
  if (Array.isArray(element.options)) {
    if (element.type !== 'overflow') over('options', element.options.length, LIMITS.selectOptions);
    for (const option of element.options as Json[]) {
      over('option text', textOf(option.text).length, LIMITS.optionText);
      if (typeof option.value === 'string') over('option value', option.value.length, LIMITS.optionValue);
    }
  }
  if (Array.isArray(element.option_groups)) {
    over('option groups', element.option_groups.length, LIMITS.optionGroups);
    for (const group of element.option_groups as Json[]) {
      over('option group label', textOf(group.label).length, LIMITS.optionGroupLabel);
      checkElement({ type: 'option_group', options: group.options }, `${where} option group`, problems);
    }
  }
  const confirm = element.confirm as Json | undefined;
  if (confirm) {
    over('confirm title', textOf(confirm.title).length, LIMITS.confirmTitle);
    over('confirm text', textOf(confirm.text).length, LIMITS.confirmText);
    over('confirm button', textOf(confirm.confirm).length, LIMITS.confirmButton);
    over('deny button', textOf(confirm.deny).length, LIMITS.confirmButton);
  }
}

/** Problems in a list of blocks (`surface`: a message or a view). */
export function blockProblems(blocks: unknown, surface: 'message' | 'view'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks: not a list'];
  const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) problems.push(`blocks ${blocks.length} > ${max}`);
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const block = raw as Json;
    const where = `block ${i} (${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > LIMITS.blockId) problems.push(`${where}: block_id too long`);
      if (blockIds.has(block.block_id)) problems.push(`${where}: block_id ${block.block_id} repeated`);
      blockIds.add(block.block_id);
    }
    if (block.type === 'header' && textOf(block.text).length > LIMITS.header) problems.push(`${where}: header`);
    if (block.type === 'section') {
      if (textOf(block.text).length > LIMITS.sectionText) problems.push(`${where}: text`);
      const fields = (block.fields as unknown[] | undefined) ?? [];
      if (fields.length > LIMITS.fields) problems.push(`${where}: fields ${fields.length}`);
      for (const f of fields) if (textOf(f).length > LIMITS.fieldText) problems.push(`${where}: field text`);
      if (!block.text && fields.length === 0) problems.push(`${where}: section with neither text nor fields`);
      if (block.accessory) checkElement(block.accessory as Json, `${where} accessory`, problems);
    }
    const elements = (block.elements as Json[] | undefined) ?? [];
    if (block.type === 'context' && elements.length > LIMITS.contextElements) problems.push(`${where}: elements`);
    if (block.type === 'actions') {
      if (elements.length === 0 || elements.length > LIMITS.actionsElements)
        problems.push(`${where}: ${elements.length} elements`);
      elements.forEach((e, j) => checkElement(e, `${where} element ${j}`, problems));
    }
    if (block.type === 'input' && block.element) checkElement(block.element as Json, where, problems);
    // An action_id is unique within its block (Block Kit's rule); a block_id within the surface.
    const actionIds = new Set<string>();
    for (const e of [...elements, block.accessory, block.element].filter(Boolean) as Json[]) {
      if (typeof e.action_id !== 'string') continue;
      if (actionIds.has(e.action_id)) problems.push(`${where}: action_id ${e.action_id} repeated`);
      actionIds.add(e.action_id);
    }
  });
  return problems;
}

/** Problems in one Web API call's payload (chat.*, views.*), or in a response_url body. */
export function payloadProblems(method: string, params: Json): string[] {
  if (method.startsWith('views.')) {
    const view = params.view as Json | undefined;
    if (!view) return [`${method}: no view`];
    const problems = blockProblems(view.blocks, 'view').map((p) => `${method}: ${p}`);
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata)
      problems.push(`${method}: private_metadata`);
    if (view.title && textOf(view.title).length > LIMITS.viewTitle) problems.push(`${method}: title`);
    return problems;
  }
  if (params.blocks === undefined) return [];
  const problems = blockProblems(params.blocks, 'message').map((p) => `${method}: ${p}`);
  if (typeof params.text !== 'string' || params.text.length === 0) problems.push(`${method}: no text fallback`);
  else if (params.text.length > LIMITS.messageText) problems.push(`${method}: text too long`);
  return problems;
}

/** Every payload a fake Slack saw, checked. */
export function allPayloadProblems(fake: {
  calls: Array<{ method: string; params: Json }>;
  hooks: Array<{ body: Json }>;
}): string[] {
  return [
    ...fake.calls.flatMap((c) => payloadProblems(c.method, c.params)),
    ...fake.hooks.flatMap((h) => payloadProblems('response_url', h.body)),
  ];
}
