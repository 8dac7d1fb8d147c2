/** A provider as a short card: name and type, what it offers, where, and how to reach it. */
import type { Block } from '../engine/types.js';
import type { Ctx } from './context.js';
import { STATUS_LABEL, type Provider } from './model.js';

export function providerCard(ctx: Ctx, p: Provider): Block {
  const { taxonomy } = ctx.services.kb;
  const subs = p.categories.map((c) => taxonomy.categories.find((x) => x.id === c.categoryId)?.subcategories.find((s) => s.id === c.subcategoryId)?.name).filter(Boolean);
  const area = p.wholePrefecture ? '県内全域' : p.areas.length ? p.areas.join('、') : '（地域の記載なし）';
  const contact = [p.phone && `☎ ${p.phone}`, p.url, p.email].filter(Boolean).join('　') || '（連絡先の登録なし）';
  const offer = (p.services || p.description).replace(/\s+/g, ' ');
  return {
    type: 'text',
    text: [`■ ${p.name}（${p.orgType}）${p.status !== 'approved' ? `［${STATUS_LABEL[p.status]}］` : ''}`, `提供: ${subs.join('・')}`, `内容: ${offer.length > 120 ? `${offer.slice(0, 120)}…` : offer}`, `地域: ${area}`, `連絡先: ${contact}`, `情報源: ${p.source}`].join('\n'),
  };
}
