/**
 * The slash commands as Discord registers them (names fixed: outside checks rely on them), with
 * typed options, choices and autocomplete where they help, and how their options become the
 * neutral command's argument line.
 */
import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, type APIApplicationCommandOptionChoice, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { CommandCatalog, CommandName } from '../../src/core.js';
import { cut, MAX_CHOICES, MAX_COMMAND_DESCRIPTION } from './limits.js';

type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;


/** Everywhere a bot can be used: servers and DMs with the bot. */
const everywhere = { contexts: [InteractionContextType.Guild, InteractionContextType.BotDM], integration_types: [ApplicationIntegrationType.GuildInstall] };

/** The command definitions, from the core's catalog (descriptions from the menu, the Q&A as choices). */
export function commandDefinitions(catalog: CommandCatalog): Definition[] {
  const describe = (name: CommandName): string => cut(catalog.descriptions[name], MAX_COMMAND_DESCRIPTION);
  const faqChoices: APIApplicationCommandOptionChoice<number>[] = catalog.faq.slice(0, MAX_CHOICES).map((f) => ({ name: cut(`Q${f.number} ${f.question}`, 100), value: f.number }));
  return [
    {
      name: 'pf',
      description: 'メニュー、または手引きにもとづく質問への回答',
      ...everywhere,
      options: [
        { type: ApplicationCommandOptionType.String, name: '質問', description: '例: 企業へのアプローチ方法は？（空ならメニュー）／管理者: 権限 付与 管理者', required: false, max_length: 2000 },
        // a real user picker: 「権限 付与／解除」 name their user here, so no one types an id (issue 17)
        { type: ApplicationCommandOptionType.User, name: USER_OPTION, description: '管理者向け: 権限を付与・解除する相手', required: false },
      ],
    },
    { name: 'pf-faq', description: describe('pf-faq'), ...everywhere, options: [{ type: ApplicationCommandOptionType.Integer, name: '番号', description: 'Q&Aの番号（空なら一覧）', required: false, choices: faqChoices }] },
    { name: 'pf-step', description: describe('pf-step'), ...everywhere },
    { name: 'pf-case', description: describe('pf-case'), ...everywhere, options: [{ type: ApplicationCommandOptionType.String, name: '条件', description: '都道府県・機能・テーマ・キーワード（例: 沖縄県、研修、買い物支援）', required: false, autocomplete: true, max_length: 200 }] },
    {
      name: 'pf-checklist',
      description: describe('pf-checklist'),
      ...everywhere,
      options: [
        { type: ApplicationCommandOptionType.String, name: '操作', description: '管理者向け: 集計・グループ・エクスポート・プレビュー／メンバー: 履歴', required: false, choices: ['集計', 'グループ', 'エクスポート', 'プレビュー', '履歴', '代理回答'].map((c) => ({ name: c, value: c })) },
        { type: ApplicationCommandOptionType.String, name: '市町村', description: '詳細を見る（または代理回答する）市町村', required: false, autocomplete: true, max_length: 40 },
      ],
    },
    {
      name: 'pf-provider',
      description: describe('pf-provider'),
      ...everywhere,
      options: [
        { type: ApplicationCommandOptionType.String, name: 'カテゴリ', description: 'カテゴリまたはサブカテゴリ（例: 移動販売）', required: false, autocomplete: true, max_length: 50 },
        { type: ApplicationCommandOptionType.String, name: '市町村', description: 'サービスを探す市町村', required: false, autocomplete: true, max_length: 40 },
        { type: ApplicationCommandOptionType.String, name: 'キーワード', description: '名称・サービス内容のキーワード', required: false, max_length: 100 },
        { type: ApplicationCommandOptionType.String, name: '操作', description: '登録（掲載申込）・承認待ち・空白（困りごとと事業者）・エクスポート・テンプレート・インポート', required: false, choices: ['登録', '承認待ち', '空白', '空白CSV', 'エクスポート', 'テンプレート', 'インポート', 'インポート確認'].map((c) => ({ name: c, value: c })) },
        { type: ApplicationCommandOptionType.Attachment, name: 'ファイル', description: '管理者向け: 取り込む CSV（操作「インポート」と一緒に）', required: false },
      ],
    },
  ];
}

/** The user option of /pf: Discord sends the picked user's id. */
export const USER_OPTION = 'ユーザー';

const ROLE_VERB = /^(付与|追加|設定|解除|削除|取消|取り消し)$/;

/**
 * 「権限 付与 管理者」 with a user picked: the user goes where the command line names it
 * (「権限 付与 <@id> 管理者」). An empty question with a user picked is a grant still missing its
 * role (the core answers with how to write it). A line that names its user already is kept.
 */
export function withUser(question: string, userId: string): string {
  if (!userId) return question;
  const mention = `<@${userId}>`;
  const words = question.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return `権限 付与 ${mention}`;
  if (words[0] !== '権限' || !ROLE_VERB.test(words[1] ?? '')) return question;
  if (/^<@!?\d+>$/.test(words[2] ?? '')) return question;
  return [words[0], words[1], mention, ...words.slice(2)].join(' ');
}

/** Reads an option's value whatever its type. */
export type OptionReader = (name: string) => string | number | undefined;

/** The neutral argument line of a command, from its options. */
export function commandArgs(command: string, read: OptionReader): string {
  const s = (name: string): string => String(read(name) ?? '').trim();
  switch (command) {
    case 'pf':
      return withUser(s('質問'), s(USER_OPTION));
    case 'pf-faq':
      return s('番号');
    case 'pf-case':
      return s('条件');
    case 'pf-checklist':
      if (s('操作') === '代理回答') return `回答 ${s('市町村')}`.trim();
      return s('操作') || s('市町村');
    case 'pf-provider': {
      const op = s('操作');
      if (op) return op === 'インポート確認' ? 'インポート 確認' : op === '空白CSV' ? '空白 CSV' : op;
      return [s('カテゴリ'), s('市町村'), s('キーワード')].filter(Boolean).join(' ');
    }
    default:
      return '';
  }
}
