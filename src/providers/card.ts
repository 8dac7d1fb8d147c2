/** A provider as a short card: name and type, what it offers, where, and how to reach it. */
import type { Block } from '../engine/types.js';
import type { Ctx } from './context.js';
import { STATUS_LABEL, type Provider } from './model.js';
import { PROVIDERS } from '../messages/providers.js';

export function providerCard(ctx: Ctx, p: Provider): Block {
  const { taxonomy } = ctx.services.kb;
  const subs = p.categories.map((c) => taxonomy.categories.find((x) => x.id === c.categoryId)?.subcategories.find((s) => s.id === c.subcategoryId)?.name).filter(Boolean);
  const area = p.wholePrefecture ? PROVIDERS.wholePrefecture : p.areas.length ? p.areas.join('、') : PROVIDERS.noArea;
  const contact = [p.phone && `☎ ${p.phone}`, p.url, p.email].filter(Boolean).join('　') || PROVIDERS.noContact;
  const offer = (p.services || p.description).replace(/\s+/g, ' ');
  return {
    type: 'text',
    text: [`■ ${p.name}（${p.orgType}）${p.status !== 'approved' ? `［${STATUS_LABEL[p.status]}］` : ''}`, PROVIDERS.cardOffers(subs.join('・')), ...(offer.trim() ? [PROVIDERS.cardContent(offer)] : []), PROVIDERS.cardArea(area), PROVIDERS.cardContact(contact), PROVIDERS.cardSource(p.source)].join('\n'),
  };
}
