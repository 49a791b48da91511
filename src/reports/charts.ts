/**
 * Charts as PNG files, rendered on the server with no browser, DOM or canvas: Apache ECharts draws the chart as an
 * SVG string in its server-side mode (`ssr: true`, `renderToSVGString`), and resvg (Rust, through `@resvg/resvg-js`)
 * turns the SVG into a PNG on a worker thread (`renderAsync`), so a report never blocks the event loop.
 *
 * Text is drawn with DejaVu Sans from the `dejavu-fonts-ttf` package, loaded by path with the system fonts off: the
 * slim Docker image has no fonts, and a PNG made here looks the same on a laptop, in CI and in production, accents
 * of pt-BR included. (The `@fontsource/*` packages ship WOFF2 only, which resvg does not read.)
 *
 * Both libraries are loaded on the first chart, not at start-up: ECharts alone takes about a second to import, which
 * every process and test would pay for a chart it may never draw.
 */
import { createRequire } from 'node:module';
import type { Attachment } from '../core/message.ts';
import type { AccuracyChart, ChartRenderer } from '../core/ports/charts.port.ts';

/** The image's size in pixels: wide enough for 48 lessons on the x-axis, small enough to stay a few tens of KB. */
export const chartSize = { width: 1000, height: 500 } as const;

const fontFamily = 'DejaVu Sans';
const require = createRequire(import.meta.url);
/** The TrueType files resvg reads (regular for labels, bold for the title). */
export const chartFontFiles: readonly string[] = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/**
 * Okabe–Ito colours (readable with the common colour-vision deficiencies), in series order; the reference series
 * (current accuracy) is drawn dark grey and dashed.
 */
const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const referenceColor = '#555555';

type EChartsModules = Awaited<ReturnType<typeof loadECharts>>;
let echartsModules: Promise<EChartsModules> | undefined;

async function loadECharts() {
  // The tree-shaken entry points: only the line chart, its components and the SVG renderer are loaded.
  const [core, charts, components, renderers] = await Promise.all([
    import('echarts/core'),
    import('echarts/charts'),
    import('echarts/components'),
    import('echarts/renderers'),
  ]);
  core.use([
    charts.LineChart,
    components.GridComponent,
    components.LegendComponent,
    components.TitleComponent,
    renderers.SVGRenderer,
  ]);
  return core;
}

/** The ECharts option of an accuracy chart: shares become percentages, missing data stays a gap. */
export function accuracyChartOption(chart: AccuracyChart): Record<string, unknown> {
  let colour = 0;
  const series = chart.series.map((entry) => {
    const data = entry.values.map((value) => (value === null ? null : Math.round(value * 1000) / 10));
    if (entry.reference) {
      return {
        type: 'line',
        name: entry.label,
        data,
        connectNulls: true,
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 2, color: referenceColor },
        itemStyle: { color: referenceColor },
        z: 1,
      };
    }
    const color = palette[colour++ % palette.length];
    return {
      type: 'line',
      name: entry.label,
      data,
      connectNulls: false,
      symbol: 'circle',
      symbolSize: 7,
      lineStyle: { width: 2, color },
      itemStyle: { color },
      z: 2,
    };
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily, color: '#222222' },
    title: {
      text: chart.title,
      left: 'center',
      top: 12,
      textStyle: { fontFamily, fontSize: 18, fontWeight: 'bold', color: '#222222' },
    },
    legend: { bottom: 10, type: 'plain', itemGap: 18, textStyle: { fontFamily, fontSize: 12 } },
    grid: { left: 80, right: 40, top: 70, bottom: 100 },
    xAxis: {
      type: 'category',
      data: [...chart.categories],
      name: chart.xTitle,
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: { fontFamily, fontSize: 13 },
      axisLabel: { fontFamily, fontSize: 11, interval: 0, hideOverlap: true },
      boundaryGap: true,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 20,
      name: chart.yTitle,
      nameLocation: 'middle',
      nameGap: 50,
      nameTextStyle: { fontFamily, fontSize: 13 },
      axisLabel: { fontFamily, fontSize: 11, formatter: '{value}%' },
    },
    series,
  };
}

/** The accuracy chart as an SVG string (ECharts' server-side rendering). */
export async function accuracyChartSvg(chart: AccuracyChart): Promise<string> {
  echartsModules ??= loadECharts();
  const echarts = await echartsModules;
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, ...chartSize });
  try {
    instance.setOption(accuracyChartOption(chart));
    return instance.renderToSVGString();
  } finally {
    // Frees the instance; an SSR instance left alive keeps zrender's frame loop (and so the process) running.
    instance.dispose();
  }
}

/** An SVG as a PNG, drawn by resvg with the bundled font only. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, {
    background: '#ffffff',
    fitTo: { mode: 'original' },
    font: {
      fontFiles: [...chartFontFiles],
      loadSystemFonts: false,
      defaultFontFamily: fontFamily,
      sansSerifFamily: fontFamily,
      serifFamily: fontFamily,
      monospaceFamily: fontFamily,
    },
    logLevel: 'off',
  });
  return new Uint8Array(image.asPng());
}

/** The renderer the app hands to the commands and jobs (`services.charts`). */
export class ServerChartRenderer implements ChartRenderer {
  async accuracyChart(chart: AccuracyChart): Promise<Attachment> {
    const data = await svgToPng(await accuracyChartSvg(chart));
    return { filename: chart.filename, mimeType: 'image/png', data, title: chart.alt };
  }
}
