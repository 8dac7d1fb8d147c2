/**
 * Admin sub-commands of /pf: role management (「/pf 権限 …」) and usage figures (「/pf 統計」).
 * Returns null when the arguments are not an admin command (then /pf treats them as a question).
 */
import { authorize } from '../engine/auth.js';
import { handled, type Handled } from '../engine/context.js';
import type { Ctx } from './context.js';
import type { Block } from '../engine/types.js';
import { text } from '../engine/types.js';
import { datedFileName } from '../csv/time.js';
import { ADMIN } from '../messages/admin.js';

/**
 * A user reference as the platform sends it: Slack's escaped mention `<@U…|name>` (the command's
 * `should_escape: true`), Discord's `<@id>`, or a bare platform user id. A plain `@name` (an
 * unescaped Slack command, a typed display name) names no user id: null, and the grant says so.
 */
export function parseUserRef(input: string, platform?: string): string | null {
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(input);
  if (mention) return mention[1]!;
  const bare = /^[A-Za-z0-9]+$/.test(input) ? input : null;
  if (!bare) return null;
  if (platform === 'slack') return /^[UW][A-Z0-9]{2,}$/.test(bare) ? bare : null;
  if (platform === 'discord') return /^\d{15,21}$/.test(bare) ? bare : null;
  return bare;
}

const ROLE_HELP = (platform: string): readonly string[] => ADMIN.roleHelp(platform);

function roles(ctx: Ctx, args: string[]): Handled {
  const d = authorize(ctx.services, ctx.actor, 'roles.manage');
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  const { roles: store, municipalities } = ctx.services;
  const platform = ctx.actor.platform;
  const by = `${platform}:${ctx.actor.userId}`;
  const [verb, who, kind, ...rest] = args;
  if (!verb) {
    const list = store.list();
    const blocks: Block[] = [
      { type: 'header', text: ADMIN.rolesHeader },
      { type: 'list', title: ADMIN.configuredAdmins, items: ctx.services.config.adminUserIds.length ? ctx.services.config.adminUserIds : [ADMIN.none] },
      { type: 'list', title: ADMIN.grantedRoles, items: list.length ? list.map((r) => ADMIN.roleLine(`${r.platform}:${r.userId}`, r.role === 'admin', municipalities.get(r.municipalityId ?? '')?.name ?? r.municipalityId)) : [ADMIN.none] },
      { type: 'list', title: ADMIN.usage, items: [...ROLE_HELP(platform)] },
    ];
    return handled([{ blocks, ephemeral: true }]);
  }
  const userId = who ? parseUserRef(who, platform) : null;
  if (!userId) {
    const help = ROLE_HELP(platform).join('\n');
    return handled([text(who ? ADMIN.userNotResolved(who.slice(0, 40).replace(/[<>&]/g, ''), platform, help) : ADMIN.specifyUser(help), { ephemeral: true })]);
  }
  if (/^(解除|削除|取消|取り消し)$/.test(verb)) {
    if (store.isConfiguredAdmin(platform, userId)) return handled([text(ADMIN.cannotRevokeConfigured, { ephemeral: true })]);
    return handled([text(store.revoke(platform, userId) ? ADMIN.revoked(userId) : ADMIN.nothingToRevoke(userId), { ephemeral: true })]);
  }
  if (/^(付与|追加|設定)$/.test(verb)) {
    if (kind && /^(管理者|admin)$/i.test(kind)) {
      store.grantAdmin(platform, userId, by, ctx.now);
      return handled([text(ADMIN.grantedAdmin(userId), { ephemeral: true })]);
    }
    if (kind && /^(市町村|メンバー|member)$/i.test(kind) && rest.length) {
      const found = municipalities.find(rest.join(' '));
      if (found.length !== 1) return handled([text(ADMIN.municipalityUnknown(rest.join(' '), found.map((m) => m.name)), { ephemeral: true })]);
      store.bindMember(platform, userId, found[0]!.id, by, ctx.now);
      return handled([text(ADMIN.boundMember(userId, found[0]!.name), { ephemeral: true })]);
    }
  }
  return handled([text(ADMIN.badSyntax(ROLE_HELP(platform).join('\n')), { ephemeral: true })]);
}

function stats(ctx: Ctx, args: string[]): Handled {
  const d = authorize(ctx.services, ctx.actor, 'stats.view');
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  if (args[0] && /^(csv|エクスポート|出力)$/i.test(args[0])) {
    return handled([{ blocks: [{ type: 'text', text: ADMIN.statsExported }], file: { name: datedFileName('usage', ctx.now, ctx.services.config.timeZone), mime: 'text/csv', data: ctx.services.stats.csv(ctx.now, 90, ctx.services.config.timeZone) }, ephemeral: true }]);
  }
  const s = ctx.services.stats.usage(ctx.now);
  const rate = s.votes.up + s.votes.down ? `${Math.round((s.votes.up / (s.votes.up + s.votes.down)) * 100)}%` : '—';
  const when = (ms: number): string => new Date(ms).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const blocks: Block[] = [
    { type: 'header', text: ADMIN.statsHeader },
    { type: 'fields', fields: [{ label: ADMIN.questions, value: String(s.total) }, { label: '👍 / 👎', value: ADMIN.votes(s.votes.up, s.votes.down, rate) }] },
    { type: 'list', title: ADMIN.perDay, items: s.days.length ? s.days.map((d) => `${d.day}: ${d.questions}（${d.outOfScope}）`) : [ADMIN.noQuestions] },
    { type: 'list', title: ADMIN.outOfScope, items: s.outOfScope.length ? s.outOfScope.map((q) => `${when(q.at)} ${q.question}`) : [ADMIN.none] },
    { type: 'list', title: ADMIN.downvoted, items: s.downvoted.length ? s.downvoted.map((q) => `${when(q.at)} ${q.question}`) : [ADMIN.none] },
    { type: 'list', title: ADMIN.topCited, items: s.topCited.length ? s.topCited.map((c) => ADMIN.citedLine(c.title, c.page, c.count)) : [ADMIN.none] },
    { type: 'context', text: ADMIN.statsCsvHint },
  ];
  return handled([{ blocks, ephemeral: true }]);
}

export async function adminCommand(ctx: Ctx, args: string): Promise<Handled | null> {
  const words = args.normalize('NFKC').trim().split(/\s+/);
  const [head, ...rest] = words;
  if (head === '権限') return roles(ctx, rest);
  if (head === '統計') return stats(ctx, rest);
  if (head === '管理' && rest.length === 0) {
    const d = authorize(ctx.services, ctx.actor, 'stats.view');
    if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
    return handled([
      {
        ephemeral: true,
        blocks: [
          { type: 'header', text: ADMIN.menuHeader },
          {
            type: 'list',
            items: [...ADMIN.menuItems],
          },
        ],
      },
    ]);
  }
  return null;
}
