/** Thrown when the API answers a read with an error status. */
export class ApiReadError extends Error {
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`GET ${url} answered ${status}`);
    this.name = 'ApiReadError';
  }
}

/**
 * Reads one of the API's JSON answers. The shapes are the server's own views
 * (`inbox-views.ts` mirrors them), so they are typed rather than re-validated here.
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new ApiReadError(response.status, url);
  return (await response.json()) as T;
}
