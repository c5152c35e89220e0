// The App Home tab: the neutral home cards one after another, divided.
import type { types } from '@slack/bolt';
import type { Card } from '../../core/cards.js';
import { renderBlocks } from './blocks.js';

const MAX_HOME_BLOCKS = 100;

export function renderHome(cards: readonly Card[]): types.HomeView {
  const blocks: types.KnownBlock[] = [];
  cards.forEach((c, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    // Block ids are numbered within a card; on the Home they must be unique across cards.
    blocks.push(...renderBlocks(c).map((b) => (b.block_id ? { ...b, block_id: `home:${i}:${b.block_id}` } : b)));
  });
  if (blocks.length > MAX_HOME_BLOCKS) blocks.length = MAX_HOME_BLOCKS;
  return { type: 'home', callback_id: 'home', blocks };
}
