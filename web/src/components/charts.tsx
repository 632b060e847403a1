// Small SVG charts (no chart library): horizontal bars, a percentile band, a trend line.
// Each chart has a text alternative (role="img" + aria-label); the tables beside them
// give the exact figures.
import { useLayoutEffect, useState } from 'preact/hooks';
import { formatNumber } from '../format';
import type * as Contract from '../generated/api';

/** The widest drawing (user units = CSS pixels up to it); a chart is drawn at its figure's own width below it. */
const WIDE = 720;
/** Below this width the bar chart puts each label above its bar. */
const NARROW = 560;

/**
 * The pixel width of the chart's figure (WIDE until measured, at most WIDE), followed as it changes:
 * the drawing is made at that width, so that its 13-px labels stay 13 px on a phone instead of
 * being scaled down with the whole picture.
 */
function useFigureWidth() {
  const [figure, ref] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(WIDE);
  useLayoutEffect(() => {
    if (!figure) return;
    const measure = () => {
      const inner = figure.clientWidth;
      if (inner > 0) setWidth(Math.min(WIDE, Math.max(240, Math.floor(inner))));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(figure);
    return () => observer.disconnect();
  }, [figure]);
  return [ref, width] as const;
}

export interface Bar {
  label: string;
  value: number | null;
  /** Drawn in the accent colour (e.g. the establishment among others). */
  highlight?: boolean;
  /** Drawn hatched-light: small n, figure to read with care. */
  faint?: boolean;
  /** Its 95 % interval, drawn as an error bar (percentages and densities only). */
  low?: number | null;
  high?: number | null;
}

const hasInterval = (b: { low?: number | null; high?: number | null }) => b.low != null && b.high != null;
/** " (IC 95 % 12,3–45,6)", or "" without interval. */
const ciLabel = (b: { low?: number | null; high?: number | null }, digits: number) =>
  hasInterval(b) ? ` (IC 95 % ${fmt(b.low, digits)}–${fmt(b.high, digits)})` : '';

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : formatNumber(v, digits));

/** Horizontal bar chart; labels on the left, values at the end of the bars. */
export function BarChart({
  bars,
  unit,
  title,
  digits = 1,
  reference,
}: {
  bars: Bar[];
  unit: string;
  title: string;
  digits?: number;
  /** A vertical reference line (e.g. the aggregate of the region). */
  reference?: { value: number; label: string };
}) {
  const [ref, width] = useFigureWidth();
  if (bars.length === 0) return null;
  // Narrow (a phone): each label on its own line above its bar, the bar the whole width.
  const stacked = width < NARROW;
  const labelWidth = stacked ? 0 : Math.round(width * 0.46);
  const valueWidth = 80;
  const longest = stacked ? Math.floor(width / 7.4) : 42; // characters that fit at the chart's font size
  const row = stacked ? 44 : 26;
  const barTop = stacked ? 20 : 4; // the bar within its row (below its label when stacked)
  const top = reference ? 22 : 6;
  const height = top + bars.length * row + 6;
  const max = Math.max(...bars.map((b) => Math.max(b.value ?? 0, b.high ?? 0)), reference?.value ?? 0) || 1;
  const scale = (v: number) => ((width - labelWidth - valueWidth) * v) / max;
  const intervals = bars.some(hasInterval);
  const summary = `${title} (${unit}) : ${bars.map((b) => `${b.label} ${fmt(b.value, digits)}${ciLabel(b, digits)}`).join(' ; ')}`;
  return (
    <figure class="chart" ref={ref}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
        {bars.map((b, i) => {
          const y = top + i * row;
          const w = b.value ? Math.max(1, scale(b.value)) : 0;
          const end = hasInterval(b) ? Math.max(w, scale(b.high ?? 0)) : w;
          const barHeight = stacked ? 18 : row - 8;
          const middle = y + barTop + barHeight / 2;
          return (
            <g key={`${b.label}-${i}`}>
              <text x={stacked ? 0 : labelWidth - 8} y={stacked ? y + 14 : y + row / 2 + 4} text-anchor={stacked ? 'start' : 'end'} class="chart-label">
                {b.label.length > longest ? `${b.label.slice(0, longest - 1)}…` : b.label}
                {b.label.length > longest && <title>{b.label}</title>}
              </text>
              <rect
                x={labelWidth}
                y={y + barTop}
                width={w}
                height={barHeight}
                rx={3}
                class={b.highlight ? 'bar bar-highlight' : b.faint ? 'bar bar-faint' : 'bar'}
              >
                <title>{`${b.label} : ${fmt(b.value, digits)} ${unit}${ciLabel(b, digits)}`}</title>
              </rect>
              {hasInterval(b) && (
                <g class="error-bar" data-ci={`${b.low}-${b.high}`}>
                  <line x1={labelWidth + scale(b.low ?? 0)} x2={labelWidth + scale(b.high ?? 0)} y1={middle} y2={middle} />
                  <line x1={labelWidth + scale(b.low ?? 0)} x2={labelWidth + scale(b.low ?? 0)} y1={middle - 5} y2={middle + 5} />
                  <line x1={labelWidth + scale(b.high ?? 0)} x2={labelWidth + scale(b.high ?? 0)} y1={middle - 5} y2={middle + 5} />
                </g>
              )}
              <text x={labelWidth + end + 6} y={middle + 4} class="chart-value">
                {fmt(b.value, digits)}
              </text>
            </g>
          );
        })}
        {reference && (
          <g data-reference={reference.value}>
            <line
              x1={labelWidth + scale(reference.value)}
              x2={labelWidth + scale(reference.value)}
              y1={top - 4}
              y2={height - 2}
              class="chart-ref"
            />
            <text x={labelWidth + scale(reference.value)} y={12} text-anchor="middle" class="chart-ref-label">
              {reference.label} : {fmt(reference.value, digits)}
            </text>
          </g>
        )}
      </svg>
      <figcaption class="muted">
        {unit}
        {intervals && ' — trait horizontal : intervalle de confiance à 95 % (IC 95 %)'}
      </figcaption>
    </figure>
  );
}

