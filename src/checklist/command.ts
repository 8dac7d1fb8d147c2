/** `/pf-checklist`: the admin views, one municipality's answers, an answer on behalf of one, or the flow. */
import { isAdmin } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import { text } from '../engine/types.js';
import { adminMenu, exportReply, groupsReply, municipalityDetail, overviewReply } from './admin.js';
import type { Ctx } from './context.js';
import { PREVIEW } from './flow.js';
import { ID } from './state.js';
import { CHECKLIST } from '../messages/checklist.js';

/** The arguments that ask for the overview (「集計」): src/bot.ts sends them to the overview with its chart (src/analysis/). */
export const OVERVIEW_ARGS = /^(集計|一覧|状況|全体|overview)$/i;

/** /pf-checklist [集計|エクスポート|グループ|プレビュー|履歴|<市町村名>|回答 <市町村名>] */
export async function checklistCommand(ctx: Ctx, args: string): Promise<Handled> {
  const { services, runtime, actor } = ctx;
  const admin = isAdmin(services, actor);
  const a = args.normalize('NFKC').trim();
  if (OVERVIEW_ARGS.test(a)) return overviewReply(ctx);
  if (/^(エクスポート|export|csv|出力)$/i.test(a)) return exportReply(ctx);
  if (/^(グループ|分類|group)$/i.test(a)) return groupsReply(ctx);
  if (/^(プレビュー|ぷれびゅー|preview|試す|ためす)$/i.test(a)) {
    if (!admin) return handled([text(CHECKLIST.previewAdminOnly, { ephemeral: true })]);
    return runtime.start(ctx, ID, PREVIEW);
  }
  const membership = services.roles.of(actor.platform, actor.userId);
  if (/^(履歴|前回|自分の回答)$/.test(a)) {
    if (!membership.municipalityId) return handled([text(CHECKLIST.noMunicipalityYet)]);
    return municipalityDetail(ctx, membership.municipalityId);
  }
  const onBehalf = /^回答\s+(.+)$/.exec(a);
  if (onBehalf) {
    if (!admin) return handled([text(CHECKLIST.onBehalfAdminOnly, { ephemeral: true })]);
    const found = services.municipalities.find(onBehalf[1]!);
    if (found.length !== 1) return handled([text(CHECKLIST.notOneMunicipality(onBehalf[1]), { ephemeral: true })]);
    return runtime.start(ctx, ID, found[0]!.id);
  }
  if (a) {
    const found = services.municipalities.find(a);
    if (!found.length) return handled([text(CHECKLIST.municipalityNotFound(a.slice(0, 30)), { ephemeral: true }), ...(admin ? [adminMenu(ctx)] : [])]);
    if (found.length > 1) return handled([text(CHECKLIST.severalMunicipalities(a, found.map((m) => m.name).join('、')), { ephemeral: true })]);
    return municipalityDetail(ctx, found[0]!.id);
  }
  // no arguments: resume a draft, or start
  const resumed = runtime.resume(ctx, ID);
  if (resumed) return handled([text(CHECKLIST.resumed), ...resumed.replies]);
  if (admin) return handled([adminMenu(ctx)]);
  return runtime.start(ctx, ID, membership.municipalityId ?? '');
}
