/**
 * User-facing Japanese of the admin commands of /pf: roles (「/pf 権限」), usage figures (「/pf 統計」
 * and its CSV) and the admin menu (「/pf 管理」), keyed by what each is for.
 */
export const ADMIN = {
  /** How to write 「/pf 権限」 on each platform: Slack sends a picked @user as an escaped mention; Discord has a user option. */
  roleHelp: (platform: string): readonly string[] =>
    platform === 'discord'
      ? ['/pf 質問:権限 … 付与されている権限の一覧', '/pf 質問:権限 付与 管理者 ユーザー:（相手を選ぶ）', '/pf 質問:権限 付与 市町村 行田市 ユーザー:（相手を選ぶ）', '/pf 質問:権限 解除 ユーザー:（相手を選ぶ）', '/pf 質問:権限 申請 … 回答者の申請（承認・却下）']
      : ['/pf 権限 … 付与されている権限の一覧', '/pf 権限 付与 @ユーザー 管理者', '/pf 権限 付与 @ユーザー 市町村 行田市', '/pf 権限 解除 @ユーザー', '/pf 権限 申請 … 回答者の申請（承認・却下）'],
  rolesHeader: '権限の一覧',
  configuredAdmins: '設定ファイルの管理者（ADMIN_USER_IDS）',
  none: 'なし',
  grantedRoles: 'チャットで付与した権限',
  /** A granted role: an admin, or a member of a municipality. */
  roleLine: (who: string, admin: boolean, municipality: string | null) => `${who} … ${admin ? '管理者' : `市町村メンバー（${municipality}）`}`,
  municipalityUnknown: (name: string, candidates: readonly string[]) => `市町村「${name}」を1つに特定できませんでした。${candidates.length ? `候補: ${candidates.join('、')}` : ''}`,
  usage: '使い方',
  specifyUser: (help: string) => `ユーザーを指定してください。\n${help}`,
  /** A grant or revoke that names no resolvable user: nothing changed, and how to name one. */
  userNotResolved: (typed: string, platform: string, help: string) =>
    `「${typed}」からユーザーを特定できませんでした。何も変更していません。${platform === 'discord' ? '「ユーザー」の欄で相手を選んでください。' : '入力欄で @ を打って候補からユーザーを選んでください（メンションとして送られます）。'}\n${help}`,
  cannotRevokeConfigured: '設定ファイル（ADMIN_USER_IDS）で指定された管理者は、チャットからは解除できません。',
  revoked: (userId: string) => `${userId} の権限を解除しました。`,
  nothingToRevoke: (userId: string) => `${userId} には付与された権限がありません。`,
  grantedAdmin: (userId: string) => `${userId} を管理者（都道府県の担当者）にしました。`,
  boundMember: (userId: string, municipality: string) => `${userId} を ${municipality} のメンバーにしました。`,
  badSyntax: (help: string) => `書き方が正しくありません。\n${help}`,
  statsExported: '直近90日の質問と評価を CSV で出力しました。',
  statsHeader: '利用状況（直近14日）',
  questions: '質問数',
  votes: (up: number, down: number, rate: string) => `${up} / ${down}（👍率 ${rate}）`,
  perDay: '日別の質問数（うち範囲外）',
  noQuestions: 'まだ質問はありません',
  outOfScope: '資料に答えがなかった質問（知識ベースに追加する候補）',
  downvoted: '👎 がついた回答の質問',
  topCited: 'よく引用された箇所',
  citedLine: (title: string, page: number | null, count: number) => `${title}${page ? `（P.${page}）` : ''} … ${count} 回`,
  statsCsvHint: '「/pf 統計 CSV」で直近90日の明細を CSV で出力できます。',
  menuHeader: '管理者メニュー',
  menuItems: ['/pf 統計 … 利用状況（範囲外の質問、👍/👎、よく引用された箇所）', '/pf 権限 … 権限の付与・解除', '/pf-checklist … チェックリストの集計・グループ・CSV', '/pf-provider 承認待ち … 掲載申込の審査', '/pf-provider インポート／エクスポート／テンプレート … 多様な主体リストの CSV'],
  intentLabels: { question: '質問', start_checklist: 'チェックリスト', provider_search: '事業者検索', step_guide: 'ステップ診断', faq_list: 'Q&A一覧', case_search: '事例検索', help: 'ヘルプ' },
  csvOutOfScope: '範囲外',
  csvGenerated: '生成AI',
  csvOffline: 'オフライン',
  csvTimeJst: '日時（日本時間）',
  csvTime: (timeZone: string) => `日時（${timeZone}）`,
  csvPlatform: 'プラットフォーム',
  csvQuestion: '質問',
  csvIntent: '意図',
  csvProbability: '範囲外の確率',
  csvSources: '出典',
  csvMethod: '回答方式',
} as const;
