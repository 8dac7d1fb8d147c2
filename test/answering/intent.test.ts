import { describe, expect, it } from 'vitest';
import { detectIntent, isFollowUp, type Intent } from '../../src/answering/intent.js';

const services = ['移動販売', '見守り', '配食'];

describe('what a message asks for', () => {
  it('routes clear requests to start a flow, and questions about a flow to the documents', () => {
    const cases: [string, Intent][] = [
      ['チェックリストに回答したい', 'start_checklist'],
      ['チェックリストの2問目って記述式？', 'question'],
      ['行田市で移動販売してる事業者を探して', 'provider_search'],
      ['移動販売の事業者にどうアプローチすればいい？', 'question'],
      ['どのステップから始めればいい？', 'step_guide'],
      ['Q&Aの一覧を見せて', 'faq_list'],
      ['事例を探したい', 'case_search'],
      ['こんにちは', 'help'],
      ['お疲れさまです！', 'help'],
      ['おやすみなさい', 'help'],
      ['Thank you!', 'help'],
      ['あなたは誰？', 'help'],
      ['君の名前はなに？', 'help'],
      ['このボットって何ができるの？', 'help'],
      ['Who are you?', 'help'],
      // a question that only starts like one about the assistant is still a question
      ['名前は？', 'question'],
      ['あなたの市町村でSCは何人いる？', 'question'],
      ['ツドレバって何社参加した？', 'question'],
    ];
    for (const [message, intent] of cases) expect(detectIntent(message, services), message).toBe(intent);
  });

  it('reads slash commands typed as text (the terminal, the ask CLI) as what they start', () => {
    const cases: [string, Intent][] = [
      ['/pf-checklist', 'start_checklist'],
      ['/pf-provider 移動販売 行田市', 'provider_search'],
      ['／pf-step', 'step_guide'],
      ['/pf-faq 6', 'faq_list'],
      ['/pf-case 沖縄', 'case_search'],
      ['/pf', 'help'],
      ['/pf ツドレバって何社参加した？', 'question'],
      ['/pf-unknown', 'help'],
    ];
    for (const [message, intent] of cases) expect(detectIntent(message, services), message).toBe(intent);
  });

  it('tells a follow-up from a new topic', () => {
    expect(isFollowUp('それって具体的には？')).toBe(true);
    expect(isFollowUp('山間部の場合は？')).toBe(true);
    expect(isFollowUp('兵庫県の事例集は誰でも見られる？')).toBe(false);
  });
});
