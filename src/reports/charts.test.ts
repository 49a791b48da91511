/**
 * The chart renderer on its own: a real PNG from ECharts (SVG, server-side) and resvg with the bundled font, decoded
 * again with pngjs to check its size, that it is not blank, and that text (accents of pt-BR included) is drawn.
 */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { AccuracyChart } from '../core/ports/charts.port.ts';
import { accuracyChartSvg, chartFontFiles, chartSize, ServerChartRenderer, svgToPng } from './charts.ts';

const renderer = new ServerChartRenderer();

function chart(overrides: Partial<AccuracyChart> = {}): AccuracyChart {
  const categories = Array.from({ length: 12 }, (_, i) => String(i + 1));
  const week = (from: number, to: number, value: (i: number) => number) =>
    categories.map((_, i) => (i >= from && i < to ? value(i) : null));
  return {
    title: 'Acerto de primeira por lição e semana · ops-2026',
    categories,
    series: [
      { label: '2026-W10', values: week(0, 5, (i) => 0.5 + 0.1 * (i % 3)) },
      { label: '2026-W11', values: week(4, 10, (i) => 0.3 + 0.05 * i) },
      { label: 'Agora (depois das revisões)', values: week(0, 10, () => 0.8), reference: true },
    ],
    xTitle: 'Lição',
    yTitle: 'Acerto de primeira (%)',
    filename: 'relatorio-ops-2026-2026-03-10.png',
    alt: 'Gráfico de linhas',
    ...overrides,
  };
}

/** Pixels that are not (nearly) white inside a rectangle of a decoded PNG. */
function inked(png: PNG, box = { x: 0, y: 0, width: png.width, height: png.height }): number {
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * png.width + x) * 4;
      if ((png.data[i] ?? 255) < 200 || (png.data[i + 1] ?? 255) < 200 || (png.data[i + 2] ?? 255) < 200) count++;
    }
  }
  return count;
}

describe('chart renderer', () => {
  it('GIVEN an accuracy chart THEN it is a PNG of the chart size, a few tens of KB, with lines drawn', async () => {
    const file = await renderer.accuracyChart(chart());
    expect(file).toMatchObject({ filename: 'relatorio-ops-2026-2026-03-10.png', mimeType: 'image/png' });
    expect(file.title).toBe('Gráfico de linhas');
    // The PNG signature, then IHDR with the width and height.
    expect([...file.data.slice(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(file.data.byteLength).toBeGreaterThan(5_000);
    expect(file.data.byteLength).toBeLessThan(500_000);
    const png = PNG.sync.read(Buffer.from(file.data));
    expect({ width: png.width, height: png.height }).toEqual(chartSize);
    // Axes, grid, lines, legend and text: a real drawing, not a blank page, yet mostly white background.
    const ink = inked(png);
    expect(ink).toBeGreaterThan(5_000);
    expect(ink).toBeLessThan((png.width * png.height) / 2);
    // The series' own colours (Okabe–Ito blue and orange) are there.
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    expect(colours.has('0,114,178')).toBe(true);
    expect(colours.has('230,159,0')).toBe(true);
  });

  it('GIVEN pt-BR text with accents THEN the bundled font draws it: accented title differs from the plain one, and text is drawn at all', async () => {
    expect(chartFontFiles.every((path) => path.endsWith('.ttf'))).toBe(true);
    const titleBox = { x: 0, y: 0, width: chartSize.width, height: 45 };
    const decode = async (title: string) =>
      PNG.sync.read(Buffer.from((await renderer.accuracyChart(chart({ title }))).data));
    const accented = await decode('Lição ação ÇÃÕÉ');
    const plain = await decode('Licao acao CAOE');
    const empty = await decode('');
    expect(inked(empty, titleBox)).toBe(0);
    expect(inked(plain, titleBox)).toBeGreaterThan(200);
    // Cedillas, tildes and acute accents add ink above and below the same letters.
    expect(inked(accented, titleBox)).toBeGreaterThan(inked(plain, titleBox) + 20);
  });

  it('GIVEN a title with markup characters THEN the SVG escapes them and still renders', async () => {
    const svg = await accuracyChartSvg(chart({ title: 'A & B <script>' }));
    expect(svg).toContain('A &amp; B &lt;script&gt;');
    expect(svg).not.toContain('<script>');
    const png = PNG.sync.read(Buffer.from(await svgToPng(svg)));
    expect(png.width).toBe(chartSize.width);
  });

  it('GIVEN series with no data at all THEN the chart still renders (axes only)', async () => {
    const file = await renderer.accuracyChart(
      chart({ series: [{ label: '2026-W10', values: Array.from({ length: 12 }, () => null) }] }),
    );
    expect(PNG.sync.read(Buffer.from(file.data)).height).toBe(chartSize.height);
  });
});
