/**
 * What a free-text message asks for: an answer from the documents, or to start one of the
 * guided flows. Only messages that clearly ask to start a flow are routed to it; a question
 * about the checklist (「チェックリストの2問目って記述式？」) is still a question.
 */
import { normalizeForMatch } from '../knowledge/normalize.js';

export const INTENTS = ['question', 'start_checklist', 'provider_search', 'step_guide', 'faq_list', 'case_search', 'help'] as const;
export type Intent = (typeof INTENTS)[number];

const START_VERB = /(回答|答え|入力|記入|提出|始め|はじめ|開始|再開|続き|続け|埋め|やりた|やる|送り|出したい|進めたい|受けたい|したい|お願い)/;
const SEARCH_VERB = /(探し|探す|さがし|さがす|見つけ|検索|紹介して|教えて|知りたい|一覧|リスト|いる[?？]?$|ある[?？]?$|いますか|ありますか|は[?？]$|はどこ|どこ[?？]?$|ない[?？]?$|して[?？]?$)/;
const PROVIDER_NOUN = /(事業者|企業|会社|お店|店舗|店|団体|npo|法人|業者|サービス)/;
const HOW_TO = /(どうすれば|どうしたら|方法|やり方|進め方|手引き|県は|都道府県は|どう関わ|アプローチ|声かけ|打診|巻き込|登録した|もらえる|掲載希望)/;
const GREETING = /^(こんにちは|こんばんは|おはよう(ございます)?|はじめまして|よろしく(お願いします)?|ありがと(う)?(ございます|ございました)?|お疲れ(様|さま)(です|でした)?|おつかれ(さま)?(です|でした)?|おやすみ(なさい)?|さようなら|またね|hello|hi|hey|good (morning|afternoon|evening)|thanks|thank you|bye|help|ヘルプ|使い方|何ができる[?？]?|なにができる[?？]?|メニュー)[!！。.?？]*$/;
/**
 * Questions about the assistant itself (「あなたは誰？」「君の名前は？」「who are you?」): the
 * documents do not answer them, the menu does, as it does a greeting.
 */
const ABOUT_ME = /^(あなた|君|きみ|おまえ|お前|このボット|このbot|このアシスタント|ボット|bot)(は|って|の)?(誰|だれ|何者|なにもの|名前|なまえ|何ができる|なにができる|何を(教えて|答えて)くれる)[^。]{0,6}$|^(who|what) are you[?？]*$|^what can you do[?？]*$/;

/** The slash commands, typed as text, and what they start. */
const COMMAND_INTENTS: Record<string, Intent> = {
  'pf-checklist': 'start_checklist',
  'pf-provider': 'provider_search',
  'pf-step': 'step_guide',
  'pf-faq': 'faq_list',
  'pf-case': 'case_search',
};

/**
 * Detects the intent of a free-text message. `serviceTerms` are the provider taxonomy's
 * category and sub-category names (and the service words users use for them).
 */
export function detectIntent(text: string, serviceTerms: readonly string[] = []): Intent {
  const q = normalizeForMatch(text);
  const command = /^\/(pf(?:-[a-z]+)?)(?:\s+(.*))?$/s.exec(q);
  if (command) {
    const [, name, args = ''] = command;
    // 「/pf 質問」 asks the question; 「/pf」 alone shows the menu
    if (name === 'pf') return args.trim() ? detectIntent(args, serviceTerms) : 'help';
    return COMMAND_INTENTS[name!] ?? 'help';
  }
  if (!q || GREETING.test(q) || ABOUT_ME.test(q)) return 'help';
  if (/チェックリスト|状況把握の(調査|回答)/.test(q) && START_VERB.test(q) && !/(選択式|記述式|何問|どんな|設問|とは|って何)/.test(q)) return 'start_checklist';
  if (/(どの|どっちの|どこの)ステップ|何から(始め|手をつけ|やれば)|どこから(始め|手をつけ)|ステップ(診断|を選|を決め|のおすすめ)|おすすめのステップ/.test(q)) return 'step_guide';
  if (/(q&a|qa|faq|よくある質問)(の)?(一覧|リスト|を見|見せ|全部|を表示)|質問(の)?一覧/.test(q)) return 'faq_list';
  if (/事例(を|の)?(探|検索|一覧|見せ|見たい|リスト)|(事例|取組例)を(教えて|知りたい)$/.test(q)) return 'case_search';
  const mentionsService = serviceTerms.some((t) => t.length >= 2 && q.includes(normalizeForMatch(t)));
  if (PROVIDER_NOUN.test(q) && mentionsService && SEARCH_VERB.test(q) && !HOW_TO.test(q)) return 'provider_search';
  return 'question';
}

/** Words that point back at the previous turn: the question has no topic of its own. */
const POINTS_BACK = /^(それ|その|これ|この|あれ|あの|そこ|そちら|こちら|そういう|こういう|ああいう|他の|ほかの|別の)/;
/** 「この手引き」「この資料」 name their own topic. */
const OWN_REFERENT = /^(この|その)(手引き|資料|ボット|チャット|サイト|ガイド)/;
/** A connective opening a turn: 「じゃあ研修の内容は？」 is a new topic, 「じゃあ具体例は？」 is not. */
const CONNECTIVE = /^(それでは|それなら|じゃあ|じゃ|では|なら|あと|ちなみに|さらに|で)[、,]?/;
/** What a question may ask about any topic: alone, these leave the topic unsaid. */
const ASPECT_ONLY = /^(もっと|さらに|より)?(具体的に(は|いうと)?|具体例|例|例えば|たとえば|詳しく|詳細|くわしく|他に|ほかに|他には|ほかには|続き|理由|なぜ|どうして|いつ|誰|だれ|どこ|いくら|何社|何人|何件|ほか|他)(は|を|に|で|も|って)?(ある|あります|ない|教えて|知りたい|お願い|ください|どう|何|なに|どんな)?(か|の|ですか|ますか|？|\?)*$/;
/** 「沖縄県の場合は？」「山間部では？」「ツドレバは？」: a bare name with the rest of the question left out. */
const ELLIPSIS = /^([^のをにがで、,]{0,11}[^のをにがで、,と])(の場合|では|だと|なら|は)(は|どう|どうなる|どうですか|どうなの)?[?？]*$/;

/**
 * Whether a message continues the previous turn rather than starting a topic of its own. It does
 * only when it cannot stand alone: it points back (「それの具体例は？」「その研修の対象は？」), it
 * asks for an aspect without naming a topic (「具体例は？」「もっと詳しく」), or it names one thing
 * and leaves the question out (「沖縄県の場合は？」). 「研修の内容は？」 has a topic of its own
 * (研修) and an aspect of it (内容): it starts fresh, even right after 「ツドレバって何？」.
 */
export function isFollowUp(text: string): boolean {
  const q = normalizeForMatch(text).replace(/\s+/g, '');
  if (!q) return false;
  if (POINTS_BACK.test(q)) return !OWN_REFERENT.test(q);
  const rest = q.replace(CONNECTIVE, '');
  if (!rest || ASPECT_ONLY.test(rest)) return true;
  return ELLIPSIS.test(rest);
}
