/**
 * "Not stated": a question that asks for a specific kind of fact (a phone number, an amount, a
 * date, a count, a list of names, a URL, an e-mail address) about something the documents name,
 * when the passages about that thing contain no such fact. The documents name many programmes
 * and places without giving their budgets or contacts; quoting the nearest amount (another
 * programme's budget) would be a wrong answer, so the bot says the fact is not in the documents
 * and shows what they do say about the thing.
 *
 * The kinds are the classic answer types of question answering (Li & Roth's NUM:date, NUM:count,
 * NUM:money, NUM:period, NUM:perc, HUM:ind …), recognised the way Japanese asks for them: an interrogative (いつ, いくら,
 * 誰, 何 + a counter: 何社, 何店舗, 何台), or a noun that names the fact (〜日, 〜費, 〜額, 〜数,
 * 電話番号, 名簿) asked for. A question about how or when one *should* do something (〜すればいい,
 * 〜べき, タイミング, どうやって) asks for advice, which the documents may well give, not a fact.
 */
import { normalizeForMatch } from '../knowledge/normalize.js';

export const FACT_KINDS = ['phone', 'email', 'url', 'amount', 'period', 'rate', 'date', 'count', 'names'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Which kind of place a names question asks for. */
export type PlaceKind = 'municipality' | 'prefecture' | 'organisation' | 'company';

/** What a question asks for: the kind of fact, and for a count the counter it is counted in (社, 店舗). */
export interface FactQuestion {
  kind: FactKind;
  counter?: string;
  /** For names: the question asks which municipality, prefecture, organisation or firm (どこの市町村, どこが実施, どこの会社), not which person. */
  place?: PlaceKind;
}

/** Advice and manner questions: the documents answer them in words, not with a fact. */
const ASKS_ADVICE =
  /(ば|たら|と|ても|で)(いい|よい|良い|ok|オーケー)|べき|タイミング|どう(?!なって)|どのように|どんな|やり方|進め方|決め方|方法|コツ|ポイント|目安|how (do|can|should|to|did)|what should/;

/**
 * Japanese counters (助数詞), a closed class: 何 followed by one asks for a count (何社, 何店舗, 何か所,
 * 何事例). Longer forms first. Not 何種類 (it asks what kinds there are, answered by a list) nor the
 * time counters (何月, 何日, 何年 ask for a date), nor 何ページ (a place in the handbook, which
 * the handbook's own references answer).
 */
const COUNTERS = [
  '都道府県', '市町村', '事業所', '自治体', '店舗', '団体', '事例', '施設', '世帯', '法人', '企業', '拠点', '地域', '地区', '圏域', '項目', '段階', '回目',
  'か所', 'カ所', 'ヶ所', 'ケ所', '箇所', 'チーム', 'グループ', 'パターン', 'カテゴリ',
  '市町', '社', '件', '人', '名', '回', '個', '台', '店', '市', '町', '村', '県', '枚', '冊', '部', '本', '通', '校', '軒', '組', '割', '倍', '度', '期', '歳', '問',
];
/** What an English question counts, as the counter the documents count it in. */
const ENGLISH_COUNTERS: Record<string, string> = {
  municipalities: '市町村', prefectures: '都道府県', companies: '社', firms: '社', businesses: '社', people: '人', participants: '人', members: '人',
  stores: '店舗', shops: '店舗', cases: '事例', examples: '事例', times: '回', sessions: '回', meetings: '回', organizations: '団体', organisations: '団体',
};
/**
 * 何 followed by a counter asks for a count (the closed list leaves out 何故, 何処, 何者 and verbs
 * such as 何聞いてる), unless も or か follows: 何度も, 何社も, 何人か say "many" and "some".
 */
const COUNT_BY_COUNTER = new RegExp(`何(${COUNTERS.join('|')})(?![もか])`);

/** A noun ending in 数 (店舗数, 参加者数, 件数, 人数): what is counted, not 複数 or 多数. */
const COUNT_NOUN = /[\p{Script=Han}ー\p{Script=Katakana}](?<![複多少無半])数(?![\p{Script=Han}])/u;

/** Which firm (どこの会社, 委託先ってどこ, 社名): answered by a firm's own name, not a person's or a town's. */
const ASKS_COMPANY = /どこの(会社|企業|事業者|法人|生協|メーカー|業者)|(会社|企業|事業者|法人|生協|業者|委託先|受託者)(は|って|が)?(どこ|どちら)(?!に|へ|で)|社名|会社名|(^|[.?!]\s*)which (companies|firms)\b/;

/** Things counted by their own noun (自治体どのくらいある, 参加自治体っていくつ, 事業者どれくらい参加してる). */
const COUNTED = '自治体|市町村|市町|都道府県|団体|企業|事業者|会社|店舗|お店|事業所|施設|人|件|社';
const HOW_MANY = 'どのくらい|どれくらい|どれぐらい|どのぐらい|どの位';
/** The counted noun right before the ask for how many, and the counter it is counted in. */
const COUNTED_NOUN = new RegExp(`(${COUNTED})(は|って|が|も)?(いくつ|${HOW_MANY})`);
const COUNTED_AS: Record<string, string> = { 会社: '社', 企業: '社', お店: '店舗' };

/** How a question asks for each kind (checked in this order: the first that matches wins). */
const ASKS: [FactKind, RegExp][] = [
  // English: the number or the address itself, not a smartphone class or a shop someone e-mailed
  ['phone', /電話番号|代表番号|内線|電話.{0,16}番号|番号.{0,8}電話|\btel\b|\b(tele)?phone (number|no)\b|\bcontact number\b|\b(tele)?phone\b\W*$|(連絡先|問い?合わ?せ先)(は|って|を|が)?(わかる|分かる|教え|ある|載って|のって|どこ|知り|[?？]|$)|(連絡先|問い?合わ?せ先)[(（]電話|電話(は|って|を)?(どこ|どちら)(に|へ)|電話(は|って)?何番|(の|せ)電話(は|って|が)?(わかる|分かる|教え|載って|知り)|に電話(したい|して聞きたい|で聞きたい|で相談したい)/],
  ['email', /メールアドレス|メアド|\be-?mail (address|addr)|\bmail address|\be-?mail (of|for)\b|(what|which)('s| is)? (the |their |an? )?e-?mail\b|\be-?mail\W*$|\be-?mail contact\b|メール.{0,24}(アドレス|送り先|宛先|宛て先)|メール(は|って|を)?(どこ|どちら)(に|へ|[?？]|$)|(問い?合わ?せ|連絡先?の?)メール(は|って|が)?(ある|わかる|分かる|載って|教え)/],
  ['url', /\burl\b|リンク(先|を|は|ください|って|ある|どこ|ほしい|欲しい|教え)|(ホームページ|hp|ウェブサイト|webサイト|公式サイト|サイト)(は|って|の)?(アドレス|どこ|リンク|url)|ページ.{0,6}(アドレス|リンク|url)|(web ?site|homepage|page) (address|url|link)|link to/],
  // いくら…ても says "however much" (いくら支援を出しても), it does not ask
  ['amount', /いくら(?![^。？?]{0,16}?(ても|でも))|何円|何万円|予算(額|は|って|規模|の額)|(金額|費用|謝金|謝礼|単価|料金|値段|価格|上限額|補助額)(は|って|が|も)?(の(額|相場)|いくら|わか|分か|教え|知り|どれ|どの|[?？]|$)|[\p{Script=Han}]費(は|って|の額|(の)?相場|いくら|どれ)|(予算|費用|金額|事業費|委託料|補助金)(の額)?(は|って|が|を)?(どれ|どの)(くらい|ぐらい|位)|(どれ|どの)(くらい|ぐらい|位)(の)?(予算|費用|金額)|お金(が|は|って|も)?(どれ|どの|いくら)|[\p{Script=Han}](費|料|額)の目安|(どれ|どの)(くらい|ぐらい|位)(の)?お金|(利用|参加|掲載|登録|入会|使用|受講)料|参加費|会費|how much|what('s| is| was| are| were) the [a-z ]{0,20}(budget|cost|fee|price)|\b(funding|budget|grant|subsidy) amount/u],
  // a length of time (NUM:period): 何時間 before the date's 何時, 何年ごと and 何年使える (a verb of
  // lasting) before its 何年
  ['period', /何(か|ヶ|カ|ケ)月|何時間|何分間?|何週間?|何年(くらい|ぐらい|ほど)?(間|ごと|毎|おき|かか|かけ|続|使|延長|有効|継続|活動|経|たつ|経っ)|何日間|(期間|年数|時間数)(は|って|が)(どれ|どの|何|[?？]|$)|(期間|年数|時間|日数)(は|って|が)?(どれ|どの)(くらい|ぐらい|位)|(どれ|どの)(くらい|ぐらい|位)(の)?(期間|年数|時間)|まで(に|の)?(どれ|どの)(くらい|ぐらい|位)(かか|の期間|の時間)|how long (is|are|was|does|do|must|should)/],
  // a share (NUM:perc): 設置率, 合格率, 割合
  ['rate', /[\p{Script=Han}]率(は|って|が|を)?(どれ|どの|いくら|何|[?？]|$|教え|知り|どうなって|出て|載って|わか|分か)|割合(は|って|が|を)?(どれ|どの|いくら|何|[?？]|$|教え|知り|出て|載って|わか|分か)|何(%|％|パーセント|割)|what (percentage|share|proportion)|what('s| is) (the|its|their) [a-z ]{0,20}rate\b/u],
  ['date', /いつ(?!い|く|も|でも|か(?!ら))|何月|何日|何時|何年(?!間)|日程|日時|日付|締め?切り?|〆切|期限|(開催|実施|発行|公開|開始|受付|申込|募集|オープン|設立|発足|発売)日|次回|when (is|was|will|does|did|do|can|are|were)\b|what date|deadline/],
  // how many of them there are (自治体どのくらいある, 事業者どれくらい参加してる)
  ['count', new RegExp(`いくつ|how many|number of|(${COUNTED})(は|って|が|も)?(${HOW_MANY})(ある|いる|参加|登録|入って|集ま|あり|い)`)],
  ['names', /名簿|氏名|社名|(メンバー|委員)(企業|団体)?(は|って)?([?？]|$|誰|だれ|どなた)|(メンバー|委員|参加者|講師|登壇者|代表者?)(企業|団体)?(は|って|の|を)?(名前|一覧)|(会社|企業|団体|事業者|お店|機関)(の)?(名前|一覧|名(?!称))|どこの(会社|企業|事業者|法人|生協|メーカー|業者)|(会社|企業|事業者|法人|生協|業者|委託先|受託者|相手)(は|って|が)?(どこ|誰|だれ)(?!に|へ|で)|(委員長?|講師|登壇者|構成員|座長|アドバイザー|代表者?|担当者|発表者|説明者|パネリスト|ファシリテーター)(って|は|が)?(誰|だれ|どなた)|(た|てる|てた)の(って|は)(誰|だれ|どなた)|(誰|だれ|どなた)が(講師|委員|登壇)|who (are|were) the|which (companies|firms|organi[sz]ations)/],
];

/**
 * Which place or organisation (どこの市町村, 市町ってどこ, どこが実施, 課の名前): answered by a
 * place's or an organisation's own name, not by a person's.
 */
const ASKS_PLACE: [PlaceKind, RegExp][] = [
  ['municipality', /どこの(市町村|市区町村|市町|自治体|市|町|村|地域)|(市町村|市区町村|市町|自治体|市|町|村)(は|って|が)?(どこ|どちら)(?!に|へ|で|まで|から)|(^|[.?!]\s*)which (municipalities|towns|cities)\b/],
  ['prefecture', /どこの(県|都道府県)|(都道府県|県)(は|って|が)?(どこ|どちら)(?!に|へ|で|まで|から)|(^|[.?!]\s*)which prefectures?\b/],
  ['organisation', /どこの(団体|組織|機関|部署|課)|(団体|組織|機関|部署|担当課)(は|って|が)?(どこ|どちら)(?!に|へ|で|まで|から)|どこ(が|で)(実施|やって|担当|運営|主催|取り組|作|まとめ|受託|入って)|具体的に(は)?(どこ|どちら)|(課|部署|部局|担当課)(の)?(名前|名称)|(^|[.?!]\s*)which (organi[sz]ations?|departments?)\b/],
];

/** The kinds asked for before a counter is looked at (a contact, an amount, a length of time, a share). */
const FIRST_KINDS = 6;

/**
 * A figure asked for as a guide (委託料の目安, 何日間くらいが目安, 何社くらい…目安): 目安 alone does not
 * make it advice when the question asks for a number.
 */
const NUMBER_GUIDE = new RegExp(`何(${['%', '％', '割', '日間', 'か月', 'ヶ月', '時間', '年間', '円', '万円'].join('|')})|いくら|(費|料|額)の目安|何(${'社|人|名|件|回|団体|店舗|か所|市町村'})`);

/** Which address or number to use is a contact asked for, even when put as advice (どのメアドに送ればいい？, メールどこに送ればいい？). */
const WHICH_CONTACT = /どの(メアド|メールアドレス|アドレス|電話番号|番号|url|リンク)|(メール|電話)(は|って|を)?(どこ|どちら)(に|へ)/;

/** What a question asks for, if it asks for a fact at all (see the header). */
export function factQuestion(question: string): FactQuestion | null {
  // quoted words are mentioned, not asked with: 「企業の一覧が欲しいか」を聞く選択肢 asks about an option
  const q = normalizeForMatch(question).replace(/「[^」]*」|『[^』]*』/g, '「」');
  if (ASKS_ADVICE.test(q) && !WHICH_CONTACT.test(q) && !(NUMBER_GUIDE.test(q) && !ASKS_ADVICE.test(q.replace(/目安/g, '')))) return null;
  for (const [kind, pattern] of ASKS.slice(0, FIRST_KINDS)) if (pattern.test(q)) return { kind };
  // a counter is the most specific way to ask for a count (何社 before いつ in 「いつから何社が…」)
  const counted = COUNT_BY_COUNTER.exec(q);
  if (counted) return { kind: 'count', counter: counted[1]! };
  const english = /how many ([a-z]+)/.exec(q);
  if (english) return { kind: 'count', ...(ENGLISH_COUNTERS[english[1]!] ? { counter: ENGLISH_COUNTERS[english[1]!] } : {}) };
  for (const [kind, pattern] of ASKS.slice(FIRST_KINDS)) {
    if (!pattern.test(q)) continue;
    if (kind === 'names' && ASKS_COMPANY.test(q)) return { kind, place: 'company' };
    // what is counted, said before いくつ or どのくらい (参加自治体っていくつ, 事業者どのくらいある), is its counter
    const counted = kind === 'count' ? COUNTED_NOUN.exec(q) : null;
    return counted ? { kind, counter: COUNTED_AS[counted[1]!] ?? counted[1]! } : { kind };
  }
  const place = ASKS_PLACE.find(([, pattern]) => pattern.test(q));
  if (place) return { kind: 'names', place: place[0] };
  if (COUNT_NOUN.test(q) && /(は|って|を|が)?(\?|？|$|どれ|どの|いくつ|教え|知り|わか|分か|載)/.test(q.slice(q.search(COUNT_NOUN)))) return { kind: 'count' };
  return null;
}

/** The kind of fact a question asks for, if any. */
export function askedFact(question: string): FactKind | null {
  return factQuestion(question)?.kind ?? null;
}

/** Counters that are written in more than one way (a question's 何か所 is a text's 3カ所). */
const COUNTER_FORMS: string[][] = [
  ['か所', 'カ所', 'ヶ所', 'ケ所', '箇所'],
  ['店舗', '店'],
  ['社', '企業'],
  ['人', '名'],
  // businesses and municipalities are counted in any of their words (14社, 120事業者; 5市町村, 3自治体)
  ['事業者', '社', '企業', '店舗', '団体', '法人'],
  ['自治体', '市町村', '市区町村', '市町'],
];

/** What a text that states each kind contains. */
const STATES: Record<FactKind, RegExp> = {
  phone: /\d{2,4}[-‐ー－(（]\d{2,4}[-‐ー－)）]\d{3,4}/,
  email: /[\w.+-]+@[\w-]+\.[\w.]+/,
  url: /https?:\/\/|www\./,
  amount: /\d[\d,.]*\s*(億|千万|百万|万|千)?円|\d+\s*(億|万)円/,
  date: /(令和|平成|r)\s?\d+\s?(年|\.)|\d{4}\s?年|\d{1,2}\s?月\s?\d{1,2}\s?日|\d{1,2}\s?月(上旬|中旬|下旬|頃)?|(春|夏|秋|冬)頃|(来|今|次)年度/,
  period: /\d+\s*(か月|ヶ月|カ月|ケ月|時間|分間|週間|年間|日間|年ごと|年毎)|\d+\s*年(程度|くらい|ぐらい|ほど|かけ|以上|以内|半|後)/,
  // a percentage, 割, or a fraction as subsidy rates are written (10/10, 2分の1), not a date (2025/0501)
  rate: /\d+(\.\d+)?\s*(%|％|パーセント|割)|(?<![\d/.])\d{1,2}\s?\/\s?\d{1,2}(?![\d/])|\d+分の\d+/,
  count: /\d+\s*(社|件|人|名|か所|カ所|ヶ所|箇所|団体|店舗|店|市町村|市町|回|自治体|都道府県|カテゴリ|分野|つ)/,
  // a person's name with an honorific (not 様: 多様, 同様, 担当者様), or a name list (「大多賀 政昭（…）」), or organisations by name
  names: /[\p{Script=Han}]{1,4}\s?[\p{Script=Han}]{1,3}\s?(氏|委員|さん)(?![\p{Script=Han}])|[\p{Script=Han}]{1,4}\s[\p{Script=Han}]{1,3}\s?[（(][^）)]{2,}[）)]|株式会社|\(株\)|（株）|㈱|有限会社|協同組合/u,
};

/** A question about what comes next (次回, 今後の予定): only a stated plan answers it, not a past date. */
const ASKS_NEXT = /次回|次の|次は|次って|今度の|今後の(予定|日程)|next (meeting|session|event)/;
const STATES_PLAN = /予定|次回|見込み|秋頃|春頃|来年度|今後/;
/**
 * A date asked of an event (説明会っていつ, 研修って次はいつ) is stated only by a sentence that names
 * that kind of event: the date a programme began is not its briefing's. The event must be what the
 * date is asked of: a word of its own (ワーキングチーム is a team, whose passage need not repeat
 * its name) with the ask right after it, not context (ワーキングで出たサービスはいつから) or a
 * source (シンポジウム資料では).
 */
const EVENT_ASKED = /([\p{Script=Han}]{1,2}会|セミナー|研修|会議|シンポジウム|ワーキング|フォーラム|イベント|ピッチ|講座|アンケート|調査)(?![\p{Script=Han}\p{Script=Katakana}ー])(?=(って|は|の|が)?[、,]?[^。？?]{0,12}?(いつ|日程|日時|開催日|何月|何日|次回|次は))/gu;

/**
 * A question about the day or month something happens (NUM:date at a finer grain than the year):
 * only a sentence giving a month, a part of one or a season answers it.
 */
const ASKS_DAY = /何月|何日|月日|開催日|日程|日時|日付|what date/;
const STATES_DAY = /\d{1,2}\s?月|\d{1,2}\s?\/\s?\d{1,2}|上旬|中旬|下旬|(春|夏|秋|冬)頃|(春|夏|秋|冬)ごろ|年度(内|末|初)/;

/** A question about a charge (利用料, 参加費, タダ?): 「無料」 answers it, as it does not a budget. */
const ASKS_FEE = /(利用|参加|掲載|登録|入会|使用)料|参加費|会費|タダ|無料|有料|お金(が|は|って)?かか|\bfee\b|free of charge|\bcharge\b/;
const STATES_FREE = /無料|無償/;
/** A question about a deadline (締切, いつまで): only a stated deadline answers it, not any date. */
const ASKS_DEADLINE = /締め?切|〆切|期限|いつまで|deadline/;
const STATES_DEADLINE = /締め?切|〆切|期限|まで|年度(中|内|末)|月末|目途|めど/;
/**
 * A question about when something began (いつから, 始まった): only a stated start answers it, not any
 * date in its passage. Japanese only: an English question's thing is found less surely, and a
 * stricter check on the wrong passages would refuse a fair question.
 */
const ASKS_START = /いつから|何年から|何月から|始ま|開始|スタート|発足|設立|創設/;
const STATES_START = /から|以降|より|開始|始ま|始め|スタート|発足|設立|創設|創業|立ち上|開設|設置|導入/;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Counters counted with 〜つ (3つの段階, 8つのカテゴリ): abstract things, never shops, firms or people. */
const TSU_COUNTERS = new Set(['事例', '項目', '段階', 'パターン', 'カテゴリ', 'グループ', 'チーム', '拠点', '地域', '圏域', '問', '個']);

/**
 * The sentences and lines of a text, each normalised: a fact is stated in one of them together
 * with what qualifies it (the deadline's まで, the year asked about), not by a date in one line and
 * a まで three lines on, nor by a number at a line's end and a counter starting the next (2 / 社会).
 */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[。．])|\n/)
    // an ordinal is not a count or a date: 事例② (NFKC makes it 2), 第1回; a mark that is neither
    // a space nor a letter takes its place, so the words either side do not join into a name
    .map((x) => normalizeForMatch(x.replace(/[\u2460-\u2473\u24f5-\u24fe\u2776-\u2793]/g, '#')).replace(/第\s?\d+/g, '#'))
    .filter(Boolean);
}

/** A date that says "as of" (2025年時点, 令和7年4月1日現在): when a figure was taken, not when something happened. */
const AS_OF = /(?:(?:令和|平成|r)\s?\d+|\d{4})\s?年度?(?:\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?)?\s?(?:時点|現在)/g;

/** A year a text names: a fiscal year (令和7年度, FY2025: April 2025 to March 2026) or a calendar year. */
export interface YearMention {
  year: number;
  fiscal: boolean;
}

/**
 * The years a text names, as Western years (令和7年度, R7年, 2025年 are all 2025): a question that
 * names one asks about that year, and another year's figure does not answer it.
 */
export function yearsNamed(text: string): YearMention[] {
  const t = normalizeForMatch(text);
  const years: YearMention[] = [];
  for (const m of t.matchAll(/(令和|平成|(?<![a-z])r|(?<![a-z])h)\s?(\d{1,2}|元)\s?年(度)?/g)) {
    const n = m[2] === '元' ? 1 : Number(m[2]);
    years.push({ year: (m[1] === '平成' || m[1] === 'h' ? 1988 : 2018) + n, fiscal: Boolean(m[3]) });
  }
  for (const m of t.matchAll(/(?<!\d)((?:19|20)\d{2})\s?年(度)?/g)) years.push({ year: Number(m[1]), fiscal: Boolean(m[2]) });
  return years;
}

/** Whether two year mentions can be the same time: a fiscal year spans its calendar year and the next one's first months. */
function sameYear(a: YearMention, b: YearMention): boolean {
  if (a.fiscal === b.fiscal) return a.year === b.year;
  const [fiscal, calendar] = a.fiscal ? [a, b] : [b, a];
  return calendar.year === fiscal.year || calendar.year === fiscal.year + 1;
}

/**
 * A municipality's, a prefecture's or an organisation's own name, as a whole word (大垣市, 兵庫県,
 * 地域包括ケア課, 株式会社…): the prefix is checked against GENERIC_PLACE.
 */
const PLACE_NAMES: Record<PlaceKind, RegExp> = {
  municipality: /([\p{Script=Han}\p{Script=Katakana}ー]{1,5})(市|町|村|区)(?![\p{Script=Han}])/gu,
  prefecture: /([\p{Script=Han}]{1,3})(都|道|府|県)(?![\p{Script=Han}])/gu,
  organisation: /([\p{Script=Han}\p{Script=Katakana}ー]{3,12})(課|室)(?![\p{Script=Han}])|([\p{Script=Han}\p{Script=Katakana}ー]{2,})(協会|連合会|機構|財団|大学|研究所)|(一般|公益|社会福祉|npo|特定非営利活動)法人/giu,
  // a firm by its name (株式会社等 and 協同組合等 name none)
  company: /株式会社\s?[\p{Script=Han}\p{Script=Katakana}ーa-z]{2,}|[\p{Script=Han}\p{Script=Katakana}ーa-z]{2,}\s?株式会社|\(株\)|（株）|㈱|有限会社\s?[\p{Script=Han}\p{Script=Katakana}ー]{2,}|生活協同組合\s?[\p{Script=Katakana}\p{Script=Han}ー]{2,}|コープ[\p{Script=Katakana}\p{Script=Hiragana}ー]{2,}|[\p{Script=Han}\p{Script=Katakana}ー]{2,}生協/giu,
};
/**
 * A prefix that names no place (市町村, 都道府県, 各市, 同町, 県内市町, 事務室, 企画部局): it ends
 * with a municipality's suffix, or once 都道府県 are taken off nothing or a generic word is left.
 */
const GENERIC_PLACE = /^(|各|同|当|当該|本|全|他|両|近隣|周辺|県内|管内|地元|地方|基礎|広域|一部|全国|地域|自|担当|所管|関係|主管|事務|会議|相談|企画部?|担当課)$/;
function genericPlace(prefix: string): boolean {
  // 導入希望市|町 and 県内市|町 are more of 市町村; 訓子府|町 and 京都|市 are names
  return /[市区町村部]$/u.test(prefix) || GENERIC_PLACE.test(prefix.replace(/[都道府県]+$/u, ''));
}

/**
 * Whether a sentence names a place or organisation the question does not (the 兵庫県 a question
 * asks about is not the answer to 「兵庫県の事例に出てくる市町はどこ？」). An organisation can be a
 * municipality or a prefecture (どこが実施 → 大垣市).
 */
function namesPlace(t: string, q: string, place: PlaceKind): boolean {
  const kinds: PlaceKind[] = place === 'organisation' ? ['organisation', 'company', 'municipality', 'prefecture'] : [place];
  return kinds.some((k) =>
    [...t.matchAll(PLACE_NAMES[k])].some((m) => {
      const prefix = m[1] ?? m[3];
      // 地区, 学区 and 特区 are areas, not wards
      if (/(地|学|校|特)区$/u.test(m[0])) return false;
      return !(prefix && genericPlace(prefix)) && !q.includes(m[0]);
    }),
  );
}

/** Whether one normalised sentence states a fact of the kind, for the question's sub-kind. */
function sentenceStates(t: string, kind: FactKind, q: string, asked: FactQuestion | null): boolean {
  if (kind === 'date') {
    const dated = t.replace(AS_OF, ' ');
    if (!STATES.date.test(dated)) return false;
    // the event nearest the ask is the one asked of (説明会のあとのアンケートっていつ asks the survey's)
    const event = q.match(EVENT_ASKED)?.at(-1);
    if (event && !dated.includes(event)) return false;
    // a day asked for (開催日, 何月何日, 日程) is not given by a year alone (プログラム（R7年度）)
    if (ASKS_DAY.test(q) && !STATES_DAY.test(dated)) return false;
    if (ASKS_NEXT.test(q)) return STATES_PLAN.test(dated);
    if (ASKS_DEADLINE.test(q)) return STATES_DEADLINE.test(dated);
    if (ASKS_START.test(q)) return STATES_START.test(dated);
    return true;
  }
  if (kind === 'amount' && ASKS_FEE.test(q) && STATES_FREE.test(t)) return true;
  if (kind === 'names' && asked?.place) return namesPlace(t, q, asked.place);
  if (kind === 'count' && asked?.counter) {
    const counter = asked.counter;
    const forms = COUNTER_FORMS.find((f) => f.some((c) => counter.startsWith(c))) ?? [counter];
    // 「3つの段階」 counts abstract things only, not shops or firms (8つのカテゴリ is no number of shops)
    return new RegExp(`\\d+\\s*(${forms.map(escape).join('|')})`).test(t) || (TSU_COUNTERS.has(counter) && /\d+\s*つ/.test(t));
  }
  return STATES[kind].test(t);
}

/**
 * Whether a text states a fact of the kind, in one of its sentences (for `question`'s sub-kind: a
 * plan for 次回, a deadline for 締切, a count in its counter, the year it names). `headings` are
 * the passage's headings: a year they name dates every sentence under them that names none.
 */
export function statesFact(text: string, kind: FactKind, question = '', headings = ''): boolean {
  const q = normalizeForMatch(question);
  const asked = question ? factQuestion(question) : null;
  const years = yearsNamed(question);
  let passageYears: YearMention[] | undefined;
  // which town or prefecture a passage is about is often said only in its headings (北海道訓子府町)
  if (kind === 'names' && asked?.place && namesPlace(normalizeForMatch(headings), q, asked.place)) return true;
  return sentencesOf(text).some((t) => {
    if (!sentenceStates(t, kind, q, asked)) return false;
    if (!years.length) return true;
    // a sentence that names a year is about that year; one that names none is about the passage's
    // (an undated figure in an undated passage may be current, so it stands)
    const own = yearsNamed(t);
    const about = own.length ? own : (passageYears ??= yearsNamed(`${headings}\n${text}`));
    return !about.length || years.some((y) => about.some((x) => sameYear(x, y)));
  });
}
