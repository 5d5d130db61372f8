import type { InboundRequest } from '../channels/channel-adapter.js';
import { WebhookAuthError } from '../channels/channel-errors.js';
import { readVkCallback } from './read-vk-callback.js';
import type { VkSecrets, VkSettings } from './vk-schemas.js';
import { secretMatches } from './verify-vk-secret.js';

/**
 * VK confirms a callback URL by posting `{"type": "confirmation", "group_id": …}` and expects the
 * community's confirmation string back as the whole body
 * (https://dev.vk.com/api/callback/getting-started). Undefined when the request is not such an
 * event. A confirmation for another community, or with a wrong secret key, is refused: answering it
 * would confirm this account's URL for a community it does not serve. The secret may be absent,
 * since an admin can confirm the address before setting the key.
 */
export function answerVkConfirmation(
  request: InboundRequest,
  settings: VkSettings,
  secrets: VkSecrets,
): string | undefined {
  if (request.method.toUpperCase() !== 'POST') return undefined;
  const event = readVkCallback(request.rawBody);
  if (event?.type !== 'confirmation') return undefined;
  if (event.group_id !== settings.groupId) {
    throw new WebhookAuthError(`This callback URL belongs to VK community ${settings.groupId}, not ${event.group_id}`);
  }
  if (event.secret !== undefined && !secretMatches(event.secret, secrets.secretKey)) {
    throw new WebhookAuthError('The VK secret key does not match');
  }
  return settings.confirmationCode;
}
