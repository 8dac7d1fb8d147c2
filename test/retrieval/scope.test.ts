import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askedFact, factQuestion, statesFact, yearsNamed } from '../../src/retrieval/facts.js';
import { bestThreshold, crossValidated, fitScopeModel, type Sample } from '../../src/retrieval/calibration.js';
import { isDefinitionQuestion } from '../../src/retrieval/definitions.js';
import type { ScopeFeatures } from '../../src/retrieval/scope.js';
import { testApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

const outcome = async (q: string): Promise<string> => (await app.assistant.ask(q)).scope.kind;

// Questions written for these tests, none taken from an evaluation set.
describe('the scope decision on representative questions of each outcome', () => {
  it('answers everyday-word paraphrases of what the documents cover', async () => {
    for (const q of ['市町村の担当者と仲良くなる段取りって、どんな順番がいい？', '企業さんに声かける前に準備しとくことある？', '事例集に載せる取組、失敗したやつも入れていいの？', 'How can a shop join the Platinum Support Shop scheme?']) {
      expect(['answer', 'caveat'], q).toContain(await outcome(q));
    }
  });

  it('answers a definition from the passage the glossary links the term to, naming the full term', async () => {
    const sc = await app.assistant.ask('SCってなんのこと？');
    expect(sc.scope.kind).toBe('answer');
    expect(sc.citations[0]!.text).toContain('生活支援コーディネーター（以降、SCという）');
    const hokatsu = await app.assistant.ask('包括ってなんの略称？');
    expect(hokatsu.outOfScope).toBe(false);
    expect(hokatsu.answer.note).toContain('「包括」は「地域包括支援センター」のことです');
    expect(hokatsu.citations[0]!.text).toContain('地域包括支援センターや、SC、協議体等');
    expect((await app.assistant.ask('協議体ってどういうもの？')).citations[0]!.text).toContain('協議体');
    // the longest term the question names decides: 多様な主体リスト is not 多様な主体
    expect((await app.assistant.ask('「多様な主体」ってなんのこと？')).citations[0]!.text).toContain('広域展開企業、地域密着企業のほか');
    expect((await app.assistant.ask('多様な主体リストってなに？')).citations[0]!.text).toContain('多様な主体リストを共有し');
    // an English name of a defined term (a glossary group of its own) asks for the same definition
    const english = await app.assistant.ask('What is a community general support center?');
    expect(english.answer.note).toContain('「community general support center」は「地域包括支援センター」のことです');
    expect(english.citations[0]!.text).toContain('地域包括支援センターや、SC、協議体等');
    expect(isDefinitionQuestion('PFとは')).toBe(true);
    expect(isDefinitionQuestion('PFを作りたい')).toBe(false);
  });

  it('notices a compound term the documents never write, though its words are theirs, and not a mistyped one', async () => {
    const search = app.assistant.index.search;
    // 介護 and 保険 are the documents' words; the programme's premium is not their topic
    expect((await search.search('介護保険料の決め方を教えて', 5)).novelCompounds).toEqual(['介護保険料']);
    // 生活支援 is theirs as written: nothing novel, and a typo of a known compound is not a new term
    expect((await search.search('生活支援コーディネーターの役割は？', 5)).novelCompounds).toEqual([]);
    expect((await search.search('伴送支援って何をするの？', 5)).novelCompounds).toEqual([]);
  });

  it('refuses questions confidently about something else, in Japanese and in English', async () => {
    for (const q of ['週末の台風で庁舎は閉まる？', 'プリンターが紙詰まりしたんだけど', '育休の取り方を教えて', 'What is the weather in Tokyo tomorrow?', 'How do I reset my laptop password?']) {
      const r = await app.assistant.ask(q);
      expect(r.scope.kind, q).toBe('refuse');
      expect(r.outOfScope).toBe(true);
      expect(r.citations).toEqual([]);
    }
  });

  it('refuses a question written only in the documents\' words when the model is sure it is about another programme, and only then', async () => {
    // no foreign word and no unwritten compound: the stricter threshold for such questions decides
    const certification = await app.assistant.ask('介護認定の結果が出るまで何日？');
    expect(certification.scope.kind).toBe('refuse');
    expect(certification.citations).toEqual([]);
    // the documents' words asking what they do answer
    expect(['answer', 'caveat']).toContain(await outcome('県の担当って市町村ぜんぶ回らないとだめ？'));
  });

  it('refuses a question of a neighbouring programme written in the domain\'s own words, by a term the documents never write', async () => {
    // every word of these is the documents' (訪問, 介護, 予防, 支援, 事業所, 指定 …); the compound terms are not
    for (const q of ['介護予防支援事業所の指定を受けるには？', '訪問介護事業所の数って増えてる？']) {
      const r = await app.assistant.ask(q);
      expect(r.scope.kind, q).toBe('refuse');
      expect(r.citations).toEqual([]);
    }
    // the same kind of term as context of a question the documents answer is no reason to refuse
    for (const q of ['居宅介護支援事業所のケアマネから、企業とつながりたいって相談された。どうつなげばいい？', '訪問介護事業所にも多様な主体リストへの掲載を頼みたい']) {
      expect(['answer', 'caveat'], q).toContain(await outcome(q));
    }
  });

  it('says a fact is not stated when the passages about what the question names lack it, and shows only those passages', async () => {
    const phone = await app.assistant.ask('ツドレバの担当者の電話番号を教えて');
    expect(phone.scope).toMatchObject({ kind: 'not_stated', fact: 'phone', entity: 'ツドレバ' });
    expect(phone.outOfScope).toBe(true);
    expect(phone.answer.heading).toBe('資料には「ツドレバ」の電話番号の記載がありません');
    expect(phone.citations.length).toBeGreaterThan(0);
    // what is shown is about ツドレバ (the Okinawa case), never another programme's fact
    for (const c of phone.citations) expect(c.title).not.toContain('加速化事業');
    expect((await app.assistant.ask('プラチナ・サポート・ショップの問い合わせメールアドレスは？')).scope).toMatchObject({ kind: 'not_stated', fact: 'email' });
    expect((await app.assistant.ask('ツドレバの事務局のサイトのアドレスは？')).scope).toMatchObject({ kind: 'not_stated', fact: 'url' });
    // and answers when they state it
    const count = await app.assistant.ask('ツドレバって何社参加した？');
    expect(count.scope.kind).toBe('answer');
    expect(count.citations.map((c) => c.text).join('')).toContain('40社');
  });

  it('tells a question naming a Q&A or page the handbook lacks which ones exist, and answers one naming a real part', async () => {
    const missing = await app.assistant.ask('Q20の中身を見せて');
    expect(missing.scope).toEqual({ kind: 'refuse', missing: ['Q20'] });
    expect(missing.text).toContain('Q1〜Q13');
    expect((await app.assistant.ask('P.99はなんのページ？')).text).toContain('手引きにP.99はありません');
    expect(await outcome('ステップ2に移るタイミングの目安は？')).toBe('answer');
  });
});

describe('fact kinds', () => {
  it('recognises what kind of fact a question asks for, and whether a text states one', () => {
    expect(askedFact('事務局の電話番号は？')).toBe('phone');
    expect(askedFact('問い合わせ先のメールアドレスを教えて')).toBe('email');
    expect(askedFact('事業の予算額はいくら？')).toBe('amount');
    expect(askedFact('次回はいつ開催？')).toBe('date');
    expect(askedFact('何社参加した？')).toBe('count');
    // a length of time and a share are facts of their own (何時間 is not the date's 何時)
    expect(askedFact('研修は何時間受ければ修了？')).toBe('period');
    expect(askedFact('更新は何年ごと？')).toBe('period');
    // 何年 with a verb of lasting asks how long; with に, when
    expect(askedFact('この補助って何年使えるの？')).toBe('period');
    expect(askedFact('軌道に乗るまで何年かかった？')).toBe('period');
    expect(askedFact('その事業は何年に始まった？')).toBe('date');
    expect(askedFact('協議体の設置率ってどれくらい？')).toBe('rate');
    expect(askedFact('参加者の何割が高齢者？')).toBe('rate');
    expect(statesFact('研修は合計6時間で修了する。', 'period')).toBe(true);
    expect(statesFact('設置率は85%に達した。', 'rate')).toBe(true);
    expect(statesFact('令和7年4月に設置した。', 'rate')).toBe(false);
    expect(statesFact('【補助率】 国 10/10', 'rate')).toBe(true);
    expect(statesFact('2025/0501 付けで通知した。', 'rate')).toBe(false);
    expect(askedFact('委員の名前の一覧、名簿はある？')).toBe('names');
    expect(askedFact('協議体とは？')).toBeNull();
    expect(statesFact('電話：03-5253-1111（内線3986）', 'phone')).toBe(true);
    expect(statesFact('令和7年度当初予算案 78百万円', 'amount')).toBe(true);
    expect(statesFact('令和7年度には、40社が参加した。', 'count')).toBe(true);
    expect(statesFact('企業の参加を呼びかけた。', 'count')).toBe(false);
    // a question about the next meeting needs a stated plan, not any past date
    expect(statesFact('令和6年度に開催した。', 'date', '次回はいつ？')).toBe(false);
    expect(statesFact('第2回は秋頃の開催を予定している。', 'date', '次回はいつ？')).toBe(true);
  });

  it('reads the everyday ways of asking: interrogatives, counters, nouns that name the fact, and English', () => {
    expect(factQuestion('協議会って毎年何回開いてる？')).toEqual({ kind: 'count', counter: '回' });
    expect(factQuestion('モデル事業に手を挙げた市町村は何か所くらい？')).toEqual({ kind: 'count', counter: 'か所' });
    expect(factQuestion('登録した事業所数ってわかる？')).toEqual({ kind: 'count' });
    expect(factQuestion('How many shops have signed up so far?')).toEqual({ kind: 'count', counter: '店舗' });
    expect(askedFact('セミナーの参加費っていくら？')).toBe('amount');
    expect(askedFact('説明会の申込締切っていつまで？')).toBe('date');
    expect(askedFact('連絡したいので代表番号ある？')).toBe('phone');
    expect(askedFact("What is JRI's phone number?")).toBe('phone');
    expect(askedFact('Their e-mail address?')).toBe('email');
    // a smartphone class or a shop someone e-mailed is not a contact asked for
    expect(askedFact('Does the list include smartphone classes?')).toBeNull();
    expect(askedFact('I emailed a shop about joining our list and heard nothing. Give up?')).toBeNull();
    expect(askedFact('ワーキングのメンバー企業の一覧はある？')).toBe('names');
    // who takes part is answered by roles (企業、市町村、SC), not a list of names
    expect(askedFact('交流会の参加者は誰？')).toBeNull();
    // a page of the handbook is found by its references, not an address
    expect(askedFact('選び方のQ&Aは何ページ？')).toBeNull();
    // where a text can be read is answered by its source, not only by an address
    expect(askedFact('国の研修テキストはどこで見られる？')).toBeNull();
    // advice, manner and kinds are not facts: the documents answer them in words
    expect(askedFact('研修はいつ頃やればいい？')).toBeNull();
    expect(askedFact('予算はどうやって確保したの？')).toBeNull();
    expect(askedFact('連携先には何種類あるの？')).toBeNull();
    expect(askedFact('この資料は何を聞いてるの？')).toBeNull();
    expect(askedFact('When a company asks to join, what should the prefecture check?')).toBeNull();
    expect(askedFact('複数の町で一緒にやってもいい？')).toBeNull();
    // 何度も, 何社か say "many" and "some", they do not ask
    expect(askedFact('何度も声をかけてるのに企業が乗ってこない')).toBeNull();
    expect(askedFact('何社か紹介してもらえる？')).toBeNull();
  });

  it('reads which firm, who sits on a committee, a budget asked with どのくらい, a contact, and いつ only as the interrogative', () => {
    expect(askedFact('移動販売をやってるのはどこの会社？')).toBe('names');
    expect(askedFact('事業の委託先ってどこ？')).toBe('names');
    expect(askedFact('検討会の委員って誰だった？')).toBe('names');
    expect(askedFact('町の協議体、予算ってどれくらい？')).toBe('amount');
    expect(askedFact('県はどのくらいの予算を組んでるの？')).toBe('amount');
    expect(askedFact('委託料の金額わかる？')).toBe('amount');
    expect(askedFact('補助率ってどうなってるの？')).toBe('rate');
    expect(askedFact('作るのにどのくらいの期間かかった？')).toBe('period');
    expect(askedFact('事務局の連絡先（電話）ある？')).toBe('phone');
    expect(askedFact('担当課の連絡先わかる？')).toBe('phone');
    expect(askedFact('申込はどのメアドに送ればいい？')).toBe('email');
    expect(askedFact('紹介ページのリンクほしい')).toBe('url');
    // くらいついてる, いつも, いつでも hold いつ without asking when
    expect(askedFact('協議体には毎年どれくらいついてる？')).toBeNull();
    expect(askedFact('いつも同じ顔ぶれになる')).toBeNull();
    expect(askedFact('補助は出てるの？出てるなら金額も知りたい')).toBe('amount');
    expect(askedFact('デイを使ってる人の割合って出てる？')).toBe('rate');
    expect(askedFact('研修はどなたが講師をされているんでしょうか？')).toBe('names');
    expect(askedFact('What was the funding amount for the study?')).toBe('amount');
    expect(askedFact('Is there an email contact for the office?')).toBe('email');
    // いくら…ても says "however much"
    expect(askedFact('県がいくら声をかけても、市町村が動かないのはなぜ？')).toBeNull();
    expect(askedFact('見学はいつから受け付けてる？')).toBe('date');
    // which shop and who takes part are answered by names or roles the documents give in words
    expect(askedFact('スローレジってどこのお店の取組？')).toBeNull();
    expect(askedFact('研修の参加者って誰？')).toBeNull();
  });

  it('answers when something began only with a stated start, and a charge with 無料 as well as a price', () => {
    expect(statesFact('令和7年度には、40社が参加した。', 'date', 'その仕組みはいつから始まった？')).toBe(false);
    expect(statesFact('令和7年度より民間事業者と連携して事業を進めている。', 'date', 'いつから始まった？')).toBe(true);
    expect(statesFact('令和5年度に立ち上げた。', 'date', 'いつから始まった？')).toBe(true);
    expect(statesFact('地域の集いの場として無料で開放している。', 'amount', '利用料はいくら？')).toBe(true);
    // a briefing's date is stated only where the briefing is named; a team's passage need not repeat its name
    expect(statesFact('令和6年度に事業を開始した。', 'date', '説明会っていつ開催された？')).toBe(false);
    expect(statesFact('令和6年10月に説明会を開催した。', 'date', '説明会っていつ開催された？')).toBe(true);
    expect(statesFact('令和7年度より民間事業者と連携している。', 'date', 'ワーキングチームっていつから？')).toBe(true);
    expect(statesFact('令和7年度より民間事業者と連携している。', 'date', 'シンポジウム資料では、いつからとされている？')).toBe(true);
    expect(statesFact('令和6年度に開催した。', 'date', '研修って、次はいつやるの？')).toBe(false);
    // 多様, 同様 and 担当者様 are no names
    expect(statesFact('市町村同様、取組地域 多様な主体と連携する。', 'names', '委員は誰？')).toBe(false);
    expect(statesFact('山際 淳 氏（生活協同組合）', 'names', '委員は誰？')).toBe(true);
    // free use says nothing of a budget
    expect(statesFact('地域の集いの場として無料で開放している。', 'amount', '年間の予算はいくら？')).toBe(false);
  });

  it('answers a deadline only with a stated deadline, and a cost that is paid, not an amount', () => {
    expect(statesFact('令和7年4月に開始した。', 'date', '申込の締切はいつまで？')).toBe(false);
    expect(statesFact('申込は令和7年6月30日まで受け付ける。', 'date', '申込の締切はいつまで？')).toBe(true);
    expect(askedFact('協議会のメンバーは？')).toBe('names');
    expect(askedFact('運営費を基金で出せる根拠は？')).toBeNull();
    expect(askedFact('Which fund can cover the cost of the platform?')).toBeNull();
    expect(askedFact('What is the annual budget of the project?')).toBe('amount');
  });

  it('finds the fact in one sentence, with what qualifies it, and takes no ordinal or "as of" date for a fact', () => {
    // an ordinal is not a count: 事例② and 第1回 count nothing
    expect(statesFact('事例② 企業と市町村の情報交換会', 'count', '何社が参加した？')).toBe(false);
    expect(statesFact('第1回オンラインシンポジウムを開催した。', 'count', '何回開いた？')).toBe(false);
    expect(statesFact('シンポジウムを2回開催した。', 'count', '何回開いた？')).toBe(true);
    // 「2025年時点」 says when a figure was taken, not when something opened
    expect(statesFact('全国約450店舗に設置されている(2025年時点)。', 'date', 'いつ始まった？')).toBe(false);
    expect(statesFact('2019年に1号店を開設した。', 'date', 'いつ始まった？')).toBe(true);
    // a date and a まで three lines apart state no deadline
    expect(statesFact('令和7年4月に受付を開始した。\n説明\n会場\n当日まで準備を進める。', 'date', '申込の締切はいつまで？')).toBe(false);
    // a number at a line's end and 社 starting the next (社会) are no count of firms
    expect(statesFact('参加者は2\n社会福祉協議会の職員が中心だった。', 'count', '何社が参加した？')).toBe(false);
    // 〜つ counts abstract things, not shops
    expect(statesFact('8つのカテゴリがある。', 'count', '何店舗が登録してる？')).toBe(false);
    expect(statesFact('8つのカテゴリがある。', 'count', '何カテゴリある？')).toBe(true);
  });

  it('answers a question about one year only with that year\'s figure, in any way of writing the year', () => {
    expect(yearsNamed('令和7年度・R6年・2024年・平成元年')).toEqual([
      { year: 2025, fiscal: true },
      { year: 2024, fiscal: false },
      { year: 1989, fiscal: false },
      { year: 2024, fiscal: false },
    ]);
    // a fiscal year runs into the next calendar year: 令和7年度 includes February 2026, not 令和8年度
    expect(statesFact('座談会は2026年2月3日に実施した。', 'date', '令和7年度の座談会はいつだった？')).toBe(true);
    expect(statesFact('令和8年度当初予算案 80百万円', 'amount', '令和7年度の予算はいくら？')).toBe(false);
    expect(statesFact('令和7年度当初予算案 78百万円', 'amount', '令和9年度の予算はいくら？')).toBe(false);
    expect(statesFact('令和7年度当初予算案 78百万円', 'amount', 'R7年度の予算はいくら？')).toBe(true);
    expect(statesFact('令和7年度当初予算案 78百万円', 'amount', '2025年度の予算はいくら？')).toBe(true);
    // a sentence that names no year is dated by its passage's headings
    expect(statesFact('当初予算 5千万円', 'amount', '令和9年度の予算は？', '令和7年度の事業')).toBe(false);
    expect(statesFact('当初予算 5千万円', 'amount', '令和7年度の予算は？', '令和7年度の事業')).toBe(true);
    // an undated figure in an undated passage stands
    expect(statesFact('当初予算 5千万円', 'amount', '令和9年度の予算は？')).toBe(true);
  });

  it('reads quoted words as mentioned, not as the question\'s own ask', () => {
    expect(askedFact('「協力企業の一覧がほしい」という声にどう応える？')).toBeNull();
    expect(askedFact('協力企業の一覧がほしい')).toBe('names');
  });

  it('reads which town, prefecture or organisation, and answers it only with a place or body the question does not name', () => {
    expect(factQuestion('この取組ってどこの市町村でやってるの？')).toEqual({ kind: 'names', place: 'municipality' });
    expect(factQuestion('その調査ってどこが実施したんですか')).toEqual({ kind: 'names', place: 'organisation' });
    expect(factQuestion('担当してる課の名前わかる？')).toEqual({ kind: 'names', place: 'organisation' });
    // which city hall sections, or which cities to support first, ask nothing of the kind
    expect(factQuestion('Which handbook chapter helps decide which cities to support first?')).toBeNull();
    expect(statesFact('岐阜県大垣市と連携して試行した。', 'names', 'この取組ってどこの市町村でやってるの？')).toBe(true);
    // 市町村, 各市町 and 県内市町 name no town, and the prefecture the question names is not the answer
    expect(statesFact('各市町村と県内市町の担当者が参加した。', 'names', 'どこの市町村が参加したの？')).toBe(false);
    expect(statesFact('複数地区での立ち上げ経緯を紹介する。', 'names', 'どこの市町村が参加したの？')).toBe(false);
    expect(statesFact('兵庫県が事例集を作成した。', 'names', '兵庫県の事例集に出てくる自治体ってどこ？')).toBe(false);
    // a case's town may be named only in its headings (訓子府|町 is a name, 府 and all)
    expect(statesFact('町の職員が集まって話し合った。', 'names', 'これってどこの町の話？', '北海道訓子府町')).toBe(true);
    expect(statesFact('主催は埼玉県地域包括ケア課。', 'names', '主催してるのは県のどこの課？')).toBe(true);
    expect(statesFact('県の事務局が調整した。', 'names', '主催してるのは県のどこの課？')).toBe(false);
    // which firm: a firm's own name answers, not 株式会社等, a person or a town
    expect(factQuestion('運営ってどこの会社に頼んでるの？')).toEqual({ kind: 'names', place: 'company' });
    expect(statesFact('民間企業、NPO法人、協同組合等の担当者が集まった。', 'names', '運営ってどこの会社に頼んでるの？')).toBe(false);
    expect(statesFact('▶ 又吉賢一氏', 'names', '運営ってどこの会社に頼んでるの？')).toBe(false);
    expect(statesFact('運営は株式会社日本総合研究所が担う。', 'names', '運営ってどこの会社に頼んでるの？')).toBe(true);
  });

  it('reads a fee, money, a length of time, a contact, a person and a number of bodies asked in everyday words', () => {
    expect(askedFact('あの冊子を作るのにお金どれくらいかかった？')).toBe('amount');
    expect(askedFact('名簿への掲載料ってかかる？')).toBe('amount');
    expect(askedFact('1回の発表時間ってどれくらい？')).toBe('period');
    expect(askedFact('事務局にはメールどこに送ればいい？')).toBe('email');
    expect(askedFact('その団体の連絡先ってのってる？')).toBe('phone');
    expect(askedFact('派遣されたアドバイザーって誰？')).toBe('names');
    expect(askedFact('当日説明したのって誰？')).toBe('names');
    // who does a task is a role the documents give in words
    expect(askedFact('候補を洗い出すのは誰？')).toBeNull();
    expect(factQuestion('協定を結んだ企業ってどれくらいあるの？')).toEqual({ kind: 'count', counter: '社' });
    expect(askedFact('事務局の電話って何番？')).toBe('phone');
    expect(askedFact('相談窓口の電話わかる？')).toBe('phone');
    expect(askedFact('その会のメールどこ？')).toBe('email');
    expect(factQuestion('一緒にやった隣の町ってどこ？')).toEqual({ kind: 'names', place: 'municipality' });
    expect(askedFact('開店までどれくらいかかったの')).toBe('period');
    expect(factQuestion('何地区で始めたの？')).toEqual({ kind: 'count', counter: '地区' });
    expect(askedFact('その窓口に電話したい')).toBe('phone');
    expect(askedFact('事務局の問い合わせメールある？')).toBe('email');
    expect(factQuestion('参加してる団体って具体的にどこ？')).toEqual({ kind: 'names', place: 'organisation' });
    // a figure asked for as a guide is still a figure; a guide alone is advice
    expect(askedFact('講座の委託料の目安って載ってる？')).toBe('amount');
    expect(askedFact('研修は何日間くらいが目安？')).toBe('period');
    expect(askedFact('声かけの目安ってある？')).toBeNull();
    // what is counted before いくつ is the counter, in any of its words
    expect(factQuestion('その調査の参加自治体っていくつあった？')).toEqual({ kind: 'count', counter: '自治体' });
    expect(statesFact('5市町村が参加した。', 'count', 'その調査の参加自治体っていくつあった？')).toBe(true);
    expect(statesFact('説明会を3回開いた。', 'count', 'その調査の参加自治体っていくつあった？')).toBe(false);
    expect(askedFact('この活動、もう何年くらい続いてる？')).toBe('period');
    expect(statesFact('令和7年10月に説明会を開いた。', 'date', '説明会のあとのアンケートっていつやった？')).toBe(false);
    // 3年かけて is a length of time as much as 3年間
    expect(statesFact('立ち上げまでに3年かけて準備した。', 'period', '準備期間はどれくらい？')).toBe(true);
  });

  it('answers a day asked for only with a month or a season, and an event\'s date only where the event is named', () => {
    expect(statesFact('プログラム（R7年度）', 'date', 'R7年度の開催日っていつ？')).toBe(false);
    expect(statesFact('令和7年10月15日に開催した。', 'date', 'R7年度の開催日っていつ？')).toBe(true);
    expect(statesFact('令和7年度は秋頃に開催予定。', 'date', '日程ってもう決まってる？')).toBe(true);
    // any 〜会 is an event the date must be said of
    expect(statesFact('令和7年10月に研修を実施した。', 'date', '交換会の開催日はいつ？')).toBe(false);
    expect(statesFact('令和7年10月に交換会を開いた。', 'date', '交換会は何月何日だった？')).toBe(true);
  });

  it('counts a count only in the counter the question asks in', () => {
    expect(statesFact('登録は120店舗にのぼる。', 'count', '何店舗が登録してる？')).toBe(true);
    expect(statesFact('市内3カ所で実施した。', 'count', '何か所でやった？')).toBe(true);
    // 「3回」 is not a number of shops
    expect(statesFact('説明会を3回開いた。', 'count', '何店舗が登録してる？')).toBe(false);
  });
});

describe('not stated, on the names the documents write', () => {
  it('finds the thing in a compound with okurigana, and says the documents lack the fact asked for', async () => {
    const next = await app.assistant.ask('気づきワーキングの次の回はいつやるの？');
    expect(next.scope).toMatchObject({ kind: 'not_stated', fact: 'date', entity: '気づきワーキング' });
    const members = await app.assistant.ask('買い物支援ワーキングチームのメンバーの名前を知りたい');
    expect(members.scope).toMatchObject({ kind: 'not_stated', fact: 'names', entity: '買い物支援ワーキングチーム' });
  });

  it('says a town\'s or a firm\'s name is missing in those words, not as a person\'s name', async () => {
    const towns = await app.assistant.ask('気づきワーキングにはどこの市町村が来てたの？');
    expect(towns.scope).toMatchObject({ kind: 'not_stated', fact: 'names', place: 'municipality', entity: '気づきワーキング' });
    expect(towns.answer.heading).toBe('資料には「気づきワーキング」の市町村名の記載がありません');
    const firms = await app.assistant.ask('買い物支援ワーキングチームってどこの会社が入ってるの？');
    expect(firms.answer.heading).toBe('資料には「買い物支援ワーキングチーム」の会社名の記載がありません');
  });

  it('stands the best passages in for an unnamed office when a contact is asked for, and answers when one of them gives it', async () => {
    expect((await app.assistant.ask('事業の担当窓口にメールしたい。アドレスは？')).scope).toMatchObject({ kind: 'not_stated', fact: 'email' });
    // 問い合(わせ) is a piece of a word, not a thing the documents name
    expect((await app.assistant.ask('Vol.1387の問い合わせ先の電話番号は？')).scope.kind).not.toBe('not_stated');
    const stated = await app.assistant.ask('通知Vol.1387について厚生労働省の担当係に電話したい。番号は？');
    expect(stated.scope.kind).not.toBe('not_stated');
    expect(stated.citations.map((c) => c.text).join('')).toContain('03-5253-1111');
  });

  it('gives a named organisation\'s contact only when it is its own, not the ministry\'s at the foot of a notice that mentions it', async () => {
    const phone = await app.assistant.ask('全国コープ福祉事業連帯機構に電話で相談したいです。電話番号を教えて');
    expect(phone.scope).toMatchObject({ kind: 'not_stated', fact: 'phone', entity: '全国コープ福祉事業連帯機構' });
    expect(phone.answer.heading).toBe('資料には「全国コープ福祉事業連帯機構」の電話番号の記載がありません');
    // its URL is written right under its name in the references
    expect((await app.assistant.ask('全国コープ福祉事業連帯機構の資料のURLは？')).scope.kind).not.toBe('not_stated');
  });

  it('says so for a length of time and a share as well, and answers a subsidy rate the documents give', async () => {
    expect((await app.assistant.ask('気づきワーキングって1回あたり何時間くらいやってるの？')).scope).toMatchObject({ kind: 'not_stated', fact: 'period', entity: '気づきワーキング' });
    expect((await app.assistant.ask('ツドレバに参加してる市町村の割合ってどれくらい？')).scope).toMatchObject({ kind: 'not_stated', fact: 'rate', entity: 'ツドレバ' });
    // 補助率 is a share (国 10/10), not an amount of money
    expect(askedFact('加速化事業って国の補助率どのくらい？')).toBe('rate');
    expect((await app.assistant.ask('加速化事業って国の補助率どのくらい？')).scope.kind).not.toBe('not_stated');
  });

  it('says a figure of another year is not the one asked for', async () => {
    const other = await app.assistant.ask('令和9年度の地域づくり加速化事業の予算っていくら？');
    expect(other.scope).toMatchObject({ kind: 'not_stated', fact: 'amount' });
    expect(other.outOfScope).toBe(true);
    expect((await app.assistant.ask('2025年度の地域づくり加速化事業の予算は？')).scope.kind).not.toBe('not_stated');
  });

  it('says so for a count and an amount too, finding a name written in kana and kanji', async () => {
    expect((await app.assistant.ask('うえたん号って今何台あるの？')).scope).toMatchObject({ kind: 'not_stated', fact: 'count', entity: 'うえたん号' });
    expect((await app.assistant.ask('ウエルカフェの設置費用はいくら？')).scope).toMatchObject({ kind: 'not_stated', fact: 'amount', entity: 'ウエルカフェ' });
    // its use is free, which the documents do say: 無料 answers a charge
    const fee = await app.assistant.ask('ウエルカフェの利用料金はいくら？');
    expect(fee.scope.kind).toBe('answer');
    expect(fee.citations.map((c) => c.text).join('\n')).toContain('無料');
  });

  it('takes a long compound the documents merely write for the thing asked about, and checks the best passages too', async () => {
    // ガバメントピッチ names no heading, case or glossary term, but the documents write it
    expect((await app.assistant.ask('ガバメントピッチって毎年何回やってるの？')).scope).toMatchObject({ kind: 'not_stated', fact: 'count', entity: 'ガバメントピッチ' });
    // the manual's deadline is told where the documents spell its name out (令和6年度中に…整備)
    expect((await app.assistant.ask('都道府県向けのPF構築マニュアル、国はいつまでに作るって言ってた？')).scope.kind).not.toBe('not_stated');
    expect(statesFact('国において令和6年度中にマニュアルを整備する。', 'date', 'いつまでに整備する？')).toBe(true);
  });

  it('takes a name the question quotes as the thing asked about, when the documents write it', async () => {
    // マップ情報 names no heading, case or glossary term; quoted, it is what the count is asked of
    const quoted = await app.assistant.ask('「マップ情報」って何件載ってる？');
    expect(quoted.scope).toMatchObject({ kind: 'not_stated', fact: 'count', entity: 'マップ情報' });
    expect(quoted.citations[0]!.text).toContain('マップ情報');
  });

  it('finds the contact of an organisation asked by its abbreviation (日本総研 for 株式会社日本総合研究所)', async () => {
    const url = await app.assistant.ask('日本総研のウェブサイトのURLってわかる？');
    expect(url.outOfScope).toBe(false);
    expect(url.citations.map((c) => c.text).join('\n')).toContain('日本総合研究所');
  });

  it('names the thing in the documents\' words when the question is in English', async () => {
    const r = await app.assistant.ask('Is there a phone number for the Tsudoreba office?');
    expect(r.scope).toMatchObject({ kind: 'not_stated', fact: 'phone', entity: 'ツドレバ' });
    expect(r.answer.heading).toBe('資料には「ツドレバ」の電話番号の記載がありません');
  });

  it('says a fact is not stated when what it is asked of is a term no document writes, and says so in those words', async () => {
    const fee = await app.assistant.ask('介護予防ケアマネジメント費は1件いくら？');
    expect(fee.scope).toMatchObject({ kind: 'not_stated', fact: 'amount', entity: '介護予防ケアマネジメント費', unwritten: true });
    expect(fee.outOfScope).toBe(true);
    expect(fee.answer.heading).toBe('資料には「介護予防ケアマネジメント費」の記載がありません');
    expect(fee.answer.note).toContain('という言葉が出てこない');
    expect(fee.citations).toEqual([]);
    expect((await app.assistant.ask('地域密着型サービスの指定更新はいつまで？')).scope).toMatchObject({ kind: 'not_stated', fact: 'date', entity: '指定更新', unwritten: true });
  });

  it('reads the fact as asked of the sentence that asks it, not of the context around it', async () => {
    // the partner named in the first sentence is context: the amount is asked of the start-up costs
    // (the documents say nothing of subsidies, so a refusal is fair too: what must not happen is an
    // answer that the partner's amount is not stated, as if the question were about the partner)
    const costs = await app.assistant.ask('グループホームの法人と組みたい。立ち上げの事業費って補助ある？');
    expect(costs.scope.kind === 'not_stated' ? costs.scope.entity : '').not.toContain('グループホーム');
    // a sentence that names nothing of its own asks about what the question named before it
    const phone = await app.assistant.ask('ツドレバの件です。電話番号は？');
    expect(phone.scope).toMatchObject({ kind: 'not_stated', fact: 'phone', entity: 'ツドレバ' });
  });

  it('does not take a compound the documents write in other words for an unwritten term', async () => {
    // 企業 + 連携 + 事例 are written together in a passage: a paraphrase, not another topic
    expect(['answer', 'caveat']).toContain(await outcome('企業連携事例って何件載ってる？'));
  });

  it('does not take advice about timing or a question about kinds for a missing fact', async () => {
    for (const q of ['情報交換会はいつ頃開けばいい？', 'プラチナ・サポート・ショップにはどんな種類のお店が何種類ある？']) {
      expect(['answer', 'caveat'], q).toContain(await outcome(q));
    }
  });
});

describe('calibration', () => {
  const f = (v: number): ScopeFeatures => ({ foreignShare: v, anyForeign: v > 0 ? 1 : 0, variantMatch: 1 - v, textMatch: 1 - v, nounCoverage: 1 - v, variantStrength: 2 * (1 - v), textStrength: 2 * (1 - v), knownNouns: Math.round(3 * (1 - v)), domainNouns: 1, foreignNouns: v > 0 ? 1 : 0, novelCompound: v > 0.3 ? 1 : 0, unwrittenTerm: v > 0.3 ? 1 : 0, nearAnswerable: 1 - v, nearUnanswerable: v, nearVote: v, wording: 4 * v - 2 });
  // answerable questions outnumber the others, as in real use; a few overlap
  const samples: Sample[] = [
    ...Array.from({ length: 60 }, (_, i) => ({ features: f((i % 10) / 20), outOfScope: false })),
    ...Array.from({ length: 15 }, (_, i) => ({ features: f(0.4 + (i % 10) / 20), outOfScope: true })),
  ];

  it('reports cross-validated figures and places the refusal threshold above the caveat band', () => {
    const model = fitScopeModel(samples);
    expect(model.fit.samples).toEqual({ inScope: 60, outOfScope: 15 });
    expect(model.fit.folds).toBe(5);
    expect(model.refuseAt).toBeGreaterThanOrEqual(model.caveatAt);
    expect(model.refuseBareAt).toBeGreaterThanOrEqual(0);
    expect(model.refuseBareAt).toBeLessThanOrEqual(1);
    expect(model.fit.refusalRecall).toBeGreaterThan(0.5);
    expect(model.fit.falseRefusalRate).toBeLessThan(0.1);
  });

  it('chooses a higher threshold when a false refusal costs more', () => {
    const oof = crossValidated(samples);
    expect(bestThreshold(samples, oof, 20)).toBeGreaterThanOrEqual(bestThreshold(samples, oof, 1));
  });

  it('the shipped model was fitted on the calibration questions with answerable ones outnumbering the others', () => {
    const fit = app.assistant.index.scope.fit;
    expect(fit.samples.inScope).toBeGreaterThan(2 * fit.samples.outOfScope);
    expect(fit.falseRefusalRate).toBeLessThanOrEqual(0.02);
  });
});
