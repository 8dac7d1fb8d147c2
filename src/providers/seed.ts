/**
 * The providers that ship with the product: only organisations the source documents name, with
 * what the documents say about them and where. A prefecture loads its real list by CSV import.
 */
import type { Taxonomy } from '../knowledge/schema.js';
import type { ProviderInput } from './model.js';
import { resolveCategory } from './model.js';
import type { ProviderStore } from './repository.js';

interface Seed extends Omit<ProviderInput, 'categories'> {
  subcategories: string[];
}

export const SEED_PROVIDERS: Seed[] = [
  {
    externalId: 'doc-welcia-gyoda',
    name: 'ウエルシア薬局株式会社（行田市）',
    reading: 'うえるしあやっきょく',
    orgType: '企業',
    subcategories: ['移動販売', '休憩スペース', '講座・教室・イベント'],
    wholePrefecture: false,
    areas: ['行田市'],
    description:
      '行田市において、ウエルカフェの運営および移動販売車「うえたん号」の運行を行っている。地域住民に対して交流の場・買い物支援・健康増進の機会を提供している（手引き P.27–28 より）。',
    services:
      'ウエルカフェ: 店舗内の地域協働コミュニティスペース。「休憩の場」「井戸端会議の場」として無料で開放。お薬講座・栄養サロン・介護予防教室・健康測定会・認知症サポーター養成講座・オレンジカフェ・子育て支援教室など。移動販売車「うえたん号」: 食品・生活日用品、化粧品、第一類医薬品を含む一般用医薬品を販売。店舗の薬剤師や管理栄養士等とのオンライン健康相談、キャッシュレス決済、収納代行など。',
    url: 'https://www.welcia-yakkyoku.co.jp/welcafe/top',
    source: '都道府県プラットフォーム構築の手引き Vol.2（令和8年3月）P.27–28「埼玉県行田市の事例」',
    status: 'approved',
  },
  {
    externalId: 'doc-yumetown-minamiyukuhashi',
    name: 'ゆめタウン南行橋店',
    reading: 'ゆめたうんみなみゆくはしてん',
    orgType: '企業',
    subcategories: ['その他(買物)', '認知症サポート企業'],
    wholePrefecture: false,
    areas: [],
    description: '「スローレジ」。認知症への取組みの拡大の可能性として、民間企業との協働の事例に挙げられている（令和2年度 調査研究報告書サマリーより）。',
    services: 'スローレジ',
    source: '令和2年度 自治体と民間企業の協働による都市部における地域づくりの展開に向けた調査研究 報告書 サマリー',
    status: 'approved',
  },
];

/** Adds the shipped entries once (by external id); never overwrites what a prefecture changed. */
export function seedProviders(store: ProviderStore, taxonomy: Taxonomy): void {
  for (const s of SEED_PROVIDERS) {
    if (s.externalId && store.existsExternalId(s.externalId)) continue;
    const categories = s.subcategories.map((name) => {
      const r = resolveCategory(taxonomy, name);
      if (!r?.subcategoryId) throw new Error(`seed: unknown subcategory ${name}`);
      return { categoryId: r.categoryId, subcategoryId: r.subcategoryId };
    });
    const { subcategories: _omit, ...rest } = s;
    void _omit;
    store.add({ ...rest, categories });
  }
}
