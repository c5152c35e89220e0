// The room display's share of the HTTP server (the page, its files, its event stream), for the
// server and the terminal chat alike. With several instances the hub hears each other's timer
// changes over the shared store's room signals.
import { RoomHub } from '../adapters/http/room-hub.js';
import { roomRoutes } from '../adapters/http/room-route.js';
import type { Route } from '../adapters/http/server.js';
import type { JobSignals } from '../adapters/lease/signals.js';
import type { Services } from '../commands/plumbing/spec.js';
import type { Clock, Logger } from '../core/ports.js';

export interface RoomDisplay {
  routes: Route[];
  hub: RoomHub;
  stop(): Promise<void>;
}

export async function startRoomDisplay(deps: {
  services: Services;
  clock: Clock;
  logger: Logger;
  clockRate: number;
  signals?: JobSignals;
}): Promise<RoomDisplay> {
  const { services, clock, logger, signals } = deps;
  const hub = new RoomHub({
    timers: services.timers,
    clock,
    logger,
    clockRate: deps.clockRate,
    ...(signals ? { signals } : {}),
  });
  await hub.listen();
  return {
    routes: roomRoutes(services.rooms, hub, logger),
    hub,
    async stop() {
      hub.stop();
      await signals?.close();
    },
  };
}
