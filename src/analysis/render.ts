/**
 * Chart specs (Vega-Lite) to SVG and PNG on the server, without a browser or a download:
 *
 * - Vega-Lite compiles the spec; Vega's headless view renders it to an SVG string
 *   (https://vega.github.io/vega/usage/#view-toSVG). Without a canvas, Vega estimates text widths;
 *   its estimate counts every character as narrow, so Japanese labels are measured here instead
 *   (a full-width character is one em).
 * - @resvg/resvg-js rasterises the SVG (prebuilt per platform in its npm packages). It lays out
 *   text itself, with only the fonts it is given: Noto Sans JP Regular from
 *   @expo-google-fonts/noto-sans-jp (SIL OFL 1.1), one weight. resvg shapes every text element
 *   with the whole font, which costs milliseconds per label with a 5 MB CJK font: the font is
 *   first cut down (subset-font, HarfBuzz's hb-subset in WebAssembly) to the characters the chart
 *   uses, which makes rasterising twenty times faster. resvg-js reads fonts from files only (its
 *   fontBuffers option is for the WebAssembly build), so a subset is written to a temporary
 *   folder of this process, removed at exit. Subsets are cached by character set.
 *
 * The libraries are imported on first use, so the bot starts as fast as before.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

/** The font every chart uses (its family name inside the font file). */
export const CHART_FONT = 'Noto Sans JP';
const FONT_FILE = '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf';

/** Slack (1 GB) and Discord (10 MB without boost) accept far more; a chart stays well under 2 MB. */
export const MAX_CHART_BYTES = 2 * 1024 * 1024;

export interface RenderedChart {
  svg: string;
  png: Buffer;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
  /** Milliseconds spent drawing the SVG (Vega) and rasterising it (font subset and resvg). */
  ms: { svg: number; png: number };
}

export interface RenderOptions {
  /** Pixels per SVG unit. 1.5 keeps 10-point labels sharp in Slack and Discord previews; 2 costs about twice the rasterising time (bench/gaps.bench.ts). */
  scale?: number;
}

type Libraries = {
  vega: typeof import('vega');
  compile: typeof import('vega-lite').compile;
  renderAsync: typeof import('@resvg/resvg-js').renderAsync;
  subset: (font: Buffer, text: string, options: { targetFormat: 'truetype' }) => Promise<Buffer>;
  font: Buffer;
};

let libraries: Promise<Libraries> | null = null;

/** Full-width characters (kana, kanji, full-width forms and symbols) take one em; others about half. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x2e80 || (c >= 0x2460 && c <= 0x27bf)) em += 1;
    else if (ch === ' ') em += 0.3;
    else if (/[0-9]/.test(ch)) em += 0.56;
    else em += 0.6;
  }
  return em * fontSize;
}

async function load(): Promise<Libraries> {
  const [vega, vl, resvg, subsetFont] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js'), import('subset-font')]);
  // vega re-exports vega-scenegraph's textMetrics and fontSize, which its types leave out
  const scenegraph = vega as unknown as { textMetrics: { width: (item: unknown, text?: unknown) => number }; fontSize: (item: unknown) => number };
  scenegraph.textMetrics.width = (item, text) => {
    const t = text ?? (item as { text?: unknown }).text;
    const lines = Array.isArray(t) ? t.map(String) : [String(t ?? '')];
    return Math.max(0, ...lines.map((l) => estimateTextWidth(l, scenegraph.fontSize(item))));
  };
  const font = readFileSync(createRequire(import.meta.url).resolve(FONT_FILE));
  return { vega, compile: vl.compile, renderAsync: resvg.renderAsync, subset: subsetFont.default as Libraries['subset'], font };
}

const subsets = new Map<string, Promise<string>>();
let subsetDir: string | null = null;

/** A font file cut down to these characters (and digits, so a changed count reuses it). */
function fontFor(lib: Libraries, chars: string): Promise<string> {
  const key = [...new Set(`${chars}0123456789`)].sort().join('');
  let hit = subsets.get(key);
  if (!hit) {
    hit = lib.subset(lib.font, key, { targetFormat: 'truetype' }).then((data) => {
      if (!subsetDir) {
        const dir = mkdtempSync(join(tmpdir(), 'pf-charts-'));
        subsetDir = dir;
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      }
      const file = join(subsetDir, `font-${subsets.size}-${Date.now()}.ttf`);
      writeFileSync(file, data);
      return file;
    });
    subsets.set(key, hit);
    // a few recent character sets: every chart of one prefecture uses much the same characters
    if (subsets.size > 8) {
      const oldest = subsets.keys().next().value!;
      void subsets.get(oldest)!.then((f) => rmSync(f, { force: true })).catch(() => undefined);
      subsets.delete(oldest);
    }
  }
  return hit;
}

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Renders a Vega-Lite spec to SVG and PNG. */
export async function renderChart(spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderedChart> {
  libraries ??= load();
  const lib = await libraries;
  const started = performance.now();
  const vgSpec = lib.compile(spec).spec;
  // data is inline: a loader that fetches nothing, so a spec can never reach the network
  const loader = lib.vega.loader();
  loader.load = () => Promise.reject(new Error('charts use inline data only'));
  const view = new lib.vega.View(lib.vega.parse(vgSpec, { font: CHART_FONT } as never), { renderer: 'none', loader });
  const svg = await view.toSVG(options.scale ?? 1.5);
  view.finalize();
  const drawn = performance.now();
  const texts = [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => decode(m[1]!.replace(/<[^>]*>/g, ''))).join('');
  const font = await fontFor(lib, texts);
  // renderAsync, not new Resvg(): the Resvg object's native memory is never given back in
  // resvg-js 2.6 (RSS grew 1.5 to 1.9 MB per chart here, thx/resvg-js#216), while renderAsync
  // keeps the tree on the Rust side and drops it (RSS flat over 160 charts); it also runs on
  // libuv's thread pool, so the bot keeps acknowledging Slack and Discord while it draws
  const image = await lib.renderAsync(svg, { font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: CHART_FONT }, background: 'white' });
  const png = image.asPng();
  return { svg, png, width: image.width, height: image.height, ms: { svg: drawn - started, png: performance.now() - drawn } };
}