/** A benchmark's distribution of comparable establishments' values (GET …/benchmark). */
export type Percentiles = Contract.Percentiles;

/** The establishment's value against the P10–P90 distribution of comparable establishments. */
export function PercentileBand({
  value,
  percentiles: p,
  unit,
  label,
  digits = 1,
}: {
  value: number | null;
  percentiles: Percentiles;
  unit: string;
  label: string;
  digits?: number;
}) {
  const [ref, width] = useFigureWidth();
  const pad = width < NARROW ? 64 : 110;
  const lo = Math.min(p.p10, value ?? p.p10);
  const hi = Math.max(p.p90, value ?? p.p90);
  const span = hi - lo || Math.max(Math.abs(hi), 1) * 0.2;
  const min = lo - span * 0.15;
  const max = hi + span * 0.15;
  const x = (v: number) => pad + ((width - 2 * pad) * (v - min)) / (max - min);
  const band = 46;
  const summary =
    `${label} : ${fmt(value, digits)} ${unit}. Établissements comparables : P10 ${fmt(p.p10, digits)}, ` +
    `P25 ${fmt(p.p25, digits)}, médiane ${fmt(p.p50, digits)}, P75 ${fmt(p.p75, digits)}, P90 ${fmt(p.p90, digits)}.`;
  return (
    <figure class="chart" ref={ref}>
      <svg viewBox={`0 0 ${width} 110`} width={width} height={110} role="img" aria-label={summary}>
        <line x1={pad} x2={width - pad} y1={band} y2={band} class="band-axis" />
        <rect x={x(p.p10)} y={band - 10} width={Math.max(2, x(p.p90) - x(p.p10))} height={20} class="band-outer" rx={3} />
        <rect x={x(p.p25)} y={band - 10} width={Math.max(2, x(p.p75) - x(p.p25))} height={20} class="band-inner" />
        <line x1={x(p.p50)} x2={x(p.p50)} y1={band - 14} y2={band + 14} class="band-median" />
        {p.p10 === p.p90 ? (
          <text x={x(p.p50)} y={band + 30} text-anchor="middle" class="chart-tick">
            P10 = médiane = P90 : {fmt(p.p50, digits)}
          </text>
        ) : (
          <>
            <text x={x(p.p10)} y={band + 30} text-anchor="end" class="chart-tick">
              P10 {fmt(p.p10, digits)}
            </text>
            <text x={x(p.p90)} y={band + 30} text-anchor="start" class="chart-tick">
              P90 {fmt(p.p90, digits)}
            </text>
            <text x={x(p.p50)} y={band + 50} text-anchor="middle" class="chart-tick">
              médiane {fmt(p.p50, digits)}
            </text>
          </>
        )}
        {value !== null && (
          <g>
            <path d={`M ${x(value)} ${band - 14} l -7 -12 h 14 z`} class="band-marker" />
            <text x={x(value)} y={band - 30} text-anchor="middle" class="band-marker-label">
              {fmt(value, digits)}
            </text>
          </g>
        )}
      </svg>
      <figcaption class="band-legend">
        <span class="swatch swatch-outer" /> P10–P90 <span class="swatch swatch-inner" /> P25–P75{' '}
        <span class="swatch swatch-median" /> médiane <span class="swatch swatch-marker" /> {label} ({unit})
      </figcaption>
    </figure>
  );
}

