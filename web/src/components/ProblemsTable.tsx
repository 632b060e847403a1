import { useState } from 'preact/hooks';
import type { Problem } from '../data';
import { formatNumber, plural } from '../format';
import { Table } from './TableWrap';

const PAGE = 100;

export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The errors or warnings of a report: row, column, value, French message. */
export function ProblemsTable({ problems, label }: { problems: Problem[]; label: string }) {
  const [shown, setShown] = useState(PAGE);
  if (problems.length === 0) return null;
  const rest = problems.length - shown;
  return (
    <>
      <Table label={label} class="problems" head={['Ligne', 'Colonne', 'Valeur', 'Message']}>
        {problems.slice(0, shown).map((p, i) => (
          <tr key={i}>
            <td class="num">{p.row ? formatNumber(p.row) : '—'}</td>
            <td class="mono">{p.column || '—'}</td>
            <td class="mono cell-value">{cellText(p.value)}</td>
            <td>{p.message}</td>
          </tr>
        ))}
      </Table>
      {rest > 0 && (
        <p>
          <button type="button" class="button button-small button-secondary" onClick={() => setShown(shown + PAGE * 5)}>
            Afficher {plural(Math.min(rest, PAGE * 5), 'ligne')} de plus
          </button>{' '}
          <span class="muted">({plural(rest, 'ligne')} non affichée{rest > 1 ? 's' : ''})</span>
        </p>
      )}
    </>
  );
}
