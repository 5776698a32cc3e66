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

/**
 * localStorage key of the hint that this browser held a session, and the region of its
 * user (no secret: the cookie decides what the server answers).
 */
const SIGNED_IN_HINT = 'rlm.signedInRegion';

function storeHint(region: string | null): void {
  try {
    if (region) localStorage.setItem(SIGNED_IN_HINT, region);
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // storage unavailable (private mode): no hint
  }
}

/** The region of the user this browser was signed in as when last seen (pages may ask for data before /api/auth/me answers). */
export function probableRegion(): string | null {
  try {
    return localStorage.getItem(SIGNED_IN_HINT);
  } catch {
    return null;
  }
}

export function setSession(user: SessionUser, csrfToken: string): void {
  session.user = user;
  session.csrfToken = csrfToken;
  session.checked = true;
  storeHint(user.region);
}

export function clearSession(): void {
  session.user = null;
  session.csrfToken = null;
  session.checked = true;
  storeHint(null);
}

/** Whether the signed-in user's role has a permission (false when unknown). */
export function hasPermission(permission: string): boolean {
  return session.user?.permissions?.includes(permission) ?? false;
}
