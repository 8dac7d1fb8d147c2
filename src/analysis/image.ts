/**
 * A chart as a reply: the PNG with its alt text and its bars (for the terminal), or, when drawing
 * fails, a short note (the same figures are always in the text replies beside it).
 */
import type { Reply } from '../engine/types.js';
import type { ChartPlan } from './charts.js';
import type { Ctx } from './context.js';
import { renderChart, MAX_CHART_BYTES } from './render.js';
import { ANALYSIS } from '../messages/analysis.js';

/** Draws `plan` and returns it as a reply with the PNG, its alt text and bars, under `caption`. */
export async function chartReply(ctx: Ctx, plan: ChartPlan, fileName: string, caption: string): Promise<Reply> {
  try {
    const started = Date.now();
    const chart = await renderChart(plan.spec);
    ctx.services.logger.info({ chart: fileName, ms: Date.now() - started, bytes: chart.png.length, width: chart.width, height: chart.height }, 'グラフ画像を作りました');
    if (chart.png.length > MAX_CHART_BYTES) throw new Error(`chart too large: ${chart.png.length} bytes`);
    return { blocks: [{ type: 'context', text: caption }], file: { name: fileName, mime: 'image/png', data: chart.png, alt: plan.alt, bars: plan.bars } };
  } catch (error) {
    ctx.services.logger.error({ err: error, chart: fileName }, 'グラフ画像を作れませんでした');
    return { blocks: [{ type: 'context', text: ANALYSIS.imageFailed }] };
  }
}
