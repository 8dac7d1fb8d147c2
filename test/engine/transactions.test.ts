/**
 * One event, one transaction (issue 17). A real database error is injected between an event's
 * writes with a temporary SQLite trigger (RAISE(ABORT) on the second write): the state must be
 * whole afterwards (nothing of the event kept), the delivery claim given back, and the retry of the
 * same delivery must work and write once: a checklist submission, a membership request, a provider
 * registration, an approval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecklistAnswers } from '../../src/checklist/model.js';
import type { InboundEvent } from '../../src/engine/types.js';
import { FlowStore } from '../../src/store/flows.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { actor, textOf } from '../helpers/events.js';

let app: TestApp;
beforeAll(async () => {
  app = await testApp({ ADMIN_USER_IDS: 'slack:UADMIN', SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', SLACK_DESK_CHANNEL: 'CDESK' });
});
afterAll(() => app.dispose());

const ANSWERS: ChecklistAnswers = { q1: { q1a: 'no' }, q2: '担い手が足りない', q3: { options: [] }, q4: { options: ['training'] } };

/** Makes the next write of this kind on this table fail with a database error, until `heal`. */
function inject(table: string, op: 'INSERT' | 'UPDATE' | 'DELETE'): () => void {
  const name = `fail_${table}_${op.toLowerCase()}`;
  app.db.exec(`CREATE TEMP TRIGGER ${name} BEFORE ${op} ON main.${table} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
  return () => app.db.exec(`DROP TRIGGER temp.${name}`);
}

function flowRow(user: string): { state: string } | undefined {
  return app.db.prepare('SELECT state FROM flows WHERE user_id = ?').get(user) as { state: string } | undefined;
}

function atReview(user: string, municipalityId: string): void {
  new FlowStore(app.db).save({ platform: 'slack', workspace: 'T1', channel: 'C1', userId: user }, { flowId: 'checklist', flowVersion: 1, state: { s: { at: 'review', municipalityId, answers: ANSWERS } }, history: [], updatedAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
}

const submitEvent = (user: string, eventId: string): InboundEvent => ({ kind: 'action', actor: actor(user), action: 'flow:checklist:submit', value: '', eventId });

describe('one event, one transaction', () => {
  it('a submission whose flow end fails keeps nothing, gives the delivery back, and the retry writes one version', async () => {
    app.services.roles.bindMember('slack', 'UTX1', '鴻巣市', 'test');
    atReview('UTX1', '鴻巣市');
    const heal = inject('flows', 'DELETE');
    const failed = await app.engine.handle(submitEvent('UTX1', 'Ev-tx-1'));
    heal();
    expect(textOf(failed)).toContain('処理中に問題が起きました');
    expect(failed.failed).toBe(true);
    expect(app.services.checklists.history('鴻巣市')).toHaveLength(0);
    expect(JSON.parse(flowRow('UTX1')!.state).s.at).toBe('review');
    // the platform's retry of the same delivery is handled, not dropped as a duplicate
    const retried = await app.engine.handle(submitEvent('UTX1', 'Ev-tx-1'));
    expect(retried.duplicate).toBeUndefined();
    expect(textOf(retried)).toContain('鴻巣市 のチェックリストを受け付けました（第1版）');
    expect(flowRow('UTX1')).toBeUndefined();
    // a second retry (or a double click) never makes a second version
    await app.engine.handle(submitEvent('UTX1', 'Ev-tx-2'));
    expect(await app.engine.handle(submitEvent('UTX1', 'Ev-tx-1'))).toMatchObject({ duplicate: true });
    expect(app.services.checklists.history('鴻巣市')).toHaveLength(1);
  });

  it('a submission whose insert fails leaves the flow at the review', async () => {
    app.services.roles.bindMember('slack', 'UTX2', '深谷市', 'test');
    atReview('UTX2', '深谷市');
    const heal = inject('checklist_responses', 'INSERT');
    const failed = await app.engine.handle(submitEvent('UTX2', 'Ev-tx-3'));
    heal();
    expect(failed.failed).toBe(true);
    expect(app.services.checklists.history('深谷市')).toHaveLength(0);
    expect(JSON.parse(flowRow('UTX2')!.state).s.at).toBe('review');
    await app.engine.handle(submitEvent('UTX2', 'Ev-tx-3'));
    expect(app.services.checklists.history('深谷市')).toHaveLength(1);
  });

  it('a membership request whose flow end fails files no request; the retry files one', async () => {
    new FlowStore(app.db).save({ platform: 'slack', workspace: 'T1', channel: 'C1', userId: 'UTX3' }, { flowId: 'checklist', flowVersion: 1, state: { s: { at: 'bind', answers: { q1: {} } } }, history: [], updatedAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
    const pick: InboundEvent = { kind: 'action', actor: actor('UTX3'), action: 'flow:checklist:bind', value: '', values: ['上尾市'], eventId: 'Ev-tx-4' };
    const heal = inject('flows', 'DELETE');
    const failed = await app.engine.handle(pick);
    heal();
    expect(failed.failed).toBe(true);
    expect(app.services.membershipRequests.pendingOf('slack', 'UTX3')).toBeNull();
    expect(JSON.parse(flowRow('UTX3')!.state).s.at).toBe('bind');
    const retried = await app.engine.handle(pick);
    expect(textOf(retried)).toContain('上尾市 の担当者として申請しました');
    expect(app.services.membershipRequests.pending().filter((r) => r.userId === 'UTX3')).toHaveLength(1);
    expect(app.services.roles.of('slack', 'UTX3').role).toBe('guest');
  });

  it('a provider registration whose flow end fails files nothing; the retry files one', async () => {
    const state = { at: 'review', name: '移動販売テスト商店', orgType: '企業', categories: [{ categoryId: 'shopping', subcategoryId: 'shopping-4' }], wholePrefecture: true, areas: [], services: '週2回の移動販売', phone: '048-000-0000' };
    new FlowStore(app.db).save({ platform: 'slack', workspace: 'T1', channel: 'C1', userId: 'UTX5' }, { flowId: 'provider-register', flowVersion: 1, state: { s: state }, history: [], updatedAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
    const submit: InboundEvent = { kind: 'action', actor: actor('UTX5'), action: 'flow:provider-register:submit', value: '', eventId: 'Ev-tx-6' };
    const count = (): number => (app.db.prepare('SELECT COUNT(*) AS n FROM providers WHERE name = ?').get('移動販売テスト商店') as { n: number }).n;
    const heal = inject('flows', 'DELETE');
    const failed = await app.engine.handle(submit);
    heal();
    expect(failed.failed).toBe(true);
    expect(count()).toBe(0);
    expect(JSON.parse(flowRow('UTX5')!.state).s.at).toBe('review');
    const retried = await app.engine.handle(submit);
    expect(textOf(retried)).toContain('申込を受け付けました');
    expect(count()).toBe(1);
    expect(flowRow('UTX5')).toBeUndefined();
  });

  it('an approval whose role grant fails stays pending; the retry grants', async () => {
    const { request } = app.services.membershipRequests.request('slack', 'UTX4', '桶川市');
    const approve: InboundEvent = { kind: 'action', actor: actor('UADMIN'), action: 'membership:approve', value: String(request.id), eventId: 'Ev-tx-5' };
    const heal = inject('roles', 'INSERT');
    const failed = await app.engine.handle(approve);
    heal();
    expect(failed.failed).toBe(true);
    expect(app.services.membershipRequests.get(request.id)!.status).toBe('pending');
    expect(app.services.roles.of('slack', 'UTX4').role).toBe('guest');
    const retried = await app.engine.handle(approve);
    expect(textOf(retried)).toContain(`申請 #${request.id} を承認しました`);
    expect(app.services.roles.of('slack', 'UTX4')).toMatchObject({ role: 'member', municipalityId: '桶川市' });
  });
});
