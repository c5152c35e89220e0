// Wires the handlers to Bolt. Slash commands and button presses are acknowledged first (Slack
// allows 3 s; a modal's trigger also starts ticking then), and the work follows. All of it runs
// in `inFlight`, which a clean stop waits for.
import type { App } from '@slack/bolt';
import { errorCode } from '../../core/plumbing/logger.js';
import {
  onButton,
  onCommand,
  onHomeOpened,
  onOptions,
  onViewSubmission,
  type BlockActions,
  type BlockSuggestion,
  type SlackHandlers,
  type ViewSubmission,
} from './handlers.js';

/** The slash command (`/balint`; a second install may name it `/balint-test`). */
export const COMMAND_PATTERN = /^\/balint(?:-[a-z0-9-]+)?$/;
/** The Events API events we subscribe to: the manifest must list exactly these. */
export const SUBSCRIBED_EVENTS = ['app_home_opened', 'app_uninstalled', 'tokens_revoked'] as const;

export function registerListeners(app: App, h: SlackHandlers): void {
  app.command(COMMAND_PATTERN, async ({ ack, command }) => {
    await ack();
    await h.inFlight.run(() => onCommand(h, command));
  });

  app.action(/.+/, async ({ ack, body }) => {
    await ack();
    if (body.type === 'block_actions') await h.inFlight.run(() => onButton(h, body as unknown as BlockActions));
  });

  // An external select's search: answered within the ack (Slack shows what the ack carries).
  app.options(/.+/, ({ ack, body }) =>
    h.inFlight.run(async () => {
      await ack(await onOptions(h, body as unknown as BlockSuggestion));
    }),
  );

  // A submission is judged before the ack (its errors are the answer) and carried out after it,
  // so a long series never holds Slack past its 3 s. A clean stop waits for both.
  app.view(/.+/, ({ ack, body }) =>
    h.inFlight.run(async () => {
      const verdict = await onViewSubmission(h, body as unknown as ViewSubmission);
      if ('errors' in verdict) {
        await ack({ response_action: 'errors', errors: verdict.errors });
        return;
      }
      await ack();
      await verdict.work();
    }),
  );

  app.event('app_home_opened', async ({ event, body, context }) => {
    if (!h.seen.first(body.event_id)) {
      h.logger.info('slack.event-repeat', { platform: 'slack', attempt: context.retryNum ?? 0 });
      return;
    }
    if (event.tab !== 'home') return;
    await h.inFlight.run(() => onHomeOpened(h, body.team_id, event.user));
  });

  // The workspace removed the app (or revoked the bot's token): its reminders, invites and
  // timer refreshes would only fail from now on, so every send there stops at once and the
  // jobs end instead of retrying. Recorded in the log with the workspace and the reason.
  const stopWorkspace = (reason: string, team: string, eventId: string) => {
    if (!h.seen.first(eventId)) return;
    h.chat.stopWorkspace(team);
    h.logger.warn('slack.workspace-stopped', { platform: 'slack', place: `slack:${team}`, code: reason });
  };
  app.event('app_uninstalled', async ({ body }) => stopWorkspace('app_uninstalled', body.team_id, body.event_id));
  app.event('tokens_revoked', async ({ event, body }) => {
    // A user token revoked means nothing to a bot that holds none; its bot token does.
    if ((event.tokens.bot ?? []).length > 0) stopWorkspace('tokens_revoked', body.team_id, body.event_id);
  });

  app.error(async (error) => {
    h.logger.error('slack.listener-failed', { platform: 'slack', code: errorCode(error.original ?? error) });
  });
}
