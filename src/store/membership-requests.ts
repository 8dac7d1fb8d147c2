/**
 * Requests to answer for a municipality. Membership is granted, not taken: a user who picks a
 * municipality in the checklist files a request; an admin approves (the role is then granted) or
 * rejects it. One open request per user (asking again replaces the municipality asked for).
 */
import type { Db } from './db.js';

export type RequestStatus = 'pending' | 'approved' | 'rejected';

export interface MembershipRequest {
  id: number;
  platform: string;
  userId: string;
  municipalityId: string;
  status: RequestStatus;
  requestedAt: number;
}

interface Row {
  id: number;
  platform: string;
  user_id: string;
  municipality_id: string;
  status: RequestStatus;
  requested_at: number;
}

const toRequest = (r: Row): MembershipRequest => ({ id: r.id, platform: r.platform, userId: r.user_id, municipalityId: r.municipality_id, status: r.status, requestedAt: r.requested_at });

export class MembershipRequestStore {
  constructor(private readonly db: Db) {}

  /** Files (or re-points) the user's open request; returns it and whether it was already open for that municipality. */
  request(platform: string, userId: string, municipalityId: string, now = Date.now()): { request: MembershipRequest; repeated: boolean } {
    const open = this.pendingOf(platform, userId);
    if (open && open.municipalityId === municipalityId) return { request: open, repeated: true };
    if (open) {
      this.db.prepare('UPDATE membership_requests SET municipality_id = ?, requested_at = ? WHERE id = ?').run(municipalityId, now, open.id);
      return { request: this.get(open.id)!, repeated: false };
    }
    const info = this.db.prepare("INSERT INTO membership_requests (platform, user_id, municipality_id, status, requested_at) VALUES (?, ?, ?, 'pending', ?)").run(platform, userId, municipalityId, now);
    return { request: this.get(Number(info.lastInsertRowid))!, repeated: false };
  }

  get(id: number): MembershipRequest | null {
    const row = this.db.prepare('SELECT * FROM membership_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? toRequest(row) : null;
  }

  pendingOf(platform: string, userId: string): MembershipRequest | null {
    const row = this.db.prepare("SELECT * FROM membership_requests WHERE platform = ? AND user_id = ? AND status = 'pending'").get(platform, userId) as Row | undefined;
    return row ? toRequest(row) : null;
  }

  pending(): MembershipRequest[] {
    return (this.db.prepare("SELECT * FROM membership_requests WHERE status = 'pending' ORDER BY requested_at, id").all() as Row[]).map(toRequest);
  }

  /** Closes a pending request; false when it was not pending (already decided, or unknown). */
  decide(id: number, status: 'approved' | 'rejected', by: string, now = Date.now()): boolean {
    return this.db.prepare("UPDATE membership_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'").run(status, by, now, id).changes === 1;
  }
}
