// Microsoft Teams as a PlatformAdapter: the CloudAdapter behind POST /api/messages, the Teams
// ChatPort, and the stores of conversation references, pending forms and delivery problems.
// Every botbuilder import of the bot lives in this folder.
import type { Services } from '../../commands/plumbing/spec.js';
import type { TeamsConfig } from './config.js';
import { ClaimOnce } from '../../core/plumbing/claim-once.js';
import type { Clock, Logger, Store } from '../../core/ports.js';
import { authHealth } from '../platform/auth-health.js';
import type { PlatformAdapter } from '../platform/platform-adapter.js';
import { createCloudAdapter, isAuthenticated, type BalintCloudAdapter } from './bot-adapter.js';
import { TeamsChat } from './chat.js';
import { Connector, ownRetries } from './connector.js';
import { DeliveryProblems } from './delivery-problems.js';
import { canonicalId } from './identity.js';
import { messagesRoute } from './messages-route.js';
import { onceOnly } from './replay-guard.js';
import { realTiming, type RetryPolicy, type Timing } from './pacing.js';
import { PendingForms } from './pending-forms.js';
import { References } from './references.js';
import { createTurnHandler, type TeamsSpecs } from './turn.js';
import { facilitatorsOfTimer } from './timer-facilitators.js';

export interface TeamsDeps {
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Sleeping and randomness for pacing and retries (tests pass instant ones). */
  timing?: Timing;
  retry?: RetryPolicy;
  /** Tests and the benchmark answer their own commands; the bot uses the registry. */
  specs?: TeamsSpecs;
}

export interface TeamsAdapter extends PlatformAdapter {
  readonly platform: 'teams';
  readonly chat: TeamsChat;
  readonly problems: DeliveryProblems;
  readonly cloudAdapter: BalintCloudAdapter;
}

export function createTeamsAdapter(config: TeamsConfig, deps: TeamsDeps): TeamsAdapter {
  authHealth.configure({ logger: deps.logger, now: () => deps.clock.now() });
  const cloudAdapter = createCloudAdapter(config);
  ownRetries(cloudAdapter);
  const connector = new Connector(cloudAdapter, config.appId ?? '', deps.timing ?? realTiming, deps.retry);
  const refs = new References(deps.store, () => deps.clock.now());
  const problems = new DeliveryProblems(deps.store, deps.clock);
  let services: Services | undefined;
  const chat = new TeamsChat({
    refs,
    connector,
    problems,
    logger: deps.logger,
    now: () => deps.clock.now(),
    facilitatorsOfTimer: (timerId) => facilitatorsOfTimer(services, timerId),
  });
  const now = () => deps.clock.now();
  const forms = new PendingForms(deps.store, now);
  const logic = createTurnHandler({
    chat,
    connector,
    refs,
    forms,
    logger: deps.logger,
    services: () => services,
    store: deps.store,
    now: () => deps.clock.now(),
    ...(deps.specs ? { specs: deps.specs } : {}),
    ...(config.appType === 'SingleTenant' && config.tenantId ? { onlyTenant: canonicalId(config.tenantId) } : {}),
  });
  return {
    platform: 'teams',
    chat,
    problems,
    cloudAdapter,
    async connect(ready) {
      services = ready;
      // `/balint forget` reaches what only Teams keeps about a person.
      ready.rights.onForget(
        async (user) => (await refs.forgetPerson(user)) + (await problems.forget(user)) + (await forms.forget(user)),
      );
      if (!isAuthenticated(config)) {
        deps.logger.warn('teams.unauthenticated', { platform: 'teams', code: 'no_app_id' });
      }
      const once = onceOnly(logic, new ClaimOnce(deps.store, now), now, deps.logger);
      return [messagesRoute(cloudAdapter, once, deps.logger)];
    },
    async stop() {
      services = undefined;
    },
  };
}
