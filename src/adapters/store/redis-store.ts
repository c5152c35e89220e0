// The store on Redis (@keyv/redis): one client for every namespace, its locks and its job
// signals. While Redis is away commands fail at once (no offline queue) or after a timeout,
// rather than hang; the client reconnects on its own.
import KeyvRedis, { createClient } from '@keyv/redis';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import { StoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import { DistributedLocks } from '../lease/distributed-locks.js';
import { RedisLocks, type RedisClient } from '../lease/redis-locks.js';
import { RedisSignals } from '../lease/redis-signals.js';
import { KeyvStore } from './keyv-store.js';
import type { SharedStore } from './shared-store-parts.js';

const COMMAND_TIMEOUT_MS = 5_000;

export async function openRedisStore(url: string, prefix: string, logger: Logger): Promise<SharedStore> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000) },
  }) as RedisClient;
  let down = false;
  // At start-up the first connection error ends the attempt (the reconnect strategy would keep
  // trying in silence): an operator gets the reason at once.
  let connecting: ((error: unknown) => void) | undefined;
  client.on('error', (error: unknown) => {
    if (connecting) return connecting(error);
    if (!down) logger.warn('store.unavailable', { store: 'redis', code: errorCode(error) });
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('store.reconnected', { store: 'redis' });
    down = false;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      connecting = reject;
      client.connect().then(() => resolve(), reject);
    });
  } catch (error) {
    connecting = () => undefined;
    client.destroy();
    throw new StoreUnavailable({ cause: error });
  }
  connecting = undefined;
  const timed = client.withCommandOptions({ timeout: COMMAND_TIMEOUT_MS }) as unknown as RedisClient;
  const locks = new RedisLocks(timed);
  const store = new KeyvStore(() => new KeyvRedis(timed, { throwOnErrors: true, throwOnConnectError: true }), {
    namespacePrefix: `${prefix}.`,
    locks: new DistributedLocks(locks, { prefix: `${prefix}.lock.doc.` }),
    close: async () => {
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  });
  return {
    kind: 'redis',
    store,
    locks,
    signals: new RedisSignals(timed, `${prefix}.jobs`, logger),
    roomSignals: new RedisSignals(timed, `${prefix}.room`, logger),
    prefix,
  };
}
