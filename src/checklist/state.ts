/**
 * The checklist flow's saved state: where the user is (a step of the definition, or the review),
 * the municipality answered for, the answers so far, and the version of the definition they were
 * given under. Saved after every step (the flow runtime). States saved before definitions existed
 * have no `defVersion`: they were 図6.
 */
import { z } from 'zod';
import { flowAction } from '../engine/flow-definition.js';
import { TEMPLATE_VERSION } from './definition/load.js';

export const ID = 'checklist';
export const act = (name: string): string => flowAction(ID, name);

export const State = z.object({
  /** 'bind', 'bind-reading', 'review', or a step of the definition (`q1a`, `q2`, `q3other` …). */
  at: z.string().min(1),
  municipalityId: z.string().optional(),
  pendingName: z.string().optional(),
  answers: z.record(z.string(), z.unknown()),
  editing: z.boolean().optional(),
  defVersion: z.string().default(TEMPLATE_VERSION),
  /** An admin's walk through the definition: nothing is stored. */
  preview: z.boolean().optional(),
});
export type ChecklistState = z.infer<typeof State>;
