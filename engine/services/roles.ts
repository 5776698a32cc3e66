/**
 * Roles (fixed ids: checks outside the code use them) and what each may do.
 * Every user is bound to one region; everything they read is within it.
 */
export const ROLES = ['province_leader', 'province_analyst', 'city_staff', 'county_staff', 'township_reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'read_figures' // aggregates, series, rankings, maps
  | 'explore' // ad-hoc explorer slices
  | 'read_persons_masked' // person-level worklists with masked names and ID numbers
  | 'reveal_person' // full record, with a typed reason, logged, limited per day
  | 'request_export' // person-level export, needs approval
  | 'approve_export' // approve exports of lower-level users in scope
  | 'act_on_alerts' // assign, acknowledge, comment, resolve
  | 'publish_briefings'
  | 'run_refresh'
  | 'manage_users'
  | 'read_audit';

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  province_leader: ['read_figures', 'explore', 'read_persons_masked', 'approve_export', 'act_on_alerts', 'publish_briefings'],
  province_analyst: ['read_figures', 'explore', 'read_persons_masked', 'reveal_person', 'request_export', 'approve_export', 'publish_briefings'],
  city_staff: ['read_figures', 'explore', 'read_persons_masked', 'reveal_person', 'request_export', 'approve_export', 'act_on_alerts'],
  county_staff: ['read_figures', 'explore', 'read_persons_masked', 'reveal_person', 'request_export', 'approve_export', 'act_on_alerts'],
  township_reviewer: ['read_figures', 'read_persons_masked', 'reveal_person', 'request_export', 'act_on_alerts'],
  admin: ['read_figures', 'explore', 'run_refresh', 'manage_users', 'read_audit'],
};

/** The region level each role is bound to. */
export const ROLE_LEVELS: Readonly<Record<Role, readonly ('province' | 'city' | 'county' | 'township' | 'village')[]>> = {
  province_leader: ['province'],
  province_analyst: ['province'],
  city_staff: ['city'],
  county_staff: ['county'],
  township_reviewer: ['township', 'village'],
  admin: ['province'],
};

export const ROLE_NAMES: Readonly<Record<Role, { zh: string; en: string }>> = {
  province_leader: { zh: '省级领导', en: 'Province leader' },
  province_analyst: { zh: '省级分析员', en: 'Province analyst' },
  city_staff: { zh: '市（州）工作人员', en: 'City staff' },
  county_staff: { zh: '县（市、区）工作人员', en: 'County staff' },
  township_reviewer: { zh: '乡镇审核员', en: 'Township reviewer' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
