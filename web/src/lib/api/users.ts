/** User administration (GET/POST /api/users…, administrators only). */
import { apiGet, apiSend } from './http.js';

export const ROLE_IDS = ['province_leader', 'province_analyst', 'city_staff', 'county_staff', 'township_reviewer', 'admin'] as const;
export type RoleId = (typeof ROLE_IDS)[number];

export interface AdminUser {
  readonly username: string;
  readonly role: RoleId;
  readonly region: string;
  readonly displayName: string | null;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: RoleId;
  readonly region: string;
  readonly displayName?: string;
}

export async function fetchUsers(signal?: AbortSignal): Promise<AdminUser[]> {
  return (await apiGet<{ users: AdminUser[] }>('/api/users', undefined, signal)).users;
}

export function addUser(user: NewUser): Promise<AdminUser> {
  return apiSend<AdminUser>('POST', '/api/users', user);
}

export function setUserDisabled(username: string, disabled: boolean): Promise<AdminUser> {
  return apiSend<AdminUser>('POST', `/api/users/${encodeURIComponent(username)}/status`, { disabled });
}

export function resetUserPassword(username: string, password: string): Promise<{ ok: boolean }> {
  return apiSend<{ ok: boolean }>('POST', `/api/users/${encodeURIComponent(username)}/password`, { password });
}

export function setUserRole(username: string, role: RoleId, region: string): Promise<AdminUser> {
  return apiSend<AdminUser>('POST', `/api/users/${encodeURIComponent(username)}/role`, { role, region });
}
