/**
 * `/pf-provider`: the directory's one command. Admin words (承認待ち, エクスポート, インポート,
 * テンプレート) go to the admin views, 登録 starts the registration flow, anything else is a lookup.
 */
import { isAdmin } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import { text } from '../engine/types.js';
import { normalizeForMatch } from '../knowledge/normalize.js';
import { exportProvidersReply, importHelp, pendingReply, templateReply } from './admin.js';
import type { Ctx } from './context.js';
import { providerRegistrationFlow } from './register.js';
import { providerSearchFlow } from './search.js';
import { PROVIDERS } from '../messages/providers.js';

/** /pf-provider [登録|承認待ち|エクスポート|インポート|テンプレート|<条件>] */
export async function providerCommand(ctx: Ctx, args: string): Promise<Handled> {
  const a = normalizeForMatch(args);
  if (/^(登録|登録したい|申し込み|申込)$/.test(a)) return ctx.runtime.start(ctx, providerRegistrationFlow.id, '');
  if (/^(承認待ち|審査|pending)$/.test(a)) return pendingReply(ctx);
  if (/^(エクスポート|export|csv出力|出力)$/.test(a)) return exportProvidersReply(ctx);
  if (/^(テンプレート|template|ひな形|雛形)$/.test(a)) return templateReply(ctx);
  if (/^(インポート|import|取り込み|取込)$/.test(a)) return importHelp(ctx);
  if (/^(インポート|import|取り込み|取込)\s/.test(a)) return handled([text(isAdmin(ctx.services, ctx.actor) ? PROVIDERS.attachFile : PROVIDERS.importAdminOnly, { ephemeral: true })]);
  return ctx.runtime.start(ctx, providerSearchFlow.id, args);
}