/** Values over the years; years without data are marked on the axis. */
export function TrendChart({
  points,
  unit,
  title,
  digits = 1,
  reference,
}: {
  points: { year: number; value: number | null; low?: number | null; high?: number | null }[];
  unit: string;
  title: string;
  digits?: number;
  /** A horizontal reference line (e.g. a goal). */
  reference?: { value: number; label: string };
}) {
  const [ref, width] = useFigureWidth();
  const height = 170;
  const pad = { left: 50, right: 30, top: 24, bottom: 30 };
  const values = points.flatMap((p) => [p.value, p.high ?? null]).filter((v): v is number => v !== null);
  const max = Math.max(...values, reference?.value ?? 0, 0) * 1.15 || 1;
  const x = (i: number) => pad.left + ((width - pad.left - pad.right) * (points.length === 1 ? 0.5 : i / (points.length - 1)));
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const segments: string[] = [];
  let current = '';
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
    } else current += `${current ? 'L' : 'M'} ${x(i)} ${y(p.value)} `;
  });
  if (current) segments.push(current);
  // The 95 % interval as a shaded band over consecutive years that have one.
  const bands: string[] = [];
  let run: number[] = [];
  const close = () => {
    if (run.length > 1) {
      const upper = run.map((i) => `${x(i)} ${y(points[i].high ?? 0)}`);
      const lower = [...run].reverse().map((i) => `${x(i)} ${y(points[i].low ?? 0)}`);
      bands.push(`M ${[...upper, ...lower].join(' L ')} Z`);
    }
    run = [];
  };
  points.forEach((p, i) => (p.value !== null && hasInterval(p) ? run.push(i) : close()));
  close();
  const intervals = points.some((p) => p.value !== null && hasInterval(p));
  const summary =
    `${title} (${unit}) : ${points.map((p) => `${p.year} ${p.value === null ? 'pas de données' : fmt(p.value, digits) + ciLabel(p, digits)}`).join(' ; ')}` +
    (reference ? `. ${reference.label} : ${fmt(reference.value, digits)}` : '');
  return (
    <figure class="chart" ref={ref}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={summary}>
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} class="band-axis" />
        {reference && (
          <g data-reference={reference.value}>
            <line x1={pad.left} x2={width - pad.right} y1={y(reference.value)} y2={y(reference.value)} class="chart-ref" />
            <text x={pad.left + 4} y={y(reference.value) - 6} text-anchor="start" class="chart-ref-label">
              {reference.label} : {fmt(reference.value, digits)}
            </text>
          </g>
        )}
        {bands.map((d, i) => (
          <path key={`ci${i}`} d={d} class="ci-band" />
        ))}
        {segments.map((d, i) => (
          <path key={i} d={d} class="trend-line" />
        ))}
        {points.map((p, i) => (
          <g key={p.year}>
            <text x={x(i)} y={height - 8} text-anchor="middle" class="chart-tick">
              {p.year}
            </text>
            {p.value === null ? (
              <text x={x(i)} y={y(0) - 6} text-anchor="middle" class="chart-missing">
                pas de données
              </text>
            ) : (
              <>
                {hasInterval(p) && (
                  <line x1={x(i)} x2={x(i)} y1={y(p.low ?? 0)} y2={y(p.high ?? 0)} class="error-bar" data-ci={`${p.low}-${p.high}`} />
                )}
                <circle cx={x(i)} cy={y(p.value)} r={5} class="trend-dot">
                  <title>{`${p.year} : ${fmt(p.value, digits)} ${unit}${ciLabel(p, digits)}`}</title>
                </circle>
                <text x={x(i)} y={y(p.value) - 10} text-anchor="middle" class="chart-value">
                  {fmt(p.value, digits)}
                </text>
              </>
            )}
          </g>
        ))}
      </svg>
      <figcaption class="muted">
        {unit}
        {intervals && ' — zone ombrée : intervalle de confiance à 95 % (IC 95 %)'}
      </figcaption>
    </figure>
  );
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
  /** The establishment the page is about (accent colour, labelled). */
  highlight?: boolean;
  /** Small n: drawn hollow. */
  faint?: boolean;
}

