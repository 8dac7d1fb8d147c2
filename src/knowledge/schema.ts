/**
 * zod schemas for everything under knowledge/. The loader validates every file against these, so
 * a broken record fails ingest with the file, the record and the reason instead of reaching users.
 */
import { z } from 'zod';

/** The header every document carries (front matter of a Markdown or text file). */
export const DocumentHeaderSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id は半角英小文字・数字・ハイフンで書いてください'),
  title: z.string().min(1),
  shortTitle: z.string().min(1).optional(),
  publisher: z.string().min(1),
  date: z.string().min(1),
  edition: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  url: z.string().url().optional(),
  paged: z.enum(['true', 'false']).optional(),
  omitted: z.string().optional(),
});
export type DocumentHeader = z.infer<typeof DocumentHeaderSchema>;

const QuoteList = z.array(z.string().min(1));

export const FaqSchema = z.object({
  id: z.string().regex(/^Q\d{1,2}$/),
  number: z.number().int().min(1),
  viewpoint: z.number().int().min(1).max(3),
  viewpointTitle: z.string().min(1),
  worry: z.string().min(1).nullable(),
  question: z.string().min(1),
  page: z.number().int().positive(),
  sectionId: z.string().min(1),
  keyPoints: QuoteList.min(1),
  solutions: QuoteList,
  details: z.array(z.object({ title: z.string().min(1), page: z.number().int().positive() })),
  references: z.array(z.object({ title: z.string().min(1), url: z.string().url().optional() })),
});
export type Faq = z.infer<typeof FaqSchema>;
export const FaqFileSchema = z.object({ items: z.array(FaqSchema) }).passthrough();

const StepRef = z.object({ kind: z.enum(['step', 'function', 'faq', 'case']), id: z.string().min(1) });
export type KnowledgeRef = z.infer<typeof StepRef>;

export const StepSchema = z.object({
  id: z.string().regex(/^step-[123]$/),
  number: z.number().int().min(1).max(3),
  title: z.string().min(1),
  page: z.number().int().positive(),
  sectionId: z.string().min(1),
  startWhen: z.string().min(1),
  prefectureWish: z.string().min(1),
  purpose: z.string().min(1),
  why: z.string().min(1),
  currentState: z.array(z.object({ who: z.string().min(1), text: z.string().min(1) })).min(1),
  subSteps: z.array(
    z.object({
      id: z.string().regex(/^\d-\d$/),
      title: z.string().min(1),
      action: z.string().min(1),
      how: z.string().min(1),
      page: z.number().int().positive(),
      sectionId: z.string().min(1),
    }),
  ),
  doneWhen: z.string().min(1),
  afterState: z.string().min(1),
  relatedFaq: z.array(z.string().regex(/^Q\d{1,2}$/)),
  relatedCases: z.array(z.string().min(1)),
});
export type Step = z.infer<typeof StepSchema>;
export const StepFileSchema = z.object({ items: z.array(StepSchema).length(3) });

export const FunctionValueSchema = z.object({ id: z.string().regex(/^v\d$/), label: z.string().min(1) });
export const PlatformFunctionSchema = z.object({
  id: z.string().regex(/^[a-z-]+$/),
  name: z.string().min(1),
  shortName: z.string().min(1),
  page: z.number().int().positive(),
  sectionId: z.string().min(1),
  lead: z.string().min(1),
  value: z.string().min(1),
  matrix: z.record(z.string(), z.enum(['main', 'possible'])),
  targetSteps: z.array(z.number().int().min(1).max(3)).min(1),
  targetStepsEvidence: QuoteList.min(1),
  checklistOption: z.string().min(1),
  exampleCases: z.array(z.string().min(1)),
});
export type PlatformFunction = z.infer<typeof PlatformFunctionSchema>;
export const FunctionFileSchema = z.object({
  values: z.array(FunctionValueSchema).min(1),
  items: z.array(PlatformFunctionSchema).length(6),
});

