/**
 * The checklist flow's saved state: where the user is (which question, or the review), the
 * municipality answered for, and the answers so far. Saved after every step (the flow runtime).
 */
import { z } from 'zod';
import { flowAction } from '../engine/flow.js';
import { YesNo } from './model.js';

export const ID = 'checklist';
export const act = (name: string): string => flowAction(ID, name);

const Choice = z.object({ options: z.array(z.string()), other: z.string().optional() });
const Steps = ['bind', 'bind-reading', 'q1a', 'q1b', 'q1c', 'q2', 'q3', 'q3other', 'q4', 'q4other', 'review'] as const;
export const State = z.object({
  at: z.enum(Steps),
  municipalityId: z.string().optional(),
  pendingName: z.string().optional(),
  answers: z.object({
    q1: z.object({ q1a: YesNo.optional(), q1b: YesNo.optional(), q1c: YesNo.optional() }),
    q2: z.string().optional(),
    q3: Choice.optional(),
    q4: Choice.optional(),
  }),
  editing: z.boolean().optional(),
});
export type ChecklistState = z.infer<typeof State>;
export type At = ChecklistState['at'];
