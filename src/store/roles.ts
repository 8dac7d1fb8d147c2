/**
 * Who is who: prefecture staff (admins), municipality members (each bound to one municipality)
 * and everyone else. Initial admins come from configuration; admins grant and revoke roles.
 */
import type { Db } from './db.js';

export type Role = 'admin' | 'member' | 'guest';

export interface Membership {
  role: Role;
  municipalityId: string | null;
  /** Whether the role comes from configuration (cannot be revoked in chat). */
  configured: boolean;
}

export class RoleStore {
  constructor(
    private readonly db: Db,
    /** Admin ids from ADMIN_USER_IDS: "platform:id" or a bare id. */
    private readonly configuredAdmins: readonly string[],
  ) {}

  isConfiguredAdmin(platform: string, userId: string): boolean {
    return this.configuredAdmins.includes(`${platform}:${userId}`) || this.configuredAdmins.includes(userId);
  }

  of(platform: string, userId: string): Membership {
    if (this.isConfiguredAdmin(platform, userId)) return { role: 'admin', municipalityId: null, configured: true };
    const row = this.db.prepare('SELECT role, municipality_id FROM roles WHERE platform = ? AND user_id = ?').get(platform, userId) as { role: 'admin' | 'member'; municipality_id: string | null } | undefined;
    return row ? { role: row.role, municipalityId: row.municipality_id, configured: false } : { role: 'guest', municipalityId: null, configured: false };
  }

  grantAdmin(platform: string, userId: string, by: string, now = Date.now()): void {
    this.db
      .prepare("INSERT INTO roles (platform, user_id, role, municipality_id, granted_by, granted_at) VALUES (?, ?, 'admin', NULL, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET role = 'admin', municipality_id = NULL, granted_by = excluded.granted_by, granted_at = excluded.granted_at")
      .run(platform, userId, by, now);
  }

  bindMember(platform: string, userId: string, municipalityId: string, by: string, now = Date.now()): void {
    this.db
      .prepare("INSERT INTO roles (platform, user_id, role, municipality_id, granted_by, granted_at) VALUES (?, ?, 'member', ?, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET role = 'member', municipality_id = excluded.municipality_id, granted_by = excluded.granted_by, granted_at = excluded.granted_at")
      .run(platform, userId, municipalityId, by, now);
  }

  revoke(platform: string, userId: string): boolean {
    return this.db.prepare('DELETE FROM roles WHERE platform = ? AND user_id = ?').run(platform, userId).changes > 0;
  }

  list(): { platform: string; userId: string; role: 'admin' | 'member'; municipalityId: string | null }[] {
    return (this.db.prepare('SELECT platform, user_id, role, municipality_id FROM roles ORDER BY role, platform, user_id').all() as { platform: string; user_id: string; role: 'admin' | 'member'; municipality_id: string | null }[]).map((r) => ({
      platform: r.platform,
      userId: r.user_id,
      role: r.role,
      municipalityId: r.municipality_id,
    }));
  }
}
