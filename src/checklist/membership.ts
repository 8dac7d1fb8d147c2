/**
 * Membership is granted, not taken (issue 17). A user answers for a municipality only after an
 * admin grants it (「/pf 権限 付与 …」) or approves the user's request. Picking a municipality in
 * the checklist files a request: the desk is told, an admin approves or rejects, the user is told.
 * Until then the user may read the questions, but neither send answers nor read any.
 */
import { authorize, deskNotice } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import type { StepOutcome } from '../engine/flow-definition.js';
import type { Block, Effect, Reply } from '../engine/types.js';
import { text } from '../engine/types.js';
import type { Ctx } from './context.js';
import type { ChecklistState } from './state.js';
import { currentDefinition } from './steps.js';
import { MEMBERSHIP } from '../messages/membership.js';

const esc = (s: string): string => s.replace(/[<>&*_~`|]/g, (c) => `&#${c.charCodeAt(0)};`).slice(0, 80);
const who = (platform: string, userId: string): string => `${platform}:${userId}`;

/** The checklist's questions in force, to read while a request waits (no answers of anyone). */
export function questionsPreview(ctx: Ctx): Block {
  const items: string[] = [];
  for (const q of currentDefinition(ctx).questions) {
    items.push(`${q.label} ${q.prompt}`);
    if (q.kind === 'yesno-chain' && q.steps.length > 1) items.push(...q.steps.map((s, i) => `　${i + 1}. ${s.text}`));
    if (q.kind === 'multiple' || q.kind === 'single') items.push(...q.options.map((o) => `　・${o.text}`));
  }
  return { type: 'list', title: MEMBERSHIP.questionsTitle, items };
}

/**
 * The user picked a municipality they are not a member of: file (or repeat) the request, tell
 * the desk, end the flow. The write is returned as `commit` so it lands with the flow's end.
 */
export function requestMembership(ctx: Ctx, municipalityId: string): StepOutcome<ChecklistState> {
  const { membershipRequests, municipalities, config } = ctx.services;
  const a = ctx.actor;
  const name = municipalities.get(municipalityId)?.name ?? municipalityId;
  return {
    replies: [],
    commit: () => {
      const { request, repeated } = membershipRequests.request(a.platform, a.userId, municipalityId, ctx.now);
      const replies: Reply[] = [
        {
          blocks: [
            {
              type: 'text',
              text: repeated ? MEMBERSHIP.stillPending(name, request.id) : MEMBERSHIP.requested(name, request.id),
            },
            questionsPreview(ctx),
          ],
        },
      ];
      const effects = repeated
        ? []
        : deskNotice(config, a, {
            header: MEMBERSHIP.deskHeader,
            fields: [{ label: MEMBERSHIP.fieldMunicipality, value: name }, { label: MEMBERSHIP.fieldRequester, value: `${esc(a.displayName ?? '')} (${who(a.platform, a.userId)})` }, { label: MEMBERSHIP.fieldNumber, value: `#${request.id}` }],
            controls: approvalControls(request.id),
          });
      return { replies, effects };
    },
  };
}

function approvalControls(id: number): Block[] {
  return [{ type: 'actions', controls: [{ kind: 'button', action: 'membership:approve', value: String(id), label: MEMBERSHIP.approveLabel(id), style: 'primary' }, { kind: 'button', action: 'membership:reject', value: String(id), label: MEMBERSHIP.rejectLabel(id), style: 'danger' }] }];
}

/** Admins: the open requests, each with approve and reject. */
export function membershipRequestsReply(ctx: Ctx): Handled {
  const d = authorize(ctx.services, ctx.actor, 'roles.manage');
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  const list = ctx.services.membershipRequests.pending();
  if (!list.length) return handled([text(MEMBERSHIP.noneOpen, { ephemeral: true })]);
  const blocks: Block[] = [{ type: 'header', text: MEMBERSHIP.openHeader(list.length) }];
  for (const r of list.slice(0, 20)) {
    const name = ctx.services.municipalities.get(r.municipalityId)?.name ?? r.municipalityId;
    blocks.push({ type: 'text', text: `#${r.id} ${who(r.platform, r.userId)} → ${name}` }, ...approvalControls(r.id));
  }
  return handled([{ blocks, ephemeral: true }]);
}

/** Approve or reject a request (admins only); the user is told either way. */
export async function membershipAction(ctx: Ctx, action: string, value: string): Promise<Handled> {
  const d = authorize(ctx.services, ctx.actor, 'roles.manage');
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  const { membershipRequests, roles, municipalities } = ctx.services;
  const id = Number(value);
  const request = Number.isInteger(id) ? membershipRequests.get(id) : null;
  if (!request || (action !== 'membership:approve' && action !== 'membership:reject')) return handled([text(MEMBERSHIP.notFound, { ephemeral: true })]);
  const approve = action === 'membership:approve';
  const by = who(ctx.actor.platform, ctx.actor.userId);
  const name = municipalities.get(request.municipalityId)?.name ?? request.municipalityId;
  const decided = ctx.services.transaction(() => {
    if (!membershipRequests.decide(request.id, approve ? 'approved' : 'rejected', by, ctx.now)) return false;
    if (approve) roles.bindMember(request.platform, request.userId, request.municipalityId, by, ctx.now);
    return true;
  });
  if (!decided) return handled([text(MEMBERSHIP.alreadyDecided(request.id), { ephemeral: true })]);
  const notice: Effect = {
    type: 'deliver',
    target: { platform: request.platform, userId: request.userId },
    reason: 'user_notice',
    reply: text(approve ? MEMBERSHIP.approvedForUser(name, request.id) : MEMBERSHIP.rejectedForUser(name, request.id)),
  };
  return { replies: [text(approve ? MEMBERSHIP.approvedForAdmin(request.id, who(request.platform, request.userId), name) : MEMBERSHIP.rejectedForAdmin(request.id), { ephemeral: true })], effects: [notice] };
}
