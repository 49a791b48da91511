/**
 * Charts as image files, rendered on the server (`src/reports/charts.ts` implements it; the core only describes the
 * data). Used by the facilitator report and the weekly season recap: first-try accuracy per lesson, one series per
 * week, so a facilitator sees which lessons a cohort found hard and whether that changed over the weeks.
 */
import type { Attachment } from '../message.ts';

export interface ChartSeries {
  /** The legend's label: a week (`2026-W47`), "first try", "now". */
  readonly label: string;
  /** One value per category, a share from 0 to 1; null where there is no data. */
  readonly values: readonly (number | null)[];
  /**
   * A comparison line rather than a series of its own (the current accuracy beside the weeks' first tries): drawn
   * dashed in grey without markers, bridging gaps.
   */
  readonly reference?: boolean;
}

export interface AccuracyChart {
  /** Title drawn on the image, in the reader's language. */
  readonly title: string;
  /** The x-axis categories in order (short lesson labels: `1`, `2`, … or titles cut short). */
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** The axis titles, in the reader's language. */
  readonly xTitle: string;
  readonly yTitle: string;
  /** The file's name (`report-ops-2026-2026-11-29.png`) and alternative text. */
  readonly filename: string;
  readonly alt: string;
}

export interface ChartRenderer {
  /** A PNG of the accuracy chart. */
  accuracyChart(chart: AccuracyChart): Promise<Attachment>;
}
