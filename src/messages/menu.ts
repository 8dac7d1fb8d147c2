/**
 * User-facing Japanese of the menu: /pf without arguments, greetings and unknown commands, and the
 * commands' descriptions (Discord registers them from here). The number of Q&A comes from the
 * knowledge base.
 */
export const MENU = {
  header: '都道府県プラットフォーム構築 支援アシスタント',
  greeting: [
    'こんにちは。都道府県プラットフォーム構築の手引き（Vol.2）と関連資料をもとにお答えするアシスタントです。',
    '質問をそのまま書くか、次のコマンドをお使いください。',
  ],
  /** What each command does, with the number of Q&A the knowledge base has. */
  items: (faqCount: number): [string, string][] => [
    ['/pf 質問', '手引きにもとづいて質問に答えます（例: /pf 企業へのアプローチ方法は？）'],
    ['/pf-faq', `Q&A（${faqCount}問）を視点別に表示します（例: /pf-faq 6）`],
    ['/pf-step', 'どのステップから始めるとよいか、いくつかの質問で診断します'],
    ['/pf-case', '事例を都道府県・機能・テーマ・キーワードで探します'],
    ['/pf-checklist', '市町村チェックリスト（図6）に回答します（管理者は集計・CSV出力）'],
    ['/pf-provider', '多様な主体（事業者）をカテゴリと地域で探します（例: /pf-provider 移動販売 行田市）'],
  ],
  buttonFaq: 'Q&A一覧',
  buttonStep: 'ステップ診断',
  buttonCase: '事例を探す',
  buttonChecklist: 'チェックリスト',
  buttonProvider: '事業者を探す',
  source: '出典: 都道府県プラットフォーム構築の手引き Vol.2（株式会社日本総合研究所、令和8年3月）ほか関連資料4点',
} as const;
