/**
 * The one authorisation check. Every action that reads or changes protected data asks here:
 * another municipality's checklist answers, the prefecture's overview, exports, approvals, imports,
 * role changes, usage figures and desk replies. Roles: prefecture staff (admin), municipality
 * members (their own municipality only), everyone else (questions and provider search only).
 */
import type { Config } from '../config.js';
import { M } from '../messages/core.js';
import type { RoleStore } from '../store/roles.js';
import type { Actor, Block, Effect, Target } from './types.js';

/** What authorisation reads: the roles, and the configured desk channels. */
export interface AuthServices {
  roles: RoleStore;
  config: Pick<Config, 'deskChannels'>;
}

export const PROTECTED_ACTIONS = [
  'checklist.answer',
  'checklist.view',
  'checklist.overview',
  'checklist.export',
  'roles.manage',
  'providers.review',
  'providers.import',
  'providers.export',
  'stats.view',
  'handoff.reply',
] as const;
export type ProtectedAction = (typeof PROTECTED_ACTIONS)[number];

export type Decision = { ok: true } | { ok: false; message: string };

const deny = (message: string = M.forbidden): Decision => ({ ok: false, message });

export function authorize(services: AuthServices, actor: Actor, action: ProtectedAction, resource: { municipalityId?: string } = {}): Decision {
  const membership = services.roles.of(actor.platform, actor.userId);
  if (membership.role === 'admin') return { ok: true };
  switch (action) {
    case 'checklist.answer':
    case 'checklist.view':
      if (membership.role === 'member' && resource.municipalityId !== undefined && membership.municipalityId === resource.municipalityId) return { ok: true };
      return deny(membership.role === 'member' ? M.forbiddenOtherMunicipality : M.forbidden);
    case 'handoff.reply': {
      // the people in the configured desk channel answer hand-offs
      const desk = deskChannel(services.config, actor.platform);
      return desk && desk === actor.channelId ? { ok: true } : deny();
    }
    default:
      return deny();
  }
}

export function isAdmin(services: Pick<AuthServices, 'roles'>, actor: Actor): boolean {
  return services.roles.of(actor.platform, actor.userId).role === 'admin';
}

/** The desk channel configured for a platform, if any. */
export function deskChannel(config: Pick<Config, 'deskChannels'>, platform: string): string | undefined {
  return Object.hasOwn(config.deskChannels, platform) ? config.deskChannels[platform] : undefined;
}

/** Where a hand-off (or a notice for the desk) goes from a conversation on this platform: its desk channel. */
export function deskTarget(config: Pick<Config, 'deskChannels'>, actor: Actor): Target | null {
  const channelId = deskChannel(config, actor.platform);
  return channelId ? { platform: actor.platform, channelId } : null;
}

/**
 * A notice for the desk (a new membership request, a provider registration): a header, what it is
 * about, and the desk's buttons, delivered to this platform's desk channel. None when there is no desk.
 */
export function deskNotice(config: Pick<Config, 'deskChannels'>, actor: Actor, notice: { header: string; fields: { label: string; value: string }[]; controls: Block[] }): Effect[] {
  const target = deskTarget(config, actor);
  if (!target) return [];
  return [{ type: 'deliver', target, reason: 'admin_notice', reply: { blocks: [{ type: 'header', text: notice.header }, { type: 'fields', fields: notice.fields }, ...notice.controls] } }];
}
