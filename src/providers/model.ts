/**
 * A provider (多様な主体) in the directory, validated against the taxonomy of 埼玉県's
 * プラチナ・サポート・ショップ (8 categories and their sub-categories, handbook P.26).
 */
import { z } from 'zod';
import type { Taxonomy } from '../knowledge/schema.js';
import { PROVIDERS } from '../messages/providers.js';

export const ORG_TYPES = ['企業', 'NPO法人', '社会福祉法人', '協同組合', '農村RMO', 'ボランティア団体', 'その他'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const PROVIDER_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];
export const STATUS_LABEL: Record<ProviderStatus, string> = { pending: '承認待ち', approved: '掲載中', rejected: '却下', withdrawn: '取り下げ' };

export const MAX_TEXT = 2000;

export const ProviderInputSchema = z.object({
  externalId: z.string().trim().max(100).optional(),
  name: z.string().trim().min(1, PROVIDERS.nameEmpty).max(200, PROVIDERS.nameTooLong),
  reading: z.string().trim().max(200).optional(),
  orgType: z.enum(ORG_TYPES, { message: PROVIDERS.orgTypeInvalid(ORG_TYPES.join('／')) }),
  categories: z.array(z.object({ categoryId: z.string(), subcategoryId: z.string() })).min(1, PROVIDERS.categoryRequired),
  wholePrefecture: z.boolean(),
  areas: z.array(z.string().trim().min(1)).max(200),
  address: z.string().trim().max(300).optional(),
  description: z.string().trim().max(MAX_TEXT, PROVIDERS.descriptionTooLong(MAX_TEXT)).default(''),
  services: z.string().trim().max(MAX_TEXT, PROVIDERS.servicesTooLong(MAX_TEXT)).default(''),
  phone: z.string().trim().max(30).regex(/^[0-9０-９()（）+\-‐ー－ ]*$/, PROVIDERS.phoneInvalid).optional(),
  url: z.string().trim().max(500).regex(/^https?:\/\/\S+$/, PROVIDERS.urlInvalid).optional(),
  email: z.string().trim().max(200).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, PROVIDERS.emailInvalid).optional(),
  source: z.string().trim().min(1).max(300),
  status: z.enum(PROVIDER_STATUSES).default('pending'),
});
export type ProviderInput = z.infer<typeof ProviderInputSchema>;

export interface Provider extends ProviderInput {
  id: number;
  reviewNote: string | null;
  submittedPlatform: string | null;
  submittedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Checks the category pairs against the taxonomy; returns a Japanese reason or null. */
export function checkCategories(taxonomy: Taxonomy, categories: ProviderInput['categories']): string | null {
  for (const c of categories) {
    const cat = taxonomy.categories.find((x) => x.id === c.categoryId);
    if (!cat) return PROVIDERS.categoryUnknown(c.categoryId);
    if (!cat.subcategories.some((s) => s.id === c.subcategoryId)) return PROVIDERS.subcategoryUnknown(cat.name, c.subcategoryId);
  }
  return null;
}

/** Autocomplete for a category: every category and sub-category name containing what is typed. */
export function completeCategory(taxonomy: Taxonomy, typed: string): string[] {
  const candidates = taxonomy.categories.flatMap((c) => [c.name, ...c.subcategories.map((s) => s.name)]);
  return candidates.filter((c) => !typed || c.includes(typed));
}

/** Finds category / sub-category by name (「移動販売」「買物」「買い物」), for typed input and CSV. */
export function resolveCategory(taxonomy: Taxonomy, name: string): { categoryId: string; subcategoryId?: string } | null {
  const n = name.normalize('NFKC').trim().replace(/買い物/g, '買物');
  if (!n) return null;
  for (const c of taxonomy.categories) {
    const sub = c.subcategories.find((s) => s.name === n || s.name.replace(/\(.*?\)$/, '') === n);
    if (sub) return { categoryId: c.id, subcategoryId: sub.id };
  }
  const cat = taxonomy.categories.find((c) => c.name === n || c.name.split('・').includes(n));
  if (cat) return { categoryId: cat.id };
  const partialCat = n.length >= 2 ? taxonomy.categories.find((c) => c.name.includes(n)) : undefined;
  if (partialCat) return { categoryId: partialCat.id };
  for (const c of taxonomy.categories) {
    const sub = c.subcategories.find((s) => n.length >= 2 && s.name.includes(n));
    if (sub) return { categoryId: c.id, subcategoryId: sub.id };
  }
  return null;
}
