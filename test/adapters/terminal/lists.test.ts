/** The terminal shows a list that a select offers once: numbered where it stands, not again below it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app.js';
import { Conversation } from '../../helpers/terminal.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.dispose());

describe('lists that are also choices, in the terminal', () => {
  it('numbers the Q&A index under its viewpoints once, and a number opens that Q&A', async () => {
    const c = new Conversation(app.core);
    const index = await c.say('/pf-faq');
    const count = app.services.kb.faq.length;
    for (let n = 1; n <= count; n++) expect(index.match(new RegExp(`Q${n} `, 'g')), `Q${n}`).toHaveLength(1);
    // the viewpoints' headings stay, with the numbers under them
    expect(index).toMatch(/■ 疑問や悩みの視点② [^\n]*\n\s*\[6\] Q6 /);
    expect(await c.say('6')).toContain('【Q6 ');
  });
});
