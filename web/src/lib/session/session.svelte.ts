/**
 * The signed-in user and the session's CSRF token (GET /api/auth/me, POST /api/auth/login).
 * The session cookie itself is HTTP-only: the page never sees it.
 */
export interface SessionUser {
  readonly username: string;
  readonly role: string;
  readonly region: string;
  readonly regionName: string;
  readonly displayName?: string | null;
  readonly permissions?: readonly string[];
}

export interface SessionState {
  user: SessionUser | null;
  csrfToken: string | null;
  /** True once /api/auth/me has answered (either way). */
  checked: boolean;
}

export const session: SessionState = $state({ user: null, csrfToken: null, checked: false });

export function setSession(user: SessionUser, csrfToken: string): void {
  session.user = user;
  session.csrfToken = csrfToken;
  session.checked = true;
}

export function clearSession(): void {
  session.user = null;
  session.csrfToken = null;
  session.checked = true;
}

/** Whether the signed-in user's role has a permission (false when unknown). */
export function hasPermission(permission: string): boolean {
  return session.user?.permissions?.includes(permission) ?? false;
}
