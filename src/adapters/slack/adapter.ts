// The Slack platform adapter: Bolt on the bot's HTTP server at POST /slack/events (or over
// Socket Mode when an app token is set), the ChatPort the core uses, and the listeners.
import { authHealth } from '../platform/auth-health.js';
import { InFlight } from '../platform/in-flight.js';
import { App, HTTPReceiver } from '@slack/bolt';
import type { SlackConfig } from './config.js';
import type { ButtonSpec } from '../../commands/plumbing/button-spec.js';
import type { FormSpec } from '../../commands/plumbing/form-spec.js';
import type { CommandSpec, Services } from '../../commands/plumbing/spec.js';
import { ClaimOnce } from '../../core/plumbing/claim-once.js';
import type { Clock, Logger, Store } from '../../core/ports.js';
import type { RatePauses } from '../platform/rate-pauses.js';
import type { Route } from '../http/server.js';
import type { PlatformAdapter } from '../platform/platform-adapter.js';
import { slackDoor } from './door.js';
import { baseOptions, createClients } from './clients.js';
import { slackCall } from './errors.js';
import { publishHome, type SlackHandlers } from './handlers.js';
import { HomeRefresher } from './home-refresher.js';
import { keepHomesCurrent } from './home-triggers.js';
import { registerListeners } from './listeners.js';
import { sdkLogger } from './sdk-logger.js';
import { SeenEvents } from './seen-events.js';
import { SlackChat } from './slack-chat.js';
import { TimeZoneCache } from './time-zones.js';

/** Where Slack sends slash commands, interactivity and events (the manifest's request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackDeps {
  logger: Logger;
  /** The shared store: accepted requests are recorded there, so a repeat is acted on nowhere. */
  store: Store;
  /**
   * Where a 429's Retry-After is kept for the workspace (shared by the instances over one
   * store), and the clock it is measured by. Absent: each call meets its own 429.
   */
  pauses?: RatePauses;
  clock?: Pick<Clock, 'now'>;
  /**
   * The bot's own ids. Known ones skip the start-up auth.test (tests, benchmarks); otherwise
   * one auth.test at start-up checks the token and finds them.
   */
  identity?: { botId: string; botUserId: string };
  /** Test seams: the specs to route to instead of the registry's. */
  commands?: readonly CommandSpec[];
  buttons?: readonly ButtonSpec[];
  forms?: readonly FormSpec[];
}

/** How long a clean stop waits for acknowledged work to finish. */
const STOP_GRACE_MS = 10_000;

export function createSlackAdapter(config: SlackConfig, deps: SlackDeps): PlatformAdapter {
  const { logger } = deps;
  authHealth.configure({ logger });
  const settings = {
    token: config.botToken,
    logger,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  };
  const clients = createClients(settings);
  const timeZones = new TimeZoneCache(clients.interactive, logger);
  // Accepted requests and modals, claimed in the store the instances share.
  const claims = new ClaimOnce(deps.store, Date.now);
  const chat = new SlackChat(
    clients,
    timeZones,
    deps.pauses ? { pauses: deps.pauses, clock: deps.clock ?? { now: () => Date.now() } } : undefined,
  );
  const inFlight = new InFlight();
  let handlersRef: SlackHandlers | undefined;
  const homes = new HomeRefresher((team, user) =>
    handlersRef ? inFlight.run(() => publishHome(handlersRef as SlackHandlers, team, user)) : Promise.resolve(),
  );
  let app: App | undefined;

  async function identify(): Promise<{ botId: string; botUserId: string }> {
    if (deps.identity) return deps.identity;
    const auth = await slackCall(() => clients.interactive.auth.test());
    if (!auth.bot_id || !auth.user_id)
      throw Object.assign(new Error('not a bot token'), { code: 'slack_not_a_bot_token' });
    return { botId: auth.bot_id, botUserId: auth.user_id };
  }

  return {
    platform: 'slack',
    chat,
    async connect(services: Services): Promise<Route[]> {
      const identity = await identify();
      const common = {
        token: config.botToken,
        ...identity,
        logger: sdkLogger(logger),
        clientOptions: baseOptions(settings),
        // No conversation store: the bot keeps nothing about conversations.
        convoStore: false as const,
      };
      const handlers: SlackHandlers = {
        services,
        homes,
        chat,
        clients,
        timeZones,
        seen: new SeenEvents(),
        submitted: claims,
        logger,
        inFlight,
        ...(deps.commands ? { commands: deps.commands } : {}),
        ...(deps.buttons ? { buttons: deps.buttons } : {}),
        ...(deps.forms ? { forms: deps.forms } : {}),
      };
      handlersRef = handlers;
      keepHomesCurrent(services, homes);
      if (config.appToken) {
        app = new App({ ...common, appToken: config.appToken, socketMode: true });
        registerListeners(app, handlers);
        await app.start();
        logger.info('slack.connected', { platform: 'slack', code: 'socket_mode' });
        return [];
      }
      // Bolt's own receiver checks the signature over the raw bytes and the 5-minute window;
      // we only hand it the requests for its path on our server.
      const receiver = new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger: sdkLogger(logger),
      });
      app = new App({ ...common, receiver });
      registerListeners(app, handlers);
      logger.info('slack.connected', { platform: 'slack', code: 'http' });
      const door = slackDoor({
        signingSecret: config.signingSecret,
        logger,
        claims,
        next: (req, res) => receiver.requestListener(req, res),
      });
      return [{ method: 'POST', path: SLACK_EVENTS_PATH, handler: (req, res) => void door(req, res) }];
    },
    async stop() {
      if (config.appToken && app) await app.stop();
      homes.stop();
      app = undefined;
      const unfinished = await inFlight.drain(STOP_GRACE_MS);
      if (unfinished > 0) logger.warn('slack.stop-unfinished', { platform: 'slack', count: unfinished });
    },
  };
}
