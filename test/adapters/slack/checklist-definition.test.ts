/**
 * A prefecture's own checklist (CHECKLIST_FILE, test/fixtures/checklist/custom.json) through Slack
 * payloads: the real Bolt receiver with signed requests, the fake Slack API on loopback. On Slack
 * the checklist is walked in one modal (issue 18); where the modal cannot be opened (the trigger
 * expired), it goes on in private messages edited in place, with answers typed as mentions.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config.js';
import { callText, type Call } from '../../fakes/slack-api.js';
import { elementsOf, isPublicIn, nextSeq, SlackModal, startSlackBot, type SlackBot } from '../../helpers/slack.js';

let rig: SlackBot;

beforeAll(async () => {
  rig = await startSlackBot({ CHECKLIST_FILE: join(PROJECT_ROOT, 'test', 'fixtures', 'checklist', 'custom.json') });
});
afterAll(() => rig.stop());

const municipality = (name: string): string => rig.app.services.municipalities.find(name)[0]!.id;
const select = (part: string) => (el: Record<string, unknown>) => String(el.type).endsWith('static_select') && String(el.action_id).includes(part);

describe('a custom checklist in a Slack modal', () => {
  it('walks every question kind of the file in one modal (back, refusals at their field, a change from the review) and stores the answers with the version', async () => {
    const U = 'UMODAL';
    const start = rig.fake.calls.length;
    await rig.slack.command('pf-checklist', '', { user: U, channel: 'C1' });
    let modal = await SlackModal.opened(rig.slack, U, start);
    expect(modal.text).toContain('回答する市町村を選んでください');
    expect(modal.view.title).toMatchObject({ text: '市町村チェックリスト' });
    expect(modal.view.submit).toMatchObject({ text: '次へ' });
    await modal.submit({ choice: municipality('行田市') });
    // membership is granted, not taken (issue 17): the choice files a request, and the modal ends there
    expect(modal.text).toContain('行田市 の担当者として申請しました');
    expect(modal.view.submit).toBeUndefined();
    expect(modal.view.notify_on_close).toBeUndefined();
    rig.app.services.roles.bindMember('slack', U, municipality('行田市'), 'slack:UADMIN');
    let from = rig.fake.calls.length;
    await rig.slack.command('pf-checklist', '', { user: U, channel: 'C1' });
    modal = await SlackModal.opened(rig.slack, U, from);
    // the yes/no chain: buttons inside the modal, each answered with views.update
    expect(modal.text).toContain('生活支援に関する地域の課題を把握している');
    expect(modal.view.submit).toBeUndefined();
    await modal.press('はい');
    expect(modal.text).toContain('課題を話し合う協議の場がある');
    await modal.press('戻る');
    expect(modal.text).toContain('生活支援に関する地域の課題を把握している');
    await modal.press('はい');
    await modal.press('いいえ');
    // multiple choice with an exclusive option and その他 + text, in one submission
    expect(modal.text).toContain('問2 県から受けたい支援を選んでください。');
    expect(Object.keys(modal.inputs)).toEqual(['choice', 'other']);
    await modal.submit({ choice: ['visit', 'no-support'] });
    expect(Object.keys(modal.errors ?? {})).toEqual(['flow:checklist:q4|choice']);
    expect(Object.values(modal.errors!)[0]).toContain('「今は支援を受ける予定はない」は、支援の希望と同時には選べません');
    await modal.submit({ choice: ['visit', 'other'] });
    expect(modal.errors).toEqual({ 'flow:checklist:q4|other': '「その他」の内容を入力してください。' });
    await modal.submit({ choice: ['training'], other: '保健所との連携' });
    expect(Object.values(modal.errors!)[0]).toContain('「その他」を選んだときだけ記入してください');
    await modal.submit({ choice: ['visit', 'training', 'other'], other: '保健所との連携' });
    // a number
    expect(modal.text).toContain('問3 生活支援コーディネーター（SC）は何人配置していますか。');
    await modal.submit({ text: '千人' });
    expect(modal.errors).toEqual({ 'flow:checklist:sc|text': '数字で入力してください（例: 12）。' });
    await modal.submit({ text: '4人' });
    // single choice
    expect(modal.text).toContain('問4 第2層協議体の設置状況を選んでください。');
    await modal.submit({ choice: 'some' });
    // free text with its length limit (asked because 問1 had a no): the input holds at most 300, and the core checks it too
    expect(modal.text).toContain('問5 問1で「いいえ」と答えた理由を書いてください。');
    expect((modal.inputs.text!.element as Record<string, unknown>).max_length).toBe(300);
    await modal.submit({ text: 'あ'.repeat(301) });
    expect(Object.values(modal.errors!)[0]).toContain('長すぎます（301 文字）。300 文字以内');
    await modal.submit({ text: '協議体の進め方が分からない' });
    // the review: a final confirm, with a change of one answer before sending
    expect(modal.text).toContain('送信前の確認');
    expect(modal.text).toContain('4人');
    expect(modal.view.submit).toMatchObject({ text: '送信する' });
    await modal.act(select('checklist:edit'), ['sc']);
    expect(modal.text).toContain('問3 生活支援コーディネーター');
    expect((modal.inputs.text!.element as Record<string, unknown>).initial_value).toBe('4');
    await modal.submit({ text: '5' });
    expect(modal.text).toContain('送信前の確認');
    expect(modal.text).toContain('5人');
    expect(modal.text).toContain('一部の圏域で設置');
    await modal.submit();
    // the receipt closes the walk: no submit button, nothing left to press
    expect(modal.text).toContain('行田市 のチェックリストを受け付けました（第1版）');
    expect(modal.text).toContain('2026年度版');
    expect(modal.view.submit).toBeUndefined();
    expect(elementsOf(modal.blocks)).toEqual([]);
    expect(modal.view.notify_on_close).toBeUndefined();
    const receipt = await rig.fake.waitFor('chat.postMessage', (c) => c.args.channel === U, from);
    expect(callText(receipt)).toContain('行田市 のチェックリストを受け付けました');
    expect(rig.app.services.checklists.latest('行田市')).toMatchObject({
      definitionVersion: '2026年度版',
      answers: { q1: { q1a: 'yes', q1b: 'no' }, q4: { options: ['visit', 'training', 'other'], other: '保健所との連携' }, sc: 5, council: { options: ['some'] }, q2: '協議体の進め方が分からない' },
    });
    // nothing of the walk reached the channel: no response_url reply, no message, no ephemeral message
    const posted = rig.fake.calls.slice(from).filter((c) => ['respond', 'chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(c.method));
    expect(posted.map((c) => c.args.channel)).toEqual([U]);
    expect(rig.fake.calls.slice(start).filter((c) => isPublicIn(c, 'C1'))).toEqual([]);
    expect(rig.fake.violations).toEqual([]);
  });

  it('keeps the draft when the modal is closed half-way: text typed in the channel is not taken as an answer, and the command resumes in a new modal', async () => {
    const U = 'UCLOSE';
    rig.app.services.roles.bindMember('slack', U, municipality('熊谷市'), 'slack:UADMIN');
    let from = rig.fake.calls.length;
    await rig.slack.command('pf-checklist', '', { user: U, channel: 'C1' });
    let modal = await SlackModal.opened(rig.slack, U, from);
    expect(modal.text).toContain('熊谷市');
    await modal.press('はい');
    expect(modal.view.notify_on_close).toBe(true);
    await modal.close();
    // a question typed afterwards is answered as a question, not as the checklist's yes/no
    from = rig.fake.calls.length;
    const n = nextSeq();
    const event = { team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev-close-${n}`, event: { type: 'app_mention', user: U, text: '<@UBOT> ツドレバって何社参加した？', channel: 'C1', ts: `1700000300.${String(n).padStart(6, '0')}`, team: 'T1' } };
    expect((await rig.slack.post(JSON.stringify(event), 'application/json')).status).toBe(200);
    const answer = await rig.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C1', from);
    expect(callText(answer)).toContain('40社');
    from = rig.fake.calls.length;
    await rig.slack.command('pf-checklist', '', { user: U, channel: 'C1' });
    modal = await SlackModal.opened(rig.slack, U, from);
    expect(modal.text).toContain('途中まで回答したチェックリストの続きから再開します。');
    expect(modal.text).toContain('課題を話し合う協議の場がある');
    // 中断する ends the walk in the modal (the draft kept): nothing left to press or submit, no close to report
    await modal.press('中断する');
    expect(modal.text).toContain('「市町村チェックリスト」を中断しました。途中までの回答は保存してあり');
    expect(elementsOf(modal.blocks)).toEqual([]);
    expect(modal.view.submit).toBeUndefined();
    expect(modal.view.notify_on_close).toBeUndefined();
  });
});

describe('a custom checklist in Slack messages, where the modal cannot be opened', () => {
  /** Presses an element of a private message the way Slack reports it. */
  async function press(call: Call, pred: (el: Record<string, unknown>) => boolean, values?: string[]): Promise<void> {
    await rig.slack.press(call, pred, { user: 'UOWN', ...(values ? { values } : {}), container: true });
  }
  /** Types an answer in the channel, mentioning the bot (the flow takes the text). */
  async function mention(text: string): Promise<void> {
    const n = nextSeq();
    const event = { token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev-own-${n}`, event_time: n, event: { type: 'app_mention', user: 'UOWN', text: `<@UBOT> ${text}`, channel: 'C1', ts: `1700000100.${String(n).padStart(6, '0')}`, team: 'T1' } };
    expect((await rig.slack.post(JSON.stringify(event), 'application/json')).status).toBe(200);
  }
  const button = (label: string) => (el: Record<string, unknown>) => el.type === 'button' && String((el.text as { text: string }).text).includes(label);
  /** The step shown after an event: the message a button edited in place (response_url, replace_original) or the private reply to a mention. */
  const step = (from: number, text: string): Promise<Call> =>
    Promise.any(['respond', 'chat.postEphemeral'].map((m) => rig.fake.waitFor(m, (c) => callText(c).includes(text), from)));

  it('walks every question kind of the file through messages edited in place and mentions, and stores the answers with the version', async () => {
    rig.fake.failures.set('views.open', (args) => (/^trig-/.test(String(args.trigger_id)) ? 'expired_trigger_id' : undefined));
    // membership is granted, not taken (issue 17)
    rig.app.services.roles.bindMember('slack', 'UOWN', municipality('行田市'), 'slack:UADMIN');
    try {
      let from = rig.fake.calls.length;
      await rig.slack.command('pf-checklist', '', { user: 'UOWN', channel: 'C1' });
      let last = await step(from, '生活支援に関する地域の課題を把握している');
      expect(last.args).toMatchObject({ response_type: 'ephemeral' });
      expect(callText(last)).toContain('問1（フローチャート 1/2）');
      from = rig.fake.calls.length;
      await press(last, button('はい'));
      last = await step(from, '課題を話し合う協議の場がある');
      // each step edits the message its button was on
      expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      from = rig.fake.calls.length;
      await press(last, button('いいえ'));
      last = await step(from, '問2 県から受けたい支援');
      expect(last.args).toMatchObject({ replace_original: true });
      from = rig.fake.calls.length;
      await press(last, select('checklist:q4'), ['visit', 'training']);
      last = await step(from, '問3 生活支援コーディネーター');
      from = rig.fake.calls.length;
      await mention('4人');
      // a typed answer is answered privately in the channel (an ephemeral message)
      last = await step(from, '問4 第2層協議体');
      expect(last.method).toBe('chat.postEphemeral');
      from = rig.fake.calls.length;
      await press(last, select('checklist:council'), ['some']);
      last = await step(from, '問5 問1で「いいえ」と答えた理由');
      from = rig.fake.calls.length;
      await mention('協議体の進め方が分からない');
      last = await step(from, '送信前の確認');
      expect(callText(last)).toContain('一部の圏域で設置');
      from = rig.fake.calls.length;
      await press(last, button('送信する'));
      last = await step(from, '受け付けました');
      expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      expect(callText(last)).toContain('行田市 のチェックリストを受け付けました（第2版）');
      expect(callText(last)).toContain('協議の場がない');
      expect(callText(last)).toContain('2026年度版');
      expect(rig.app.services.checklists.latest('行田市')).toMatchObject({
        definitionVersion: '2026年度版',
        answers: { q1: { q1a: 'yes', q1b: 'no' }, q4: { options: ['visit', 'training'] }, sc: 4, council: { options: ['some'] }, q2: '協議体の進め方が分からない' },
      });
    } finally {
      rig.fake.failures.clear();
    }
  });
});
