// One indicator across the establishments of a region or of the nation: ranked by value,
// searchable by name or FINESS, one page of bars at a time (never 1,700 bars), the caller's own
// establishment highlighted.
import { useId, useState } from 'preact/hooks';
import { BarChart } from '../../../components/charts';
import { formatNumber } from '../../../format';
import { pageOf, rank, type Ranked, rankingPage } from '../../../ranking';

export const RANKING_PAGE_SIZE = 25;

export function RankingChart({
  rows,
  title,
  unit,
  digits = 1,
  own = [],
  reference,
  pageSize = RANKING_PAGE_SIZE,
}: {
  rows: Ranked[];
  title: string;
  unit: string;
  digits?: number;
  /** The caller's establishments (highlighted, and reachable in one click). */
  own?: string[];
  reference?: { value: number; label: string };
  pageSize?: number;
}) {
  const [search, setSearch] = useState('');
  const [asked, setPage] = useState(1);
  const id = useId();
  if (rows.length === 0) return null;
  const shown = rankingPage(rows, search, asked, pageSize);
  const mine = rows.find((r) => own.includes(r.finess));
  const minePage = mine ? pageOf(rows, mine.finess, pageSize) : null;
  const mineRank = mine ? rank(rows).find((r) => r.finess === mine.finess)?.rank : undefined;
  const go = (page: number) => setPage(Math.min(Math.max(1, page), shown.pages));
  return (
    <div class="ranking" data-ranking={title}>
      <div class="ranking-tools">
        <label for={`${id}-q`}>Rechercher un établissement (nom ou FINESS)</label>
        <input
          id={`${id}-q`}
          type="search"
          value={search}
          autocomplete="off"
          onInput={(e) => {
            setSearch((e.target as HTMLInputElement).value);
            setPage(1);
          }}
        />
        {mine && minePage !== null && (search !== '' || shown.page !== minePage) && (
          <button
            type="button"
            class="button button-secondary"
            onClick={() => {
              setSearch('');
              setPage(minePage);
            }}
          >
            Voir mon établissement
          </button>
        )}
      </div>
      <p class="muted" id={`${id}-state`} aria-live="polite">
        {shown.matching === 0
          ? `Aucun établissement ne correspond à « ${search} ».`
          : `Classés par valeur décroissante : ${formatNumber(shown.matching)} établissement${shown.matching > 1 ? 's' : ''}` +
            (shown.matching < shown.total ? ` sur ${formatNumber(shown.total)}` : '') +
            `, page ${formatNumber(shown.page)} sur ${formatNumber(shown.pages)}.` +
            (mineRank ? ` Votre établissement est ${formatNumber(mineRank)}e.` : '')}
      </p>
      <BarChart
        title={`${title} (page ${shown.page} sur ${shown.pages})`}
        unit={unit}
        digits={digits}
        bars={shown.rows.map((r) => ({ label: `${r.rank}. ${r.name}`, value: r.value, highlight: own.includes(r.finess) }))}
        reference={reference}
      />
      {shown.pages > 1 && (
        <nav class="pager" aria-label={`Pages du classement « ${title} »`}>
          <button type="button" class="button button-secondary" disabled={shown.page === 1} onClick={() => go(shown.page - 1)}>
            Précédent
          </button>
          <span>
            page {formatNumber(shown.page)} sur {formatNumber(shown.pages)}
          </span>
          <button type="button" class="button button-secondary" disabled={shown.page === shown.pages} onClick={() => go(shown.page + 1)}>
            Suivant
          </button>
        </nav>
      )}
    </div>
  );
}