/** A "nice" upper bound for an axis (1, 2, 2.5, 5 × 10^k) and its ticks. */
function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  if (ticks[ticks.length - 1] < max) ticks.push(Math.round((ticks[ticks.length - 1] + step) * 1e6) / 1e6);
  return ticks;
}

/** Consumption (x) against resistance (y), one dot per establishment. */
export function ScatterChart({
  points,
  title,
  xLabel,
  yLabel,
  xDigits = 1,
  yDigits = 1,
}: {
  points: ScatterPoint[];
  title: string;
  xLabel: string;
  yLabel: string;
  xDigits?: number;
  yDigits?: number;
}) {
  const [ref, width] = useFigureWidth();
  if (points.length === 0) return null;
  const height = 360;
  const pad = { left: 64, right: 24, top: 20, bottom: 56 };
  const xTicks = niceTicks(Math.max(...points.map((p) => p.x)));
  const yTicks = niceTicks(Math.max(...points.map((p) => p.y)));
  const xMax = xTicks[xTicks.length - 1];
  const yMax = yTicks[yTicks.length - 1];
  const x = (v: number) => pad.left + ((width - pad.left - pad.right) * v) / xMax;
  const y = (v: number) => height - pad.bottom - ((height - pad.top - pad.bottom) * v) / yMax;
  // Few points: each is named beside it (otherwise in the table and the tooltip).
  const labelled = points.length <= 8;
  // The highlighted point last, so that it is drawn on top.
  const ordered = [...points].sort((a, b) => Number(!!a.highlight) - Number(!!b.highlight));
  const summary =
    `${title} : ${xLabel} en abscisse, ${yLabel} en ordonnée. ` +
    ordered.map((p) => `${p.label} ${fmt(p.x, xDigits)} ; ${fmt(p.y, yDigits)}`).join('. ');
  return (
    <figure class="chart" ref={ref}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={summary}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} class="scatter-grid" />
            <text x={pad.left - 8} y={y(t) + 4} text-anchor="end" class="chart-tick">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={height - pad.bottom + 18} text-anchor="middle" class="chart-tick">
            {formatNumber(t)}
          </text>
        ))}
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} class="band-axis" />
        <line x1={pad.left} x2={pad.left} y1={pad.top} y2={y(0)} class="band-axis" />
        <text x={(pad.left + width - pad.right) / 2} y={height - 10} text-anchor="middle" class="chart-label">
          {xLabel}
        </text>
        <text x={16} y={(pad.top + height - pad.bottom) / 2} text-anchor="middle" class="chart-label" transform={`rotate(-90 16 ${(pad.top + height - pad.bottom) / 2})`}>
          {yLabel}
        </text>
        {ordered.map((p, i) => (
          <g key={`${p.label}-${i}`}>
            <circle
              cx={x(p.x)}
              cy={y(p.y)}
              r={p.highlight ? 8 : 5.5}
              class={p.highlight ? 'scatter-dot scatter-highlight' : p.faint ? 'scatter-dot scatter-faint' : 'scatter-dot'}
            >
              <title>{`${p.label} : ${fmt(p.x, xDigits)} ; ${fmt(p.y, yDigits)}`}</title>
            </circle>
            {(p.highlight || (labelled && !points.some((q) => q.highlight))) && (
              <text
                x={x(p.x) + (x(p.x) > width - 200 ? -12 : 12)}
                y={y(p.y) - 10}
                text-anchor={x(p.x) > width - 200 ? 'end' : 'start'}
                class={p.highlight ? 'band-marker-label' : 'chart-label'}
              >
                {p.highlight || p.label.length <= 30 ? p.label : `${p.label.slice(0, 29)}…`}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption class="band-legend">
        {points.some((p) => !p.highlight) && (
          <>
            <span class="swatch swatch-dot" /> {points.some((p) => p.highlight) ? 'établissement comparable' : 'établissement'}
          </>
        )}
        {points.some((p) => p.faint && !p.highlight) && (
          <>
            {' '}
            <span class="swatch swatch-dot-faint" /> effectif faible
          </>
        )}
        {points.some((p) => p.highlight) && (
          <>
            {' '}
            <span class="swatch swatch-marker" /> {points.find((p) => p.highlight)?.label}
          </>
        )}
      </figcaption>
    </figure>
  );
}
