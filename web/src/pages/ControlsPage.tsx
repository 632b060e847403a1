import { useId, useState } from 'preact/hooks';
import { ErrorAlert, Loading } from '../components/Alert';
import { EstablishmentShell, type Rights } from '../components/EstablishmentShell';
import { cellText } from '../components/ProblemsTable';
import { Table } from '../components/TableWrap';
import { YearSelect } from '../components/YearSelect';
import { getControls, type Control } from '../data';
import { formatNumber, plural } from '../format';
import { useLoad } from '../hooks';
import { columnLabel, CONTROL_FIXES, periodLabel } from '../labels';
import { navigate, type Route } from '../router';
import { parseYear } from '../year';

export function ControlsPage({ finess, route }: { finess: string; route: Route }) {
  const year = parseYear(route.query.get('annee'));
  return (
    <EstablishmentShell
      finess={finess}
      tab="controles"
      title="Contrôles"
      lead="Vérifications croisées des fichiers de l'année. Un contrôle bloquant empêche de clôturer sa période."
    >
      {(rights) => <Controls rights={rights} year={year} />}
    </EstablishmentShell>
  );
}

function Controls({ rights, year }: { rights: Rights; year: number }) {
  const { finess } = rights;
  const controls = useLoad(() => getControls(finess, year), [finess, year]);
  const list = controls.data ?? [];
  const blocking = list.filter((c) => c.severity === 'bloquant');
  const warnings = list.filter((c) => c.severity !== 'bloquant');

  return (
    <>
      <div class="toolbar">
        <YearSelect value={year} onValue={(y) => navigate(`/etablissements/${finess}/controles`, { annee: String(y) })} />
        <button type="button" class="button button-small button-secondary" onClick={controls.reload} disabled={controls.loading}>
          Relancer les contrôles
        </button>
      </div>
      <ErrorAlert error={controls.error} />
      {controls.loading && !controls.data ? (
        <Loading label="Contrôles en cours…" />
      ) : (
        controls.data &&
        (list.length === 0 ? (
          <p class="alert alert-success">Aucun contrôle ne signale de problème pour {year}.</p>
        ) : (
          <>
            <p>
              {plural(blocking.length, 'contrôle bloquant', 'contrôles bloquants')} et{' '}
              {plural(warnings.length, 'avertissement')} pour {year}.
            </p>
            <ControlGroup title="Bloquants" controls={blocking} severity="bloquant" />
            <ControlGroup title="Avertissements" controls={warnings} severity="avertissement" />
          </>
        ))
      )}
    </>
  );
}

function ControlGroup({ title, controls, severity }: { title: string; controls: Control[]; severity: string }) {
  const id = useId();
  if (controls.length === 0) return null;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span class="muted">({formatNumber(controls.length)})</span>
      </h2>
      <ul class="controls">
        {controls.map((c, i) => (
          <ControlItem key={`${c.id}-${c.period}-${i}`} control={c} severity={severity} />
        ))}
      </ul>
    </section>
  );
}

function ControlItem({ control, severity }: { control: Control; severity: string }) {
  const [open, setOpen] = useState(false);
  const panel = useId();
  const rows = control.rows ?? [];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = new Set(columns.filter((k) => rows.every((r) => r[k] === null || r[k] === undefined || typeof r[k] === 'number')));
  return (
    <li class={`control control-${severity}`}>
      <div class="control-head">
        <span class={`badge ${severity === 'bloquant' ? 'tone-bad' : 'tone-todo'}`}>
          {severity === 'bloquant' ? 'Bloquant' : 'Avertissement'}
        </span>
        <span class="control-period">{control.period ? periodLabel(control.period) : "Toute l'année"}</span>
        <span class="muted">{plural(control.count, 'ligne')}</span>
      </div>
      <p class="control-message">{control.message}</p>
      {CONTROL_FIXES[control.id] && (
        <p class="control-fix">
          <strong>Que faire ?</strong> {CONTROL_FIXES[control.id]}
        </p>
      )}
      {rows.length > 0 && (
        <>
          <button
            type="button"
            class="button button-small button-secondary"
            aria-expanded={open}
            aria-controls={panel}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Masquer les lignes' : 'Afficher les lignes'}
            <span class="sr-only"> du contrôle : {control.message}</span>
          </button>
          <div id={panel} hidden={!open}>
            {open && (
              <Table
                label="Lignes concernées"
                class="compact"
                head={columns.map((k) => ({ label: columnLabel(k), numeric: numeric.has(k) }))}
              >
                {rows.map((r, i) => (
                  <tr key={i}>
                    {columns.map((k) => (
                      <td key={k} class={typeof r[k] === 'number' ? 'num' : undefined}>
                        {k === 'fichier' ? fileWord(r[k]) : k === 'periode' && r[k] ? periodLabel(String(r[k])) : cellText(r[k])}
                      </td>
                    ))}
                  </tr>
                ))}
              </Table>
            )}
          </div>
        </>
      )}
    </li>
  );
}

const FILE_WORDS: Record<string, string> = {
  consommation: 'Consommations',
  journees: "Journées d'hospitalisation",
  lits: 'Lits',
  structure: 'Structure',
  resistance: 'Résistances',
};

const fileWord = (v: unknown) => FILE_WORDS[String(v)] ?? cellText(v);
