/**
 * The one authorisation check. Every action that reads or changes protected data asks here:
 * another municipality's checklist answers, the prefecture's overview, exports, approvals, imports,
 * role changes, usage figures and desk replies. Roles: prefecture staff (admin), municipality
 * members (their own municipality only), everyone else (questions and provider search only).
 */
import { M } from '../messages.js';
import type { Services } from './context.js';
import type { Actor } from './types.js';

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

export function authorize(services: Pick<Services, 'roles' | 'config'>, actor: Actor, action: ProtectedAction, resource: { municipalityId?: string } = {}): Decision {
  const membership = services.roles.of(actor.platform, actor.userId);
  if (membership.role === 'admin') return { ok: true };
  switch (action) {
    case 'checklist.answer':
    case 'checklist.view':
      if (membership.role === 'member' && resource.municipalityId !== undefined && membership.municipalityId === resource.municipalityId) return { ok: true };
      return deny(membership.role === 'member' ? M.forbiddenOtherMunicipality : M.forbidden);
    case 'handoff.reply': {
      // the people in the configured desk channel answer hand-offs
      const desk = actor.platform === 'slack' ? services.config.slack?.deskChannel : actor.platform === 'discord' ? services.config.discord?.deskChannel : undefined;
      return desk && desk === actor.channelId ? { ok: true } : deny();
    }
    default:
      return deny();
  }
}

export function isAdmin(services: Pick<Services, 'roles'>, actor: Actor): boolean {
  return services.roles.of(actor.platform, actor.userId).role === 'admin';
}
