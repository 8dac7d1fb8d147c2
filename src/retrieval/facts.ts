/**
 * "Not stated": a question that asks for a specific kind of fact (a phone number, an amount, a
 * date, a count, a list of names, a URL, an e-mail address) about something the documents name,
 * when the passages about that thing contain no such fact. The documents name many programmes
 * and places without giving their budgets or contacts; quoting the nearest amount (another
 * programme's budget) would be a wrong answer, so the bot says the fact is not in the documents
 * and shows what they do say about the thing.
 *
 * The kinds are the classic answer types of question answering, recognised by what the question
 * asks (何番, いくら, いつ, 何社 …) and what a text states (digits in a phone pattern, 円, 年月 …).
 */
import { normalizeForMatch } from '../knowledge/normalize.js';

export const FACT_KINDS = ['phone', 'email', 'url', 'amount', 'date', 'count', 'names'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** How a question asks for each kind (checked in this order: the first that matches wins). */
const ASKS: [FactKind, RegExp][] = [
  ['phone', /電話番号|電話は|連絡先の番号|何番|tel\b|phone/],
  ['email', /メールアドレス|メアド|e-?mail|mail address/],
  ['url', /\burl\b|リンク先|(サイト|ページ)の?アドレス|どこで(見|読)(られ|れ)|(web ?site|homepage|page) (address|url|link)|link to/],
  ['amount', /いくら|予算(額|は|って|規模)|金額|費用は|単価|補助額|補助率|何円|何万円|how much|budget|cost/],
  ['date', /いつ(開催|やる|ある|から|まで|頃)|次回|日程|何月何日|開催日|締め?切り|期限|when (is|was|will|does|did)|what date|deadline/],
  ['count', /何社|何件|何人|何名|何か所|何カ所|何ヶ所|何団体|何店|何市町村|何回|いくつ|how many|人数|件数|社数/],
  ['names', /メンバーの?名前|名簿|氏名|誰が(参加|出席|委員)|委員は誰|委員の名前|who (are|were) the (members|participants)/],
];

/** What a text that states each kind contains. */
const STATES: Record<FactKind, RegExp> = {
  phone: /\d{2,4}[-‐ー－(（]\d{2,4}[-‐ー－)）]\d{3,4}/,
  email: /[\w.+-]+@[\w-]+\.[\w.]+/,
  url: /https?:\/\/|www\./,
  amount: /\d[\d,.]*\s*(億|万|千|百万)?円|\d+\s*(億|万)円/,
  date: /(令和|平成|r)\s?\d+\s?(年|\.)|\d{4}\s?年|\d{1,2}\s?月\s?\d{1,2}\s?日|\d{1,2}\s?月(上旬|中旬|下旬|頃)?|(春|夏|秋|冬)頃|(来|今|次)年度/,
  count: /\d+\s*(社|件|人|名|か所|カ所|ヶ所|箇所|団体|店舗|店|市町村|市町|回|自治体|都道府県|カテゴリ|分野|つ)/,
  names: /[\p{Script=Han}]{1,4}\s?[\p{Script=Han}]{1,3}\s?(氏|委員|さん|様)(?![\p{Script=Han}])|[\p{Script=Han}]{1,4}\s[\p{Script=Han}]{1,3}\s?[（(][^）)]{2,}[）)]/u,
};

/** The kind of fact a question asks for, if any. */
export function askedFact(question: string): FactKind | null {
  const q = normalizeForMatch(question);
  for (const [kind, pattern] of ASKS) if (pattern.test(q)) return kind;
  return null;
}

/** A question about what comes next (次回, 今後の予定): only a stated plan answers it, not a past date. */
const ASKS_NEXT = /次回|次の(開催|会|集まり)|今度の|今後の(予定|日程)|next (meeting|session|event)/;
const STATES_PLAN = /予定|次回|見込み|秋頃|春頃|来年度|今後/;

/** Whether a text states a fact of the kind (for `question`'s sub-kind, e.g. a plan for 次回). */
export function statesFact(text: string, kind: FactKind, question = ''): boolean {
  const t = normalizeForMatch(text);
  if (kind === 'date' && ASKS_NEXT.test(normalizeForMatch(question))) return STATES[kind].test(t) && STATES_PLAN.test(t);
  return STATES[kind].test(t);
}
