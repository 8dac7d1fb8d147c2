/** /pf without arguments, greetings and unknown commands: what the bot can do. */
import { M } from './messages/core.js';
import type { Block, Reply } from './engine/types.js';

export function menuReply(prefix?: string): Reply {
  const blocks: Block[] = [];
  if (prefix) blocks.push({ type: 'text', text: prefix });
  else blocks.push({ type: 'header', text: '都道府県プラットフォーム構築 支援アシスタント' }, { type: 'text', text: M.greeting.join('\n') });
  blocks.push(
    { type: 'fields', fields: M.menuItems.map(([label, value]) => ({ label, value })) },
    {
      type: 'actions',
      controls: [
        { kind: 'button', action: 'cmd', value: 'pf-faq', label: 'Q&A一覧' },
        { kind: 'button', action: 'cmd', value: 'pf-step', label: 'ステップ診断' },
        { kind: 'button', action: 'cmd', value: 'pf-case', label: '事例を探す' },
        { kind: 'button', action: 'cmd', value: 'pf-checklist', label: 'チェックリスト' },
        { kind: 'button', action: 'cmd', value: 'pf-provider', label: '事業者を探す' },
      ],
    },
    { type: 'context', text: '出典: 都道府県プラットフォーム構築の手引き Vol.2（株式会社日本総合研究所、令和8年3月）ほか関連資料4点' },
  );
  return { blocks };
}
