// What a chat platform adapter (Slack, Teams) offers the composition root.
import type { Services } from '../../commands/plumbing/spec.js';
import type { Platform } from '../../core/plumbing/ids.js';
import type { ChatPort } from '../../core/ports.js';
import type { Route } from '../http/server.js';

export interface PlatformAdapter {
  readonly platform: Platform;
  /** How the core reaches this platform: usable as soon as the adapter exists. */
  readonly chat: ChatPort;
  /** Wires incoming requests to the bot once its services exist; returns the HTTP routes to mount. */
  connect(services: Services): Promise<Route[]>;
  stop(): Promise<void>;
}
