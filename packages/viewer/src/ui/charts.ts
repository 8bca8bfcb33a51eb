// Horizontal bar charts as SVG (createElementNS; labels as text nodes). One row per key, one or
// two series per row (e.g. p50 and p95, input and output tokens).
import { h, s } from './dom.js';
import { truncate } from './format.js';

export interface BarSeries {
  /** Legend name and CSS class suffix (`series-<class>`). */
  readonly name: string;
  readonly className: string;
}

export interface BarChartOptions {
  readonly title: string;
  readonly series: readonly BarSeries[];
  readonly rows: readonly { readonly label: string; readonly values: readonly number[] }[];
  readonly format: (value: number) => string;
  /** Stack the series (totals) instead of drawing them side by side. */
  readonly stacked?: boolean;
}

const WIDTH = 480;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 130;
const BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
const ROW = 24;

/** A bar chart in a <figure> with its title and legend. */
export function barChart(options: BarChartOptions): HTMLElement {
  const { rows, series } = options;
  const totals = rows.map((r) =>
    options.stacked ? r.values.reduce((a, b) => a + b, 0) : Math.max(0, ...r.values),
  );
  const max = Math.max(0, ...totals) || 1;
  const height = Math.max(1, rows.length) * ROW + 8;
  const svg = s('svg', {
    class: 'chart',
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: WIDTH,
    height,
    role: 'img',
    'aria-label': options.title,
  });
  rows.forEach((row, i) => {
    const y = i * ROW + 4;
    const group = s('g', { class: 'chart-row' });
    group.append(
      s(
        'text',
        {
          x: LABEL_WIDTH - 8,
          y: y + ROW / 2,
          class: 'chart-label',
          'text-anchor': 'end',
          'dominant-baseline': 'middle',
        },
        truncate(row.label, 22),
      ),
    );
    let x = LABEL_WIDTH;
    const barHeight = options.stacked || series.length === 1 ? ROW - 8 : (ROW - 8) / series.length;
    row.values.forEach((value, j) => {
      const width = Math.max(0, (value / max) * BAR_AREA);
      const rect = s('rect', {
        class: `bar series-${series[j]?.className ?? j}`,
        x: options.stacked ? x : LABEL_WIDTH,
        y: options.stacked || series.length === 1 ? y + 2 : y + 2 + j * barHeight,
        width: value > 0 ? Math.max(width, 1) : 0,
        height: barHeight,
        rx: 2,
      });
      rect.append(s('title', null, `${row.label} — ${series[j]?.name ?? ''}: ${options.format(value)}`));
      group.append(rect);
      if (options.stacked) x += width;
    });
    group.append(
      s(
        'text',
        { x: WIDTH - VALUE_WIDTH + 6, y: y + ROW / 2, class: 'chart-value', 'dominant-baseline': 'middle' },
        options.stacked || series.length === 1
          ? options.format(totals[i])
          : row.values.map((v) => options.format(v)).join(' / '),
      ),
    );
    group.append(s('title', null, row.label));
    svg.append(group);
  });
  if (rows.length === 0) {
    svg.append(s('text', { x: 8, y: 18, class: 'chart-empty' }, 'no data'));
  }
  return h(
    'figure',
    'chart-box',
    h(
      'figcaption',
      null,
      h('span', 'chart-title', options.title),
      series.length > 1
        ? h(
            'span',
            'chart-legend',
            series.map((item) => h('span', `legend-item series-${item.className}`, item.name)),
          )
        : null,
    ),
    svg,
  );
}
