/**
 * Issue 18 on Slack, through the real Bolt HTTP receiver with signed requests against the loopback
 * fake: flows and admin views are private in a shared channel (the checklist in a modal),
 * navigation edits one message, a channel the bot was not invited to ends with a DM that says what
 * to do, echoed text is inert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callText, type Call } from '../../fakes/slack-api.js';
import { isPublicIn, nextSeq, SlackModal, startSlackBot, type SlackBot } from '../../helpers/slack.js';

let rig: SlackBot;
let fake: SlackBot['fake'];
let app: SlackBot['app'];

beforeAll(async () => {
  rig = await startSlackBot({ ADMIN_USER_IDS: 'slack:UADMIN' });
  fake = rig.fake;
  app = rig.app;
});
afterAll(() => rig.stop());

const post = (body: string): Promise<number> => rig.slack.post(body).then((r) => r.status);
const command = (name: string, text: string, user: string, channel: string): Promise<unknown> => rig.slack.command(name, text, { user, channel });
const municipality = (name: string): string => app.services.municipalities.find(name)[0]!.id;

/** Presses an element of a message the way Slack reports it: with the container's visibility. */
async function press(call: Call, pred: (el: Record<string, unknown>) => boolean, user: string, channel: string, values?: string[]): Promise<void> {
  await rig.slack.press(call, pred, { user, channel, ...(values ? { values } : {}), container: true });
}
const button = (label: string) => (el: Record<string, unknown>) => el.type === 'button' && String((el.text as { text: string }).text).includes(label);
const select = (part: string) => (el: Record<string, unknown>) => String(el.type).endsWith('static_select') && String(el.action_id).includes(part);

