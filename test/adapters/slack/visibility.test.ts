/**
 * Issue 18 on Slack, through the real Bolt HTTP receiver with signed requests against the loopback
 * fake: flows and admin views are private in a shared channel, navigation edits one message, a
 * channel the bot was not invited to ends with a DM that says what to do, echoed text is inert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { callText, type Call, type FakeSlack } from '../../fakes/slack-api.js';
import { button, select, startSlackBot, type SlackBot, type SlackDriver } from '../../helpers/slack.js';

let bot: SlackBot;
let fake: FakeSlack;
let app: TestApp;
let slack: SlackDriver;

beforeAll(async () => {
  bot = await startSlackBot({ ADMIN_USER_IDS: 'slack:UADMIN' });
  ({ fake, app, slack } = bot);
});
afterAll(() => bot.stop());

const command = async (name: string, text: string, user: string, channel: string): Promise<number> => (await slack.command(name, text, { user, channel })).status;
/** Presses an element of a message the way Slack reports it: with the container's visibility. */
const press = async (call: Call, pred: (el: Record<string, unknown>) => boolean, user: string, channel: string, values?: string[]): Promise<void> => {
  await slack.press(call, pred, { user, channel, container: true, ...(values ? { values } : {}) });
};
/** Submits the modal a views.open call opened, with one text answer. */
const submit = async (open: Call, user: string, value: string, metadata?: (m: Record<string, unknown>) => Record<string, unknown>): Promise<void> => {
  expect((await slack.submit(open, user, value, metadata)).status).toBe(200);
};

/** Whether a call is visible to the whole channel `channel`. */
function isPublicIn(c: Call, channel: string): boolean {
  if (c.method === 'respond') return c.args.response_type === 'in_channel';
  if (c.method === 'chat.postMessage' || c.method === 'chat.update') return c.args.channel === channel;
  if (c.method === 'files.completeUploadExternal') return c.args.channel_id === channel;
  return false;
}

describe('Slack: private flows, edits in place, no dead ends (issue 18)', () => {
  it('a checklist answered in a shared channel leaves no public message with the answers, edits its own message and sends the receipt by DM', async () => {
    const U = 'UVIS1';
    const C = 'CSHARED';
    const start = fake.calls.length;
    let from = start;
    await command('pf-checklist', '', U, C);
    let last = await fake.waitFor('respond', (c) => callText(c).includes('回答する市町村を選んでください'), from);
    expect(last.args.response_type).toBe('ephemeral');
    from = fake.calls.length;
    await press(last, select('checklist:bind'), U, C, ['熊谷市']);
    // membership is granted, not taken (issue 17): the request replaces the municipality picker, privately
    last = await fake.waitFor('respond', (c) => callText(c).includes('熊谷市 の担当者として申請しました'), from);
    expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    app.services.roles.bindMember('slack', U, '熊谷市', 'slack:UADMIN');
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
    await submit(open, U, '職員2名が退職予定で体制が不安');
    last = await fake.waitFor('respond', (c) => callText(c).includes('Q3'), from);
    expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    from = fake.calls.length;
    await press(last, select('checklist:q3'), U, C, ['no-ideas']);
    last = await fake.waitFor('respond', (c) => callText(c).includes('Q4'), from);
    from = fake.calls.length;
    await press(last, select('checklist:q4'), U, C, ['training']);
    last = await fake.waitFor('respond', (c) => callText(c).includes('送信前の確認'), from);
    const review = last;
    from = fake.calls.length;
    await press(last, button('送信する'), U, C);
    last = await fake.waitFor('respond', (c) => callText(c).includes('受け付けました'), from);
    expect(last.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    // the finished flow's message was replaced by the receipt: no button of the flow is left on it
    expect(JSON.stringify(last.args.blocks)).not.toContain('flow:checklist');
    const receipt = await fake.waitFor('chat.postMessage', (c) => c.args.channel === U && callText(c).includes('受け付けました'), from);
    expect(callText(receipt)).toContain('熊谷市 のチェックリストを受け付けました');
    expect(callText(review)).toContain('職員2名が退職予定で体制が不安');
    expect(review.args.response_type).toBe('ephemeral');

    const calls = fake.calls.slice(start);
    const withAnswer = calls.filter((c) => callText(c).includes('職員2名が退職予定'));
    expect(withAnswer.length).toBeGreaterThanOrEqual(1);
    expect(withAnswer.every((c) => !isPublicIn(c, C))).toBe(true);
    expect(calls.filter((c) => isPublicIn(c, C))).toEqual([]);

    // a stale click on the finished flow's old message gets a polite private note and changes nothing
    from = fake.calls.length;
    await press(review, button('送信する'), U, C);
    const stale = await fake.waitFor('respond', () => true, from);
    expect(stale.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(callText(stale)).toContain('この操作は古くなっているか、すでに終わっています');
  });

  it('keeps admin views private', async () => {
    const from = fake.calls.length;
    await command('pf-checklist', '集計', 'UADMIN', 'CSHARED');
    // the overview comes with its chart, drawn first: seconds on a loaded machine
    const overview = await fake.waitFor('respond', () => true, from, 30_000);
    expect(overview.args.response_type).toBe('ephemeral');
    expect(callText(overview)).toContain('未回答');
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

  it('in a channel the bot was not invited to, the checklist ends with a DM that says to invite the bot, logged once', async () => {
    const U = 'UVIS3';
    const C = 'CNOBOT';
    fake.failures.set('chat.postMessage', (args) => (args.channel === C ? 'not_in_channel' : undefined));
    fake.failures.set('chat.postEphemeral', (args) => (args.channel === C ? 'not_in_channel' : undefined));
    try {
      app.services.roles.bindMember('slack', U, '行田市', 'slack:UADMIN');
      let from = fake.calls.length;
      await command('pf-checklist', '', U, C);
      let last = await fake.waitFor('respond', (c) => callText(c).includes('把握できている'), from);
      for (const answer of ['はい', 'いいえ']) {
        from = fake.calls.length;
        await press(last, button(answer), U, C);
        last = await fake.waitFor('respond', () => true, from);
      }
      from = fake.calls.length;
      await press(last, button('入力する'), U, C);
      const open = await fake.waitFor('views.open', () => true, from);
      // a modal with no message to edit (no response_url): the answer has to be posted in the channel
      for (let i = 0; i < 2; i++) {
        from = fake.calls.length;
        await submit(open, U, '課題を共有する場がない', (m) => ({ ...m, responseUrl: undefined }));
        const dm = await fake.waitFor('chat.postMessage', (c) => c.args.channel === U, from);
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
