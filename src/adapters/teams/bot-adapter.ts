// The botbuilder CloudAdapter, configured from TeamsConfig. An empty app id turns
// authentication off (local emulators and tests; config.ts refuses it in production).
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { TeamsConfig } from './config.js';

/**
 * CloudAdapter.process() writes errors with console.error (an error can carry the request it
 * failed on) and wants an Express-like response. We read the request ourselves and call the
 * adapter's own processActivity, so every outcome goes through our logger as a code.
 */
export class BalintCloudAdapter extends CloudAdapter {
  handle(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createCloudAdapter(config: TeamsConfig): BalintCloudAdapter {
  // Without an app id there is nothing to authenticate with; the SDK also refuses an app type
  // (SingleTenant, our default) without one, so the type and tenant go only with an id.
  const auth = new ConfigurationBotFrameworkAuthentication(
    config.appId
      ? {
          MicrosoftAppId: config.appId,
          MicrosoftAppPassword: config.appPassword ?? '',
          MicrosoftAppType: config.appType,
          MicrosoftAppTenantId: config.tenantId ?? '',
        }
      : {},
  );
  return new BalintCloudAdapter(auth);
}

export const isAuthenticated = (config: TeamsConfig): boolean => Boolean(config.appId);
