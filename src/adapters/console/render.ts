// Cards as terminal text: a heading, indented facts, a progress bar and numbered buttons
// (pressed with `/press N`). A menu shows the typed commands its choices stand for: the
// terminal has no forms, so a choice that opens one would only show the usage anyway.
import { factText, progressBar, selectedLabel, type Button, type Card } from '../../core/cards.js';
import { shortName } from '../../core/plumbing/ids.js';

export function renderCard(card: Card, firstButton = 1): { lines: string[]; buttons: Button[] } {
  const lines: string[] = [];
  const buttons: Button[] = [];
  for (const block of card.blocks) {
    switch (block.type) {
      case 'heading':
        lines.push(`== ${block.text} ==`);
        break;
      case 'text':
        lines.push(...block.text.split('\n'));
        break;
      case 'context':
        lines.push(`   (${block.text})`);
        break;
      case 'facts': {
        const width = Math.min(28, Math.max(...block.facts.map((f) => f.label.length)));
        for (const f of block.facts) {
          const value = factText(f.value, (u) => `@${shortName(u)}`);
          // A label too long for the column gets its own line, the value indented below it.
          if (f.label.length > width) lines.push(`  ${f.label}`, `      ${value}`);
          else lines.push(`  ${f.label.padEnd(width)}  ${value}`);
        }
        break;
      }
      case 'progress':
        lines.push(`  ${progressBar(block.fraction, 30)} ${block.label}`);
        break;
      case 'actions':
        lines.push(
          '  ' +
            block.buttons
              .map((b) => {
                buttons.push(b);
                return `[${firstButton + buttons.length - 1}: ${b.label}]`;
              })
              .join(' '),
        );
        break;
      case 'menu':
        for (const item of block.items) lines.push(`  ${item.label}: ${item.typed}`);
        break;
      case 'select':
        // The terminal has no list to pick from; what it stands for is a command away.
        lines.push(`  ${block.label}: ${selectedLabel(block) ?? block.placeholder}`);
        break;
    }
  }
  return { lines, buttons };
}
