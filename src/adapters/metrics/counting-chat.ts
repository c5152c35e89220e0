// Counts every message the bot sends or updates, by platform and outcome, around the ChatPort
// the core talks to; the platform adapters need no change. Only the platform part of an id
// (`slack`, `teams`) becomes a label, never the id.
import type { Card } from '../../core/cards.js';
import { platformOf, type Place, type UserId } from '../../core/plumbing/ids.js';
import { NotSupported, type ChatPort, type MessageRef } from '../../core/ports.js';
import type { Metrics } from './metrics.js';

type Operation = 'post' | 'update' | 'ephemeral' | 'direct';

export function countingChat(inner: ChatPort, metrics: Metrics): ChatPort {
  async function counted<T>(operation: Operation, id: string, send: () => Promise<T>): Promise<T> {
    const platform = platformOf(id) ?? 'other';
    try {
      const result = await send();
      metrics.deliveries.inc({ platform, operation, outcome: 'ok' });
      return result;
    } catch (error) {
      metrics.deliveries.inc({
        platform,
        operation,
        outcome: error instanceof NotSupported ? 'not_supported' : 'failed',
      });
      throw error;
    }
  }
  const chat: ChatPort = {
    post: (place: Place, card: Card): Promise<MessageRef> => counted('post', place, () => inner.post(place, card)),
    update: (ref: MessageRef, card: Card): Promise<void> => counted('update', ref.place, () => inner.update(ref, card)),
    ephemeral: (place: Place, user: UserId, card: Card): Promise<void> =>
      counted('ephemeral', place, () => inner.ephemeral(place, user, card)),
    direct: (user: UserId, card: Card): Promise<MessageRef> => counted('direct', user, () => inner.direct(user, card)),
  };
  // Look-ups are not deliveries: passed through as they are, and only when the platform has them.
  if (inner.userTimeZone) chat.userTimeZone = (user) => inner.userTimeZone!(user);
  if (inner.userByEmail) chat.userByEmail = (email) => inner.userByEmail!(email);
  return chat;
}
