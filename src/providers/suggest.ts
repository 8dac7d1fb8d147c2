/** The nearest valid names for a mistyped one (「宇宙旅行」, 「移動販賣」), by character bigram overlap. */

function grams(s: string): Set<string> {
  const chars = [...s.normalize('NFKC')];
  if (chars.length < 2) return new Set(chars);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/** Up to `max` names sharing the most with `value` (Dice coefficient over bigrams and characters), best first. */
export function nearest(value: string, names: readonly string[], max = 3): string[] {
  const g = grams(value);
  const chars = new Set(value.normalize('NFKC'));
  const scored = names.map((name) => {
    const h = grams(name);
    let shared = 0;
    for (const x of g) if (h.has(x)) shared++;
    let sharedChars = 0;
    const hc = new Set(name);
    for (const c of chars) if (hc.has(c)) sharedChars++;
    return { name, score: (2 * shared) / (g.size + h.size || 1) + (sharedChars / (chars.size + hc.size || 1)) * 0.5 };
  });
  return [...new Set(scored.filter((s) => s.score > 0.15).sort((a, b) => b.score - a.score).map((s) => s.name))].slice(0, max);
}
