// The store on Redis (@keyv/redis): one link (redis-link.ts) for every namespace, its locks and
// its job signals. While Redis is away commands fail at once (no offline queue) or at the link's
// deadline, even when Redis accepts the connection and answers nothing, rather than hang; what
// a frozen Redis runs when it wakes writes nothing (fenced writes). The client reconnects on its own.
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import { StoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import { DistributedLocks } from '../lease/distributed-locks.js';
import { RedisLocks } from '../lease/redis-locks.js';
import { RedisSignals } from '../lease/redis-signals.js';
import { KeyvStore } from './keyv-store.js';
import { RedisDocuments } from './redis-documents.js';
import { RedisLink } from './redis-link.js';
import type { SharedStore } from './shared-store-parts.js';

export async function openRedisStore(url: string, prefix: string, logger: Logger): Promise<SharedStore> {
  let down = false;
  const warn = (code: string) => {
    if (!down) logger.warn('store.unavailable', { store: 'redis', code });
    down = true;
  };
  const link = new RedisLink(url, { onReset: () => warn('timeout') });
  const { client } = link;
  // At start-up the first connection error ends the attempt (the reconnect strategy would keep
  // trying in silence): an operator gets the reason at once.
  let connecting: ((error: unknown) => void) | undefined;
  client.on('error', (error: unknown) => {
    if (connecting) return connecting(error);
    warn(errorCode(error));
  });
  client.on('ready', () => {
    if (down) logger.info('store.reconnected', { store: 'redis' });
    down = false;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      connecting = reject;
      link.connect().then(() => resolve(), reject);
    });
  } catch (error) {
    connecting = () => undefined;
    if (client.isOpen) client.destroy();
    throw new StoreUnavailable({ cause: error });
  }
  connecting = undefined;
  const locks = new RedisLocks(link);
  const store = new KeyvStore(() => new RedisDocuments(link), {
    namespacePrefix: `${prefix}.`,
    locks: new DistributedLocks(locks, { prefix: `${prefix}.lock.doc.` }),
    close: () => link.close(),
  });
  return {
    kind: 'redis',
    store,
    locks,
    signals: new RedisSignals(link, `${prefix}.jobs`, logger),
    roomSignals: new RedisSignals(link, `${prefix}.room`, logger),
    prefix,
  };
}
