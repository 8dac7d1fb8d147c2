/**
 * The checklist a prefecture owns (issue 21): the 図6 example file reproduces the built-in
 * checklist exactly; a custom file (items added, removed, reordered, every question kind) works end
 * to end on the terminal; answers under two definition versions are summarised and exported with
 * their version and 「未質問」; a flow in progress across a definition change continues on the new
 * one with the answers that still apply; the admin's preview stores nothing; broken files name
 * their error; a database from before definitions keeps every answer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify as yaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitionFile, templateDefinition } from '../../src/checklist/definition/load.js';
import { ChecklistDefinitions } from '../../src/checklist/definition/registry.js';
import { ChecklistStore } from '../../src/checklist/repository.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { KnowledgeError } from '../../src/knowledge/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { createRepositories } from '../../src/services.js';
import { openDatabase } from '../../src/store/db.js';
import { MunicipalityStore } from '../../src/store/municipalities.js';
import { testApp, tempDir, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';
import { Conversation } from '../helpers/terminal.js';

const ZU6 = join(PROJECT_ROOT, 'knowledge', 'checklist', 'zu6.json');
const ZU6_YAML = join(PROJECT_ROOT, 'knowledge', 'checklist', 'zu6.yaml');
const CUSTOM = join(PROJECT_ROOT, 'test', 'fixtures', 'checklist', 'custom.json');
const kb = loadKnowledge({ dir: join(PROJECT_ROOT, 'knowledge') });

/** The error a broken definition gives, as file › item: reason. */
function brokenError(name: string, content: string): KnowledgeError {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  try {
    loadDefinitionFile(path, kb);
  } catch (error) {
    if (error instanceof KnowledgeError) return error;
    throw error;
  }
  throw new Error('no error');
}

const custom = (edit: (d: Record<string, unknown> & { questions: Record<string, unknown>[]; stages: Record<string, unknown>[] }) => void): string => {
  const d = JSON.parse(JSON.stringify(loadDefinitionFile(CUSTOM, kb))) as Record<string, unknown> & { questions: Record<string, unknown>[]; stages: Record<string, unknown>[] };
  edit(d);
  return JSON.stringify(d);
};

