// A tile map of France's 18 regions (a cartogram: one equal square per region, placed as the regions lie;
// the five overseas regions as insets), each coloured by a value. The table beside it is its text alternative.
import { formatNumber } from '../format';
import { CLASSES, classBounds, classOf, INSET_ROW, REGION_TILES } from '../regionTiles';

const TILE = 62;
const GAP = 4;

export function RegionMap({
  values,
  names,
  unit,
  digits,
  title,
}: {
  values: Record<string, number | null | undefined>;
  names: Record<string, string>;
  unit: string;
  digits: number;
  title: string;
}) {
  const known = REGION_TILES.map((t) => values[t.code]).filter((v): v is number => v != null);
  const bounds = classBounds(known);
  const width = 5 * (TILE + GAP);
  const height = (INSET_ROW + 1) * (TILE + GAP) + 8;
  const text = (code: string) => {
    const v = values[code];
    return v == null ? 'aucune donnée' : `${formatNumber(v, digits)} ${unit}`;
  };
  const summary = `${title} : carte des régions, ${REGION_TILES.map((t) => `${names[t.code] ?? t.code} ${text(t.code)}`).join(' ; ')}. Les mêmes valeurs sont dans le tableau.`;
  return (
    <figure class="chart region-map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        <defs>
          <pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#fff" />
            <line x1="0" y1="0" x2="0" y2="6" class="no-data-hatch" />
          </pattern>
        </defs>
        <line x1={0} x2={width} y1={INSET_ROW * (TILE + GAP) - 10} y2={INSET_ROW * (TILE + GAP) - 10} class="map-inset-rule" />
        <text x={0} y={INSET_ROW * (TILE + GAP) - 16} class="chart-label">
          Outre-mer
        </text>
        {REGION_TILES.map((t) => {
          const v = values[t.code];
          const level = v == null ? -1 : classOf(v, bounds);
          const x = t.col * (TILE + GAP);
          const y = t.row * (TILE + GAP);
          return (
            <g key={t.code} data-region={t.code} data-level={level}>
              <rect x={x} y={y} width={TILE} height={TILE} rx={4} fill={level < 0 ? 'url(#no-data)' : CLASSES[level]} class="map-tile">
                <title>{`${names[t.code] ?? t.code} : ${text(t.code)}`}</title>
              </rect>
              <text x={x + TILE / 2} y={y + 24} text-anchor="middle" class={`map-code${level >= 3 ? ' on-dark' : ''}`}>
                {t.short}
              </text>
              <text x={x + TILE / 2} y={y + 44} text-anchor="middle" class={`map-value${level >= 3 ? ' on-dark' : ''}`}>
                {v == null ? '—' : formatNumber(v, digits)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="muted map-legend">
        {bounds.length > 0 &&
          bounds
            .filter((bound, i) => i === 0 || bound !== bounds[i - 1])
            .map((bound) => {
              const level = classOf(bound, bounds);
              return (
                <span key={level} class="map-key">
                  <span class="map-swatch" style={{ background: CLASSES[level] }} aria-hidden="true" />
                  {`≤ ${formatNumber(bound, digits)}`}
                </span>
              );
            })}
        <span class="map-key">
          <span class="map-swatch map-swatch-none" aria-hidden="true" />
          aucune donnée
        </span>
        <span>{` — ${unit} ; une case par région, placée comme la région (les cinq régions d'outre-mer en bas).`}</span>
      </figcaption>
    </figure>
  );
}
