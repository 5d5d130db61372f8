/** An inbound file could not be fetched from VK; `retryable` when a later attempt may succeed. */
export class VkDownloadError extends Error {
  readonly code = 'vk_download_failed';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'VkDownloadError';
  }
}
