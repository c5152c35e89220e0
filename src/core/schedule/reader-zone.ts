import type { UserId } from '../plumbing/ids.js';
import type { ChatPort } from '../ports.js';
import { IANAZone } from 'luxon';

/**
 * The zone a direct message shows times in: the person's platform profile zone where the
 * platform has one, else `fallback` (the group's). A failed lookup is not worth a lost message.
 */
export async function readerZone(chat: ChatPort, user: UserId, fallback: string): Promise<string> {
  try {
    const zone = await chat.userTimeZone?.(user);
    return zone && IANAZone.isValidZone(zone) ? zone : fallback;
  } catch {
    return fallback;
  }
}
