/**
 * An API answer other than 2xx: the HTTP status and the engine's error body
 * `{ "error": { "code", "message" } }` (or the status text when the body is not JSON).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The route does not exist (yet) or the thing asked for is unknown. */
  get notFound(): boolean {
    return this.status === 404;
  }
}

export async function apiErrorOf(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body?.error?.code) code = body.error.code;
    if (body?.error?.message) message = body.error.message;
  } catch {
    // Not JSON: keep the status text.
  }
  return new ApiError(response.status, code, message);
}
