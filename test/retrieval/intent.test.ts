import { describe, expect, it } from 'vitest';
import { detectIntent, isFollowUp } from '../../src/answer/intent.js';

const services = ['移動販売', '見守り', '配食'];

describe('what a message asks for', () => {
  it('routes clear requests to start a flow, and questions about a flow to the documents', () => {
    expect(detectIntent('チェックリストに回答したい', services)).toBe('start_checklist');
    expect(detectIntent('チェックリストの2問目って記述式？', services)).toBe('question');
    expect(detectIntent('行田市で移動販売してる事業者を探して', services)).toBe('provider_search');
    expect(detectIntent('移動販売の事業者にどうアプローチすればいい？', services)).toBe('question');
    expect(detectIntent('どのステップから始めればいい？', services)).toBe('step_guide');
    expect(detectIntent('Q&Aの一覧を見せて', services)).toBe('faq_list');
    expect(detectIntent('事例を探したい', services)).toBe('case_search');
    expect(detectIntent('こんにちは', services)).toBe('help');
    expect(detectIntent('ツドレバって何社参加した？', services)).toBe('question');
  });

  it('reads slash commands typed as text (the terminal, the ask CLI) as what they start', () => {
    expect(detectIntent('/pf-checklist', services)).toBe('start_checklist');
    expect(detectIntent('/pf-provider 移動販売 行田市', services)).toBe('provider_search');
    expect(detectIntent('／pf-step', services)).toBe('step_guide');
    expect(detectIntent('/pf-faq 6', services)).toBe('faq_list');
    expect(detectIntent('/pf-case 沖縄', services)).toBe('case_search');
    expect(detectIntent('/pf', services)).toBe('help');
    expect(detectIntent('/pf ツドレバって何社参加した？', services)).toBe('question');
    expect(detectIntent('/pf-unknown', services)).toBe('help');
  });

  it('tells a follow-up from a new topic', () => {
    expect(isFollowUp('それって具体的には？')).toBe(true);
    expect(isFollowUp('山間部の場合は？')).toBe(true);
    expect(isFollowUp('兵庫県の事例集は誰でも見られる？')).toBe(false);
  });
});
