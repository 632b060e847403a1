import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { getBeds, putBeds, type Unit } from '../data';
import { formatNumber } from '../format';
import { useAction, useLoad } from '../hooks';
import { defaultDataYear } from '../year';
import { ErrorAlert, Loading, StatusMessage } from './Alert';
import type { Rights } from './EstablishmentShell';
import { TableWrap } from './TableWrap';
import { YearSelect } from './YearSelect';

/** Installed beds per UF for one year (référent); the whole year is replaced on save. */
export function BedsForm({ rights, units }: { rights: Rights; units: Unit[] }) {
  const { finess } = rights;
  const [year, setYear] = useState(defaultDataYear());
  const known = useLoad(() => getBeds(finess, year), [finess, year]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const canEdit = rights.editStructure;
  // Theatres never have beds; other UFs may.
  const rows = units.filter((u) => u.code_ta !== '08');

  useEffect(() => {
    const next: Record<string, string> = {};
    for (const [code, lits] of Object.entries(known.data ?? {})) next[code] = String(lits);
    setValues(next);
    setNotice(null);
  }, [known.data]);

  async function submit(e: Event) {
    e.preventDefault();
    const lines: { code_uf: string; lits: number }[] = [];
    const wrong: string[] = [];
    for (const u of rows) {
      const raw = (values[u.code_uf] ?? '').trim();
      if (!raw) continue;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) wrong.push(u.code_uf);
      else lines.push({ code_uf: u.code_uf, lits: n });
    }
    if (wrong.length) {
      setError(new ApiError(0, 'ERR_FORM', `Nombre de lits invalide (entier positif ou nul attendu) pour : ${wrong.join(', ')}.`));
      return;
    }
    const ok = await run(async () => {
      await putBeds(finess, year, lines);
      return true;
    });
    if (ok) {
      const total = lines.reduce((s, l) => s + l.lits, 0);
      setNotice(`Lits ${year} enregistrés : ${formatNumber(total)} lits dans ${formatNumber(lines.length)} UF.`);
    }
  }

  const total = rows.reduce((s, u) => s + (Number(values[u.code_uf]) || 0), 0);

  return (
    <section class="card" aria-labelledby="lits">
      <h2 id="lits">Lits installés</h2>
      {(canEdit || known.data) && (
        <div class="toolbar">
          <YearSelect value={year} onValue={setYear} />
        </div>
      )}
      {!canEdit ? (
        <p class="muted">Les lits sont déclarés par le référent (fichier des lits ou saisie ici).</p>
      ) : known.data === null ? (
        <p class="hint">
          Les lits déjà déclarés pour {year} ne peuvent pas encore être relus ici : l'enregistrement remplace tous les lits
          de l'année, saisissez donc ceux de toutes les UF.
        </p>
      ) : (
        <p class="hint">L'enregistrement remplace tous les lits de {year}.</p>
      )}
      <ErrorAlert error={known.error ?? error} />
      <StatusMessage>{notice}</StatusMessage>
      {known.loading ? (
        <Loading />
      ) : (
        (canEdit || known.data) && (
          <form class="form" onSubmit={submit} noValidate>
            <TableWrap label={`Lits par UF en ${year}`}>
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">UF</th>
                    <th scope="col">Libellé</th>
                    <th scope="col">TA</th>
                    <th scope="col" class="num">
                      Lits
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((u) => (
                    <tr key={u.code_uf}>
                      <th scope="row" class="mono">
                        {u.code_uf}
                      </th>
                      <td>{u.libelle_uf}</td>
                      <td class="mono">{u.code_ta}</td>
                      <td class="num">
                        {canEdit ? (
                          <input
                            class="input-number"
                            type="number"
                            min={0}
                            step={1}
                            inputMode="numeric"
                            aria-label={`Lits de l'UF ${u.code_uf} (${u.libelle_uf}) en ${year}`}
                            value={values[u.code_uf] ?? ''}
                            onInput={(e) => setValues({ ...values, [u.code_uf]: e.currentTarget.value })}
                          />
                        ) : (
                          formatNumber(known.data?.[u.code_uf])
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>
                      Total
                    </th>
                    <td class="num">{formatNumber(total)}</td>
                  </tr>
                </tfoot>
              </table>
            </TableWrap>
            {canEdit && (
              <div class="actions">
                <button type="submit" class="button" disabled={busy}>
                  Enregistrer les lits {year}
                </button>
              </div>
            )}
          </form>
        )
      )}
    </section>
  );
}