/** Submits the form modal a views.open call opened, with one text answer. */
async function submit(open: Call, user: string, value: string, metadata?: (m: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const view = open.args.view as { private_metadata: string; blocks: { block_id: string }[] };
  const meta = JSON.parse(view.private_metadata) as Record<string, unknown>;
  const submission = { type: 'view_submission', user: { id: user, name: 'tester' }, team: { id: 'T1' }, view: { id: `V${nextSeq()}`, hash: 'h', callback_id: 'pf-form', private_metadata: JSON.stringify(metadata ? metadata(meta) : meta), state: { values: { [view.blocks[0]!.block_id]: { value: { type: 'plain_text_input', value } } } } } };
  expect(await post(new URLSearchParams({ payload: JSON.stringify(submission) }).toString())).toBe(200);
}

/** Walks 図6 in the modal the command opened, for `name`, with a free-text Q2, その他 + text in Q3 and the exclusive option tried in Q4. */
async function walkZu6(user: string, channel: string, name: string, q2: string): Promise<{ modal: SlackModal; review: SlackModal['view'] }> {
  const from = fake.calls.length;
  await command('pf-checklist', '', user, channel);
  let modal = await SlackModal.opened(rig.slack, user, from);
  expect(modal.text).toContain('回答する市町村を選んでください');
  await modal.submit({ choice: municipality(name) });
  // membership is granted, not taken (issue 17): the choice files a request, shown in the modal
  expect(modal.text).toContain(`${name} の担当者として申請しました`);
  app.services.roles.bindMember('slack', user, municipality(name), 'slack:UADMIN');
  const again = fake.calls.length;
  await command('pf-checklist', '', user, channel);
  modal = await SlackModal.opened(rig.slack, user, again);
  await modal.press('はい');
  await modal.press('いいえ');
  // Q2: free text with its limit (1,000 characters in 図6)
  expect((modal.inputs.text!.element as Record<string, unknown>).max_length).toBe(1000);
  await modal.submit({ text: q2 });
  // Q3: multiple choice with その他 and its text
  expect(modal.text).toContain('Q3');
  await modal.submit({ choice: ['no-ideas', 'other'], other: '庁内の体制が追いつかない' });
  // Q4: the exclusive option cannot go with a request for support
  expect(modal.text).toContain('Q4');
  await modal.submit({ choice: ['training', 'no-support'] });
  expect(Object.values(modal.errors ?? {})[0]).toContain('支援の希望と同時には選べません');
  await modal.submit({ choice: ['training'] });
  expect(modal.text).toContain('送信前の確認');
  return { modal, review: modal.view };
}

describe('Slack: private flows, edits in place, no dead ends (issue 18)', () => {
  it('a checklist answered in a shared channel is walked in a modal: no message in the channel, the receipt by DM, a stale click answered in the modal', async () => {
    const U = 'UVIS1';
    const C = 'CSHARED';
    const start = fake.calls.length;
    const { modal, review } = await walkZu6(U, C, '熊谷市', '職員2名が退職予定で体制が不安');
    expect(modal.text).toContain('職員2名が退職予定で体制が不安');
    expect(modal.text).toContain('その他（庁内の体制が追いつかない）');
    await modal.submit();
    expect(modal.text).toContain('熊谷市 のチェックリストを受け付けました');
    // the finished flow's view has nothing left to press
    expect(JSON.stringify(modal.blocks)).not.toContain('flow:checklist');
    const receipt = await fake.waitFor('chat.postMessage', (c) => c.args.channel === U && callText(c).includes('受け付けました'), start);
    expect(callText(receipt)).toContain('熊谷市 のチェックリストを受け付けました');
    expect(callText(receipt)).toContain('その他: 庁内の体制が追いつかない');

    const calls = fake.calls.slice(start);
    expect(calls.filter((c) => isPublicIn(c, C))).toEqual([]);
    // the free-text answer went to Slack only inside the modal (the submissions' acknowledgements), never to the channel
    expect(calls.filter((c) => callText(c).includes('職員2名が退職予定'))).toEqual([]);
    expect(calls.filter((c) => c.method === 'respond' || c.method === 'chat.postEphemeral')).toEqual([]);

    // a stale click on the finished flow's review (a second copy of the modal) gets a polite note in that modal and changes nothing
    const stale = new SlackModal(rig.slack, review, U);
    await stale.act(select('checklist:edit'), ['q2']);
    expect(stale.text).toContain('この操作は古くなっているか、すでに終わっています');
    expect(stale.view.submit).toBeUndefined();
    expect(app.services.checklists.latest('熊谷市')?.answers).toMatchObject({ q2: '職員2名が退職予定で体制が不安', q3: { options: ['no-ideas', 'other'], other: '庁内の体制が追いつかない' }, q4: { options: ['training'] } });
  });

  it('where the modal cannot open (an expired trigger), the checklist goes on in private messages edited in place', async () => {
    const U = 'UVIS5';
    const C = 'CSHARED';
    fake.failures.set('views.open', (args) => (/^trig-/.test(String(args.trigger_id)) ? 'expired_trigger_id' : undefined));
    try {
      const start = fake.calls.length;
      let from = start;
      await command('pf-checklist', '', U, C);
      let last = await fake.waitFor('respond', (c) => callText(c).includes('回答する市町村を選んでください'), from);
      expect(last.args.response_type).toBe('ephemeral');
      from = fake.calls.length;
      await press(last, select('checklist:bind'), U, C, [municipality('行田市')]);
      // membership is granted, not taken (issue 17): the request replaces the municipality picker, privately
      last = await fake.waitFor('respond', (c) => callText(c).includes('行田市 の担当者として申請しました'), from);
      expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      app.services.roles.bindMember('slack', U, municipality('行田市'), 'slack:UADMIN');
      from = fake.calls.length;
      await command('pf-checklist', '', U, C);
      last = await fake.waitFor('respond', (c) => callText(c).includes('生活支援サービスに関連する課題を把握できている'), from);
      expect(last.args.response_type).toBe('ephemeral');
      for (const answer of ['はい', 'いいえ']) {
        from = fake.calls.length;
        await press(last, button(answer), U, C);
        last = await fake.waitFor('respond', () => true, from);
        expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      }
      from = fake.calls.length;
      await press(last, button('入力する'), U, C);
      const open = await fake.waitFor('views.open', () => true, from);
      from = fake.calls.length;
      await submit(open, U, '窓口の職員が足りない');
      last = await fake.waitFor('respond', (c) => callText(c).includes('Q3'), from);
      expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      expect(fake.calls.slice(start).filter((c) => isPublicIn(c, C))).toEqual([]);
    } finally {
      fake.failures.clear();
    }
  });

  it('keeps admin views private', async () => {
    const from = fake.calls.length;
    await command('pf-checklist', '集計', 'UADMIN', 'CSHARED');
    // the overview comes with its chart: the first drawing loads the renderer (seconds on a busy machine)
    const overview = await fake.waitFor('respond', () => true, from, 30_000);
    expect(overview.args.response_type).toBe('ephemeral');
    expect(callText(overview)).toContain('未回答');
    // its picture goes to the admin's DM, not to the shared channel
    const upload = await fake.waitFor('files.completeUploadExternal', () => true, from, 30_000);
    expect(upload.args.channel_id).toBe('DADMIN');
  });

  it('navigation edits the one message it came from (「Q7 →」)', async () => {
    let from = fake.calls.length;
    await command('pf-faq', '6', 'UVIS2', 'CSHARED');
    const q6 = await fake.waitFor('respond', (c) => callText(c).includes('Q6'), from);
    expect(q6.args.response_type).toBe('in_channel');
    from = fake.calls.length;
    await press(q6, button('Q7 →'), 'UVIS2', 'CSHARED');
    const q7 = await fake.waitFor('respond', (c) => callText(c).includes('Q7 山間部など'), from);
    expect(q7.args).toMatchObject({ response_type: 'in_channel', replace_original: true });
    expect(fake.find('chat.postMessage', from)).toEqual([]);
  });

  it('in a channel the bot was not invited to, the checklist in its modal needs nothing of the channel; in messages it ends with a DM that says to invite the bot, logged once', async () => {
    const U = 'UVIS3';
    const C = 'CNOBOT';
    fake.failures.set('chat.postMessage', (args) => (args.channel === C ? 'not_in_channel' : undefined));
    fake.failures.set('chat.postEphemeral', (args) => (args.channel === C ? 'not_in_channel' : undefined));
    try {
      const start = fake.calls.length;
      const { modal } = await walkZu6(U, C, '本庄市', '移動手段の課題を話し合えていない');
      await modal.submit();
      expect(modal.text).toContain('本庄市 のチェックリストを受け付けました');
      await fake.waitFor('chat.postMessage', (c) => c.args.channel === U && callText(c).includes('受け付けました'), start);
      expect(fake.calls.slice(start).filter((c) => c.args.channel === C)).toEqual([]);

      // where the modal could not open, the walk is in messages: a form's answer with no message to edit must be posted in the channel
      fake.failures.set('views.open', (args) => (/^trig-/.test(String(args.trigger_id)) ? 'expired_trigger_id' : undefined));
      const U2 = 'UVIS6';
      app.services.roles.bindMember('slack', U2, municipality('行田市'), 'slack:UADMIN');
      let from = fake.calls.length;
      await command('pf-checklist', '', U2, C);
      let last = await fake.waitFor('respond', (c) => callText(c).includes('把握できている'), from);
      for (const answer of ['はい', 'いいえ']) {
        from = fake.calls.length;
        await press(last, button(answer), U2, C);
        last = await fake.waitFor('respond', () => true, from);
      }
      from = fake.calls.length;
      await press(last, button('入力する'), U2, C);
      const open = await fake.waitFor('views.open', () => true, from);
      // a modal with no message to edit (no response_url): the answer has to be posted in the channel
      for (let i = 0; i < 2; i++) {
        from = fake.calls.length;
        await submit(open, U2, '課題を共有する場がない', (m) => ({ ...m, responseUrl: undefined }));
        const dm = await fake.waitFor('chat.postMessage', (c) => c.args.channel === U2, from);
        expect(callText(dm)).toContain('このチャンネルにボットを招待してください');
        expect(callText(dm)).toContain(i === 0 ? 'Q3' : '');
        expect(fake.find('chat.postEphemeral', from).map((c) => c.args.channel)).toEqual([C]);
      }
      expect(app.logs.join('').split('チャンネルに投稿できないため').length - 1).toBe(1);
    } finally {
      fake.failures.clear();
    }
  });

  it('escapes echoed user text in the fallback text as in the blocks (<!here> is inert)', async () => {
    const from = fake.calls.length;
    await command('pf-provider', '<!here> 行田市', 'UVIS4', 'CSHARED');
    const reply = await fake.waitFor('respond', () => true, from);
    const all = JSON.stringify([reply.args.text, reply.args.blocks]);
    expect(all).not.toContain('<!here>');
    expect(String(reply.args.text)).toContain('&lt;!here&gt;');
  });
});