describe('checklist definition files', () => {
  it('the 図6 example file is exactly the built-in checklist', () => {
    const example = loadDefinitionFile(ZU6, kb);
    expect(example).toEqual(templateDefinition(kb.checklist));
    expect(example.version).toBe('図6');
    expect(example.questions.map((q) => q.kind)).toEqual(['yesno-chain', 'text', 'multiple', 'multiple']);
  });

  it('names the file, the item and the reason of a broken definition', () => {
    let e = brokenError('broken.json', '{ "title": "x", ');
    expect([e.file, e.record]).toEqual(['broken.json', 'file']);
    expect(e.reason).toContain('JSON として読めません');
    e = brokenError('kind.json', custom((d) => { d.questions[2]!.kind = 'date'; }));
    expect(e.file).toBe('kind.json');
    expect(e.record).toMatch(/^questions\[2\]/);
    expect(e.reason).toMatch(/kind/);
    e = brokenError('when.json', custom((d) => { d.stages[1]!.when = 'q1c=no'; }));
    expect(e.message).toBe('when.json › stages[1] (no-council): when「q1c=no」はどの質問の回答も指していません（はい/いいえの質問なら yes か no、選択肢なら選択肢の id）');
    e = brokenError('function.json', custom((d) => { (d.questions[1]!.options as { function?: string }[])[0]!.function = 'shopping'; }));
    expect(e.record).toBe('questions[1] (q4).options (provider-list)');
    expect(e.reason).toContain('function「shopping」は6つの機能');
    e = brokenError('dup.json', custom((d) => { d.questions[3]!.id = 'sc'; }));
    expect(e.reason).toBe('id「sc」が重複しています');
    e = brokenError('askif.json', custom((d) => { d.questions[4]!.askIf = { anyNo: 'council' }; }));
    expect(e.reason).toContain('askIf.anyNo「council」');
    e = brokenError('extra.json', custom((d) => { d.questions[0]!.colour = 'red'; }));
    expect(e.record).toBe('questions[0]');
    expect(e.reason).toContain('知らない項目');
  });

  it('the YAML example file is the same definition as the JSON one, 図6 exactly', () => {
    const fromYaml = loadDefinitionFile(ZU6_YAML, kb);
    expect(fromYaml).toEqual(loadDefinitionFile(ZU6, kb));
    expect(fromYaml).toEqual(templateDefinition(kb.checklist));
    // YAML 1.2: option ids such as "no-support" and values such as yes/no in `when` stay text
    expect(fromYaml.stages.map((st) => st.when)).toEqual(['q1a=no', 'q1b=no', 'q1c=no', 'q1c=yes']);
  });

  it('names the file, the line and the reason of a broken YAML file, in Japanese', () => {
    // the custom fixture written as YAML, then broken in one place; the expected line is found in the text itself
    const text = yaml(JSON.parse(JSON.stringify(loadDefinitionFile(CUSTOM, kb))) as unknown, { lineWidth: 0 });
    const lineOf = (t: string, needle: string): number => t.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const syntax = [
      [text.replace(/\n {4}label: 問1\n/, '\n\t\tlabel: 問1\n'), '\tlabel: 問1', 'インデントにタブが使われています（半角の空白にしてください）'],
      [text.replace('title: 現状\n', 'title: 現状\n    title: 現状その2\n'), '現状その2', '同じ項目名が2回書かれています'],
      [text.replace('prompt: 市町村の現状についてお答えください。', 'prompt: "市町村の現状について'), 'prompt: "市町村の現状について', 'この行で始まる引用符（" または \'）が閉じられていません'],
      [text.replace('prompt: 市町村の現状についてお答えください。', 'prompt: @現状'), 'prompt: @現状', '値が「@」や「`」などの記号で始まっています（"…" で囲んでください）'],
    ] as const;
    for (const [broken, at, reason] of syntax) {
      const e = brokenError('mine.yaml', broken);
      expect(e.file).toBe('mine.yaml');
      expect(e.reason).toBe(`YAML として読めません。${reason}`);
      expect(e.record).toBe(`${lineOf(broken, at)}行目`);
      expect(e.message).not.toMatch(/[A-Za-z]{4,} [a-z]{3,}/);
    }
    // the schema (zod) and the checks after it name the item and its exact line
    let broken = text.replace('label: 問1\n', 'label: 問1\n    colour: red\n');
    let e = brokenError('mine.yaml', broken);
    expect(e.record).toBe(`questions[0]（${lineOf(broken, 'colour: red')}行目）`);
    expect(e.reason).toContain('知らない項目');
    broken = text.replace('when: q1b=no', 'when: q1c=no');
    e = brokenError('mine.yaml', broken);
    expect(e.message).toBe(`mine.yaml › stages[1] (no-council)（${lineOf(broken, 'when: q1c=no')}行目）: when「q1c=no」はどの質問の回答も指していません（はい/いいえの質問なら yes か no、選択肢なら選択肢の id）`);
    broken = text.replace('function: provider-list', 'function: shopping');
    e = brokenError('mine.yml', broken);
    expect(e.record).toBe(`questions[1] (q4).options (provider-list)（${lineOf(broken, 'function: shopping')}行目）`);
  });

  it('refuses to start on a broken CHECKLIST_FILE, naming it', () => {
    const path = join(tempDir(), 'mine.json');
    writeFileSync(path, custom((d) => { d.stages[0]!.when = 'nothing=no'; }));
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir, CHECKLIST_FILE: path }, dir);
    const db = openDatabase(join(dir, 'x.sqlite'));
    expect(() => createRepositories(config, kb, db)).toThrow('mine.json › stages[0] (no-awareness): when「nothing=no」');
    db.close();
  });

  it('keeps every answer when a database from before definitions is migrated, as answers under 図6', () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = openDatabase(path, { targetVersion: 4 });
    new MunicipalityStore(old).syncList([{ name: '行田市', reading: 'ぎょうだし' }, { name: '熊谷市', reading: 'くまがやし' }]);
    const rows = [
      ['行田市', 1, { q1: { q1a: 'no' }, q2: '課題を整理できていない', q3: { options: ['other'], other: '人手' }, q4: { options: ['training'] } }],
      ['行田市', 2, { q1: { q1a: 'yes', q1b: 'yes', q1c: 'yes' }, q3: { options: [] }, q4: { options: ['no-support'] } }],
      ['熊谷市', 1, { q1: { q1a: 'yes', q1b: 'no' }, q2: '仕組みがない', q3: { options: ['no-ideas'] }, q4: { options: ['event', 'casebook'] } }],
    ] as const;
    const insert = old.prepare('INSERT INTO checklist_responses (municipality_id, version, answers, platform, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const [m, v, a] of rows) insert.run(m, v, JSON.stringify(a), 'slack', 'U1', 1_700_000_000_000);
    old.close();
    const db = openDatabase(path);
    const store = new ChecklistStore(db);
    const all = [...store.history('行田市'), ...store.history('熊谷市')];
    expect(all).toHaveLength(3);
    for (const [m, v, a] of rows) {
      const r = all.find((x) => x.municipalityId === m && x.version === v)!;
      expect(r.answers).toEqual(a);
      expect(r.definitionVersion).toBe('図6');
    }
    const defs = new ChecklistDefinitions(db, templateDefinition(kb.checklist));
    defs.register(templateDefinition(kb.checklist), 0, true);
    expect(defs.get('図6')!.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
    db.close();
  });
});

