// Sends a command's replies where they belong. Platforms without private in-channel messages
// (Teams) get the answer in the person's 1:1 chat instead.
import type { Form, Reply } from './cards.js';
import type { Place, UserId } from './plumbing/ids.js';
import { NotSupported, type ChatPort } from './ports.js';

/**
 * `openForm` is the adapter's way to show a form to the person who asked (it needs the
 * platform's short-lived trigger); without it, the form's fallback card is shown instead.
 */
export async function deliver(
  chat: ChatPort,
  replies: readonly Reply[],
  actor: UserId,
  place: Place,
  openForm?: (form: Form) => Promise<void>,
): Promise<void> {
  for (const reply of replies) {
    switch (reply.visibility) {
      case 'form':
        if (openForm) await openForm(reply.form);
        else await deliver(chat, [{ visibility: 'ephemeral', card: reply.fallback }], actor, place);
        break;
      case 'channel':
        await chat.post(place, reply.card);
        break;
      case 'direct':
        await chat.direct(reply.to ?? actor, reply.card);
        break;
      case 'ephemeral':
        try {
          await chat.ephemeral(place, actor, reply.card);
        } catch (error) {
          if (!(error instanceof NotSupported)) throw error;
          await chat.direct(actor, reply.card);
        }
        break;
    }
  }
}