export const CaseSchema = z.object({
  id: z.string().regex(/^case-[a-z0-9-]+$/),
  title: z.string().min(1),
  prefecture: z.string().min(1).nullable(),
  municipality: z.string().min(1).optional(),
  place: z.string().min(1),
  placeNote: z.string().optional(),
  actors: z.array(z.string().min(1)).min(1),
  functions: z.array(z.string().min(1)),
  themes: z.array(z.string().min(1)).min(1),
  summary: z.string().min(1),
  facts: QuoteList.min(1),
  source: z.string().min(1),
  page: z.number().int().positive().nullable(),
  sectionId: z.string().min(1),
});
export type CaseRecord = z.infer<typeof CaseSchema>;
export const CaseFileSchema = z.object({ themes: z.array(z.string().min(1)).min(1), items: z.array(CaseSchema).min(1) });

const ChecklistOption = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  freeText: z.boolean().optional(),
  exclusive: z.boolean().optional(),
  function: z.string().optional(),
});
export type ChecklistOptionDef = z.infer<typeof ChecklistOption>;
export const ChecklistTemplateSchema = z.object({
  title: z.string().min(1),
  figure: z.string().min(1),
  page: z.number().int().positive(),
  sectionId: z.string().min(1),
  q1: z.object({
    prompt: z.string().min(1),
    steps: z.array(z.object({ id: z.enum(['q1a', 'q1b', 'q1c']), text: z.string().min(1) })).length(3),
  }),
  q2: z.object({ prompt: z.string().min(1), maxLength: z.number().int().positive() }),
  q3: z.object({ prompt: z.string().min(1), options: z.array(ChecklistOption).min(2) }),
  q4: z.object({ prompt: z.string().min(1), options: z.array(ChecklistOption).min(2) }),
  stages: z
    .array(z.object({ id: z.string().min(1), label: z.string().min(1), when: z.string().min(1), advice: z.string().min(1), refs: z.array(StepRef) }))
    .length(4),
  difficultyAdvice: z.array(z.object({ option: z.string().min(1), advice: z.string().min(1), refs: z.array(StepRef) })),
  groups: z
    .array(z.object({ id: z.enum(['not-started', 'struggling', 'progressing']), label: z.string().min(1), rule: z.string().min(1), support: z.string().min(1), refs: z.array(StepRef) }))
    .length(3),
});
export type ChecklistTemplate = z.infer<typeof ChecklistTemplateSchema>;

export const TaxonomySchema = z.object({
  source: z.string().min(1),
  page: z.number().int().positive(),
  sectionId: z.string().min(1),
  note: z.string(),
  categories: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z-]+$/),
        name: z.string().min(1),
        subcategories: z.array(z.object({ id: z.string().regex(/^[a-z-]+-\d+$/), name: z.string().min(1) })).min(1),
      }),
    )
    .length(8),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;

export const GlossarySchema = z.object({
  note: z.string().optional(),
  groups: z
    .array(
      z.object({
        kind: z.enum(['abbreviation', 'synonym', 'variant', 'reading', 'colloquial', 'english']),
        terms: z.array(z.string().min(1)).min(2),
        wholeWord: z.array(z.string().min(1)).optional(),
        /** Where the documents define or introduce the term: a document id and a verbatim quote. */
        definition: z.object({ doc: z.string().min(1), quote: z.string().min(4) }).optional(),
      }),
    )
    .min(1),
});
export type Glossary = z.infer<typeof GlossarySchema>;

/** A question variant: what a user would type, at most this long. */
export const MAX_VARIANT_CHARS = 160;

/**
 * Question variants (想定質問): for each searchable passage, the questions users would type that it
 * answers, written from the passage's own content in everyday words. Indexed as a field of their
 * own, never shown or cited. `notTargets` lists passages that can never answer a question
 * (bibliography, imprint), each with the reason.
 */
export const QuestionVariantsSchema = z.object({
  note: z.string().optional(),
  variants: z.record(z.string().min(1), z.array(z.string().trim().min(2).max(MAX_VARIANT_CHARS)).min(1).max(20)),
  notTargets: z.record(z.string().min(1), z.string().min(1)).default({}),
});
export type QuestionVariants = z.infer<typeof QuestionVariantsSchema>;
