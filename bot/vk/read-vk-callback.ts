import { vkCallbackSchema, type VkCallback } from './vk-callback-schema.js';

/**
 * The event envelope of a Callback API request body, or undefined when the body is not one (not
 * JSON, not an object with a type and a group_id). VK posts every event as a JSON object.
 */
export function readVkCallback(rawBody: Buffer): VkCallback | undefined {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  const envelope = vkCallbackSchema.safeParse(json);
  return envelope.success ? envelope.data : undefined;
}
