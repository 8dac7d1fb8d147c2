import { describe, expect, it } from 'vitest';
import { QuestionClassifier, readClassifier, saveClassifier, type LabelledQuestion } from '../../src/retrieval/question-classifier.js';
import { tempDir } from '../helpers/app.js';

// three passages, each with the ways people ask for it; words shared across passages (県, どう)
// must not decide, the words that tell them apart must
const labelled: LabelledQuestion[] = [
  ...['企業に声をかけるコツは？', '企業へのアプローチはどうする？', '民間企業と組むきっかけは？', '企業に連携を持ちかけたい'].map((question) => ({ passage: 0, question })),
  ...['研修の中身はどう決める？', '県の研修で何を教える？', '研修の講師は誰に頼む？', 'SC向けの研修を企画したい'].map((question) => ({ passage: 1, question })),
  ...['協議体ってどんな場？', '協議体の会議は誰が出る？', '協議体の進め方は？', '県は協議体にどう関わる？'].map((question) => ({ passage: 2, question })),
];

function best(scores: Float64Array | undefined): number {
  if (!scores) return -1;
  return Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!)[0]!;
}

describe('question classifier', () => {
  const classifier = QuestionClassifier.train(labelled, 4);

  it('sends a new wording to the passage whose questions share its telling words', () => {
    expect(best(classifier.scores('企業にどう声をかけたらいい？'))).toBe(0);
    expect(best(classifier.scores('研修は誰に頼めばいい？'))).toBe(1);
    expect(best(classifier.scores('協議体には誰が出るの？'))).toBe(2);
  });

  it('gives a probability to every passage, one with no questions included, summing to one', () => {
    const scores = classifier.scores('研修の中身')!;
    expect(scores).toHaveLength(4);
    expect(scores.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
    expect(scores[3]!).toBeLessThan(scores[1]!);
  });

  it('has nothing to say about a question with no word it learnt', () => {
    expect(classifier.scores('今日の天気')).toBeUndefined();
  });

  it('learns the same model from the same questions (a rebuild does not change the ranking)', () => {
    const again = QuestionClassifier.train(labelled, 4);
    expect(Array.from(again.model.weights)).toEqual(Array.from(classifier.model.weights));
  });

  it('keeps the rare terms of questions marked so (a local document\'s sentences), and only those', () => {
    const local = { passage: 3, question: 'みどり町の買い物送迎バス', keepTerms: true };
    expect(best(QuestionClassifier.train([...labelled, local], 4).scores('みどり町のこと'))).toBe(3);
    expect(QuestionClassifier.train([...labelled, { ...local, keepTerms: false }], 4).scores('みどり町のこと')).toBeUndefined();
  });

  it('reads back what it saved, scoring alike', () => {
    const dir = tempDir();
    saveClassifier(dir, classifier.model);
    const read = readClassifier(dir);
    expect(Array.from(read.scores('協議体の進め方')!)).toEqual(Array.from(classifier.scores('協議体の進め方')!));
  });
});
