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
import { MS } from '../messages/membership.js';

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

const ROLE_HELP = (platform: string): readonly string[] => MS.roleHelp(platform);

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
      { type: 'header', text: '権限の一覧' },
      { type: 'list', title: '設定ファイルの管理者（ADMIN_USER_IDS）', items: ctx.services.config.adminUserIds.length ? ctx.services.config.adminUserIds : ['なし'] },
      { type: 'list', title: 'チャットで付与した権限', items: list.length ? list.map((r) => `${r.platform}:${r.userId} … ${r.role === 'admin' ? '管理者' : `市町村メンバー（${municipalities.get(r.municipalityId ?? '')?.name ?? r.municipalityId}）`}`) : ['なし'] },
      { type: 'list', title: '使い方', items: [...ROLE_HELP(platform)] },
    ];
    return handled([{ blocks, ephemeral: true }]);
  }
  const userId = who ? parseUserRef(who, platform) : null;
  if (!userId) {
    const named = who ? `${MS.userNotResolved(who.slice(0, 40).replace(/[<>&]/g, ''), platform)}\n` : `${MS.userMissing}\n`;
    return handled([text(`${named}${ROLE_HELP(platform).join('\n')}`, { ephemeral: true })]);
  }
  if (/^(解除|削除|取消|取り消し)$/.test(verb)) {
    if (store.isConfiguredAdmin(platform, userId)) return handled([text('設定ファイル（ADMIN_USER_IDS）で指定された管理者は、チャットからは解除できません。', { ephemeral: true })]);
    return handled([text(store.revoke(platform, userId) ? `${userId} の権限を解除しました。` : `${userId} には付与された権限がありません。`, { ephemeral: true })]);
  }
  if (/^(付与|追加|設定)$/.test(verb)) {
    if (kind && /^(管理者|admin)$/i.test(kind)) {
      store.grantAdmin(platform, userId, by, ctx.now);
      return handled([text(`${userId} を管理者（都道府県の担当者）にしました。`, { ephemeral: true })]);
    }
    if (kind && /^(市町村|メンバー|member)$/i.test(kind) && rest.length) {
      const found = municipalities.find(rest.join(' '));
      if (found.length !== 1) return handled([text(`市町村「${rest.join(' ')}」を1つに特定できませんでした。${found.length ? `候補: ${found.map((m) => m.name).join('、')}` : ''}`, { ephemeral: true })]);
      store.bindMember(platform, userId, found[0]!.id, by, ctx.now);
      return handled([text(`${userId} を ${found[0]!.name} のメンバーにしました。`, { ephemeral: true })]);
    }
  }
  return handled([text(`書き方が正しくありません。\n${ROLE_HELP(platform).join('\n')}`, { ephemeral: true })]);
}

function stats(ctx: Ctx, args: string[]): Handled {
  const d = authorize(ctx.services, ctx.actor, 'stats.view');
  if (!d.ok) return handled([text(d.message, { ephemeral: true })]);
  if (args[0] && /^(csv|エクスポート|出力)$/i.test(args[0])) {
    return handled([{ blocks: [{ type: 'text', text: '直近90日の質問と評価を CSV で出力しました。' }], file: { name: datedFileName('usage', ctx.now, ctx.services.config.timeZone), mime: 'text/csv', data: ctx.services.stats.csv(ctx.now, 90, ctx.services.config.timeZone) }, ephemeral: true }]);
  }
  const s = ctx.services.stats.usage(ctx.now);
  const rate = s.votes.up + s.votes.down ? `${Math.round((s.votes.up / (s.votes.up + s.votes.down)) * 100)}%` : '—';
  const when = (ms: number): string => new Date(ms).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const blocks: Block[] = [
    { type: 'header', text: '利用状況（直近14日）' },
    { type: 'fields', fields: [{ label: '質問数', value: String(s.total) }, { label: '👍 / 👎', value: `${s.votes.up} / ${s.votes.down}（👍率 ${rate}）` }] },
    { type: 'list', title: '日別の質問数（うち範囲外）', items: s.days.length ? s.days.map((d) => `${d.day}: ${d.questions}（${d.outOfScope}）`) : ['まだ質問はありません'] },
    { type: 'list', title: '資料に答えがなかった質問（知識ベースに追加する候補）', items: s.outOfScope.length ? s.outOfScope.map((q) => `${when(q.at)} ${q.question}`) : ['なし'] },
    { type: 'list', title: '👎 がついた回答の質問', items: s.downvoted.length ? s.downvoted.map((q) => `${when(q.at)} ${q.question}`) : ['なし'] },
    { type: 'list', title: 'よく引用された箇所', items: s.topCited.length ? s.topCited.map((c) => `${c.title}${c.page ? `（P.${c.page}）` : ''} … ${c.count} 回`) : ['なし'] },
    { type: 'context', text: '「/pf 統計 CSV」で直近90日の明細を CSV で出力できます。' },
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
          { type: 'header', text: '管理者メニュー' },
          {
            type: 'list',
            items: ['/pf 統計 … 利用状況（範囲外の質問、👍/👎、よく引用された箇所）', '/pf 権限 … 権限の付与・解除', '/pf-checklist … チェックリストの集計・グループ・CSV', '/pf-provider 承認待ち … 掲載申込の審査', '/pf-provider インポート／エクスポート／テンプレート … 多様な主体リストの CSV'],
          },
        ],
      },
    ]);
  }
  return null;
}