describe('a checklist across definitions', () => {
  let first: TestApp;
  let second: TestApp;
  let zu6: TestApp;
  beforeAll(async () => {
    first = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN' });
    // the YAML example (the JSON one parses to the same definition: see above)
    zu6 = await testApp({ CHECKLIST_FILE: ZU6_YAML });
  });
  afterAll(() => {
    second?.dispose();
    first.close();
    zu6.dispose();
  });

  it('answers the same prompts, branching and stages with the 図6 file as without a file', async () => {
    const script = async (app: TestApp, id: string, q1: string[], m: string): Promise<string[]> => {
      // membership is granted, not taken (issue 17): the admin grants the municipality first
      app.services.roles.bindMember('slack', id, m, 'slack:UADMIN');
      const u = new User(app.engine, actor(id));
      const seen: string[] = [];
      await u.command('pf-checklist');
      seen.push(u.text());
      for (const a of q1) {
        await u.press(a);
        seen.push(u.text());
      }
      if (q1.includes('いいえ')) {
        await u.say('課題を整理できていない');
        seen.push(u.text());
      }
      await u.choose('q3', ['unknown-providers', 'other']);
      seen.push(u.text());
      await u.say('担当が1人');
      seen.push(u.text());
      await u.choose('q4', ['no-support', 'training']);
      seen.push(u.text());
      await u.choose('q4', ['training', 'event']);
      seen.push(u.text());
      await u.press('送信する');
      seen.push(u.text());
      return seen;
    };
    const paths = [['いいえ'], ['はい', 'いいえ'], ['はい', 'はい', 'いいえ'], ['はい', 'はい', 'はい']];
    for (const [i, p] of paths.entries()) {
      const m = ['川越市', '熊谷市', '川口市', '秩父市'][i]!;
      const builtIn = await script(first, `UZ${i}`, p, m);
      expect(await script(zu6, `UZ${i}`, p, m)).toEqual(builtIn);
      expect(builtIn.at(-1)).toContain(['課題を把握していない', '解決の仕組みがない', '具体策が進んでいない', '具体策を進めている'][i]);
    }
    expect(zu6.services.checklists.latest('川口市')!.definitionVersion).toBe('図6');
  });

  it('moves a flow in progress to a changed definition, keeping the answers that still apply', async () => {
    // under 図6: Q1 answered yes, yes, no; Q2 written; then the bot restarts with the prefecture's file
    first.services.roles.bindMember('slack', 'UMID', '行田市', 'slack:UADMIN');
    first.services.roles.bindMember('slack', 'UOLD', '所沢市', 'slack:UADMIN');
    const u1 = new User(first.engine, actor('UMID'));
    await u1.command('pf-checklist');
    await u1.press('はい');
    await u1.press('はい');
    await u1.press('いいえ');
    await u1.say('具体策の担い手がいない');
    expect(u1.text()).toContain('Q3');
    const done = new User(first.engine, actor('UOLD'));
    await done.command('pf-checklist');
    await done.press('いいえ');
    await done.say('把握の手段がない');
    await done.press('該当なし');
    await done.choose('q4', ['provider-list']);
    await done.press('送信する');
    expect(done.text()).toContain('所沢市 のチェックリストを受け付けました（第1版）');
    first.close();
    second = await testApp({ CHECKLIST_FILE: CUSTOM, ADMIN_USER_IDS: 'slack:UADMIN' }, { dir: first.dir });
    const u2 = new User(second.engine, actor('UMID'));
    await u2.say('はい');
    const moved = u2.text();
    expect(moved).toContain('チェックリストの設問が変更されました（設問の版 図6 → 2026年度版）');
    // Q1's q1a and q1b (yes, yes) and the text q2 exist in the new version; q1c and Q3 do not; q2 is no longer asked (no "no")
    expect(moved).toContain('1 問分は引き継ぎました');
    expect(moved).toContain('問2 県から受けたい支援を選んでください。');
    await u2.choose('q4', ['visit']);
    await u2.say('3');
    expect(u2.text()).toContain('問4 第2層協議体の設置状況');
    await u2.choose('council', ['some']);
    expect(u2.text()).toContain('送信前の確認');
    expect(u2.text()).toContain('問1-2 課題を話し合う協議の場がある: はい');
    await u2.press('送信する');
    expect(u2.text()).toContain('行田市 のチェックリストを受け付けました（第1版）');
    expect(u2.text()).toContain('設問の版: 2026年度版');
    expect(second.services.checklists.latest('行田市')).toMatchObject({ definitionVersion: '2026年度版', answers: { q1: { q1a: 'yes', q1b: 'yes' }, q4: { options: ['visit'] }, sc: 3, council: { options: ['some'] } } });
  });

  it('runs a custom checklist (added, removed and reordered items) end to end on the terminal', async () => {
    const c = new Conversation(second.core, { userId: 'term-1' });
    let out = await c.say('/pf-checklist');
    expect(out).toContain('回答する市町村を選んでください');
    out = await c.say('深谷市');
    // membership is granted, not taken (issue 17): a request, and meanwhile the questions in force to read
    expect(out).toContain('深谷市 の担当者として申請しました');
    expect(out).toContain('問1 市町村の現状についてお答えください。');
    expect(out).toContain('問3 生活支援コーディネーター（SC）は何人配置していますか。');
    expect(second.services.checklists.latest('深谷市')).toBeNull();
    const request = second.services.membershipRequests.pendingOf('terminal', 'term-1')!;
    await new User(second.engine, actor('UADMIN')).act('membership:approve', String(request.id));
    out = await c.say('/pf-checklist');
    expect(out).toContain('問1 市町村の現状についてお答えください。');
    expect(out).toContain('問1（フローチャート 1/2）');
    out = await c.pick('はい', out);
    expect(out).toContain('課題を話し合う協議の場がある');
    out = await c.pick('いいえ', out);
    // removed: Q1's third step and Q3; reordered: the support question comes second, with options in the file's order
    expect(out).not.toContain('課題を解決するための具体策');
    // the options are listed once, numbered for typing (not as bullets and then again as a numbered select)
    expect(out).toMatch(/\[1\] 多様な主体リストの共有\n\s*\[2\] 職員向け研修\n\s*\[3\] 県職員の訪問相談/);
    expect(out.match(/職員向け研修/g)).toHaveLength(1);
    out = await c.say('4,1');
    expect(out).toContain('支援の希望と同時には選べません');
    out = await c.say('1,5');
    expect(out).toContain('「その他」の内容を入力してください');
    out = await c.say('広域での勉強会');
    expect(out).toContain('問3 生活支援コーディネーター（SC）は何人配置していますか。');
    out = await c.say('六人');
    expect(out).toContain('数字で入力してください');
    out = await c.say('999');
    expect(out).toContain('0〜500 の範囲で入力してください');
    out = await c.say('１２人');
    expect(out).toContain('問4 第2層協議体の設置状況を選んでください。');
    out = await c.pick('未設置', out);
    expect(out).toContain('問5 問1で「いいえ」と答えた理由を書いてください。');
    out = await c.say('協議体の立ち上げ手順が分からない');
    expect(out).toContain('送信前の確認');
    expect(out).toContain('問3 SCの人数: 12人');
    out = await c.pick('送信する', out);
    expect(out).toContain('深谷市 のチェックリストを受け付けました（第1版）');
    expect(out).toContain('協議の場がない');
    expect(out).toContain('多様な主体リストの共有 → 多様な主体リスト（P.16）');
    expect(second.services.checklists.latest('深谷市')).toMatchObject({
      definitionVersion: '2026年度版',
      answers: { q1: { q1a: 'yes', q1b: 'no' }, q4: { options: ['provider-list', 'other'], other: '広域での勉強会' }, sc: 12, council: { options: ['none'] }, q2: '協議体の立ち上げ手順が分からない' },
    });
  });

  it('summarises and exports answers under two versions, showing each version and questions not asked', async () => {
    const admin = new User(second.engine, actor('UADMIN'));
    await admin.command('pf-checklist', '集計');
    const overview = admin.text();
    expect(overview).toContain('設問の版（いま使っている版）: 2026年度版');
    expect(overview).toContain('回答の設問の版: 図6: 5、2026年度版: 2');
    expect(overview).toContain('問3 SCの人数（未質問 5）');
    expect(overview).toContain('深谷市: 12人');
    // Q4 kept its id across the versions: its answers count together; an option only the new version offers counts the new answers
    expect(overview).toContain('県職員の訪問相談: 1');
    expect(overview).toContain('問4 協議体（ひとつ選ぶ）（未質問 5）');
    await admin.command('pf-checklist', '所沢市');
    expect(admin.text()).toContain('設問の版: 図6');
    expect(admin.text()).toContain('Q3 困っていること: 該当なし');
    await admin.command('pf-checklist', 'エクスポート');
    const file = admin.last.replies.find((r) => r.file)!.file!;
    const rows = parse(file.data.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    const old = rows.find((r) => r['市町村'] === '所沢市')!;
    const fresh = rows.find((r) => r['市町村'] === '深谷市')!;
    expect([old['設問の版'], fresh['設問の版']]).toEqual(['図6', '2026年度版']);
    expect(old['問3 SCの人数']).toBe('（未質問）');
    expect(old['問4 協議体']).toBe('（未質問）');
    expect(old['問2 県職員の訪問相談']).toBe('（選択肢なし）');
    expect(old['問2 多様な主体リストの共有']).toBe('○');
    expect(old['問1-1 生活支援に関する地域の課題を把握している']).toBe('いいえ');
    expect(old['段階']).toBe('課題を把握していない');
    expect(fresh['問3 SCの人数']).toBe('12人');
    expect(fresh['問4 協議体']).toBe('未設置');
    expect(fresh['Q3 困っていること' as string]).toBeUndefined();
    expect(fresh['Q3 市町村で活動している多様な主体が分からない・接点がない']).toBe('（未質問）');
    expect(fresh['問1-3 課題を解決するための具体策を進めている']).toBe('（未質問）');
    expect(fresh['段階']).toBe('協議の場がない');
    expect(old['Q3 市町村で活動している多様な主体が分からない・接点がない']).toBe('');
  });

  it('walks an admin through the definition in force without storing anything', async () => {
    const member = new User(second.engine, actor('UPREVM'));
    await member.command('pf-checklist', 'プレビュー');
    expect(member.text()).toContain('管理者）だけが使えます');
    const count = (): number => (second.services.checklists.allLatest().length);
    const before = count();
    const admin = new User(second.engine, actor('UADMIN'));
    await admin.command('pf-checklist', 'プレビュー');
    expect(admin.text()).toContain('プレビューです（設問の版 2026年度版、5 問）');
    expect(admin.text()).toContain('プレビュー（保存しません）｜問1');
    await admin.press('いいえ');
    await admin.choose('q4', ['training']);
    await admin.say('0');
    await admin.choose('council', ['all']);
    await admin.say('調査の手段がない');
    expect(admin.text()).toContain('送信前の確認｜プレビュー');
    await admin.press('送信する');
    expect(admin.text()).toContain('プレビュー: 送信するとこのまとめが表示されます（保存していません）');
    expect(admin.text()).toContain('課題を把握していない');
    expect(count()).toBe(before);
    expect(second.services.roles.of('slack', 'UADMIN').municipalityId ?? null).toBeNull();
  });
});
