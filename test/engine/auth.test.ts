import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, PROTECTED_ACTIONS, type ProtectedAction } from '../../src/engine/auth.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, User } from '../helpers/events.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', SLACK_DESK_CHANNEL: 'CDESK' });
  const { roles } = app.services;
  roles.bindMember('slack', 'UMEMBER', '行田市', 'test');
  roles.grantAdmin('slack', 'UGRANTED', 'test');
});
afterAll(() => app.dispose());

type Role = 'guest' | 'member' | 'admin' | 'grantedAdmin' | 'desk';
const who: Record<Role, ReturnType<typeof actor>> = {
  guest: actor('UGUEST'),
  member: actor('UMEMBER'),
  admin: actor('UADMIN'),
  grantedAdmin: actor('UGRANTED'),
  desk: actor('UDESKMEMBER', 'slack', { channelId: 'CDESK' }),
};

/** Expected decisions: every role against every protected action (own = 行田市, other = 川越市). */
const EXPECTED: Record<ProtectedAction, Record<Role, boolean | { own: boolean; other: boolean }>> = {
  'checklist.answer': { guest: { own: false, other: false }, member: { own: true, other: false }, admin: { own: true, other: true }, grantedAdmin: { own: true, other: true }, desk: { own: false, other: false } },
  'checklist.view': { guest: { own: false, other: false }, member: { own: true, other: false }, admin: { own: true, other: true }, grantedAdmin: { own: true, other: true }, desk: { own: false, other: false } },
  'checklist.overview': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'checklist.export': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'roles.manage': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'providers.review': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'providers.import': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'providers.export': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'stats.view': { guest: false, member: false, admin: true, grantedAdmin: true, desk: false },
  'handoff.reply': { guest: false, member: false, admin: true, grantedAdmin: true, desk: true },
};

describe('one authorisation check for every protected action', () => {
  it('covers every protected action in the matrix', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PROTECTED_ACTIONS].sort());
  });

  for (const action of PROTECTED_ACTIONS) {
    for (const role of Object.keys(who) as Role[]) {
      it(`${action} × ${role}`, () => {
        const expected = EXPECTED[action][role];
        const decide = (municipalityId?: string) => authorize(app.services, who[role], action, municipalityId ? { municipalityId } : {}).ok;
        if (typeof expected === 'boolean') expect(decide()).toBe(expected);
        else {
          expect(decide('行田市')).toBe(expected.own);
          expect(decide('川越市')).toBe(expected.other);
        }
      });
    }
  }

  it('refuses through the engine politely and shows nothing', async () => {
    const member = new User(app.engine, who.member);
    for (const [cmd, args] of [['pf-checklist', '川越市'], ['pf-checklist', '集計'], ['pf-checklist', 'エクスポート'], ['pf-provider', '承認待ち'], ['pf-provider', 'エクスポート'], ['pf', '統計'], ['pf', '権限 付与 UX 管理者']] as const) {
      const r = await member.command(cmd, args);
      expect(member.text(), `${cmd} ${args}`).toMatch(/権限がありません|他の市町村の回答は/);
      expect(r.replies.some((x) => x.file), `${cmd} ${args}`).toBe(false);
      expect(r.replies.every((x) => x.ephemeral), `${cmd} ${args}`).toBe(true);
    }
    expect(app.services.roles.of('slack', 'UX').role).toBe('guest');
    const file = await app.engine.handle({ kind: 'file', actor: who.member, purpose: 'providers_import', fileName: 'x.csv', data: Buffer.from('名称\n') });
    expect(file.replies[0]!.blocks[0]).toMatchObject({ type: 'text', text: expect.stringContaining('権限がありません') });
  });

  it('lets admins grant and revoke roles in chat, but not revoke configured admins', async () => {
    const admin = new User(app.engine, who.admin);
    await admin.command('pf', '権限 付与 <@UNEW|new> 市町村 羽生市');
    expect(admin.text()).toContain('UNEW を 羽生市 のメンバーにしました');
    expect(app.services.roles.of('slack', 'UNEW')).toMatchObject({ role: 'member', municipalityId: '羽生市' });
    await admin.command('pf', '権限 解除 UNEW');
    expect(app.services.roles.of('slack', 'UNEW').role).toBe('guest');
    await admin.command('pf', '権限 解除 UADMIN');
    expect(admin.text()).toContain('チャットからは解除できません');
    await admin.command('pf', '権限');
    expect(admin.text()).toContain('slack:UADMIN');
  });
});
