import { getPendingAccessRequests } from '../api';
import { ErrorAlert, Loading } from '../components/Alert';
import { EstablishmentShell, establishmentHref, type Rights } from '../components/EstablishmentShell';
import { Table } from '../components/TableWrap';
import { UploadStatusBadge } from '../components/UploadStatusBadge';
import { YearSelect } from '../components/YearSelect';
import { FILE_TYPES, getControls, getSettings, getUnits, getUploads, type FileType, type Settings } from '../data';
import { formatDate, plural } from '../format';
import { useLoad } from '../hooks';
import { getPeriods } from '../indicators';
import { FILE_TYPE_LABELS, PERIODICITY_WORDS, periodLabel, periodShort } from '../labels';
import { navigate, type Route } from '../router';
import { cellsFor, expectedPeriods, nextStep, parseYear, periodicityOf, quarters, type Cell } from '../year';

/** Establishment home: where the chosen year stands, and the next thing to do. */
export function EstablishmentPage({ finess, route }: { finess: string; route: Route }) {
  const year = parseYear(route.query.get('annee'));
  return (
    <EstablishmentShell finess={finess} tab="suivi" title="Suivi de l'année">
      {(rights) => <YearStatus rights={rights} year={year} />}
    </EstablishmentShell>
  );
}

function YearStatus({ rights, year }: { rights: Rights; year: number }) {
  const { finess } = rights;
  const data = useLoad(async () => {
    const [settings, uploads, controls, units, periods] = await Promise.all([
      getSettings(finess, year),
      getUploads(finess),
      getControls(finess, year),
      getUnits(finess),
      getPeriods(finess, year).catch(() => []),
    ]);
    return { settings, uploads, controls, units, periods };
  }, [finess, year]);
  const isReferent = rights.membership.status === 'referent';
  const requests = useLoad(() => (isReferent ? getPendingAccessRequests(finess) : Promise.resolve([])), [finess, isReferent]);

  const d = data.data;
  const cells = d ? cellsFor(d.uploads, year, d.settings, FILE_TYPES) : [];
  const blocking = d?.controls.filter((c) => c.severity === 'bloquant').length ?? 0;
  const warnings = (d?.controls.length ?? 0) - blocking;
  const step =
    d &&
    nextStep({
      finess,
      year,
      cells,
      unitCount: d.units.length,
      controls: d.controls,
      canUpload: rights.upload,
      canEditStructure: rights.editStructure,
      closed: d.periods.length > 0 && d.periods.every((p) => p.status === 'closed'),
    });

  return (
    <>
      <div class="toolbar">
        <YearSelect value={year} onValue={(y) => navigate(`/etablissements/${finess}`, { annee: String(y) })} />
        <button type="button" class="button button-small button-secondary" onClick={data.reload} disabled={data.loading}>
          Actualiser
        </button>
      </div>
      <ErrorAlert error={data.error} />
      {(requests.data?.length ?? 0) > 0 && (
        <p class="alert alert-info">
          {plural(requests.data!.length, "demande d'accès", "demandes d'accès")} en attente de votre décision :{' '}
          <a href={establishmentHref(finess, '/membres')}>les examiner</a>.
        </p>
      )}
      {data.loading && !d ? (
        <Loading />
      ) : (
        d &&
        step && (
          <>
            <section class="card next-step" aria-labelledby="prochaine-etape">
              <h2 id="prochaine-etape">Prochaine étape</h2>
              <p>{step.text}</p>
              {step.href && step.action && (
                <a class="button" href={step.href}>
                  {step.action}
                </a>
              )}
            </section>

            <section class="card" aria-labelledby="etat-annee">
              <h2 id="etat-annee">Fichiers de {year}</h2>
              <Periodicities settings={d.settings} />
              <Grid
                rights={rights}
                year={year}
                settings={d.settings}
                cells={cells}
                unitCount={d.units.length}
                closed={new Set(d.periods.filter((p) => p.status === 'closed').map((p) => p.period))}
              />
            </section>

            <section class="card" aria-labelledby="controles-annee">
              <h2 id="controles-annee">Contrôles de {year}</h2>
              {d.controls.length === 0 ? (
                <p>Aucun contrôle ne signale de problème.</p>
              ) : (
                <p>
                  <strong class={blocking ? 'text-danger' : undefined}>
                    {plural(blocking, 'contrôle bloquant', 'contrôles bloquants')}
                  </strong>
                  {' et '}
                  {plural(warnings, 'avertissement')}.{' '}
                  <a href={establishmentHref(finess, `/controles?annee=${year}`)}>Voir le détail des contrôles</a>
                </p>
              )}
            </section>
          </>
        )
      )}
    </>
  );
}

function Periodicities({ settings }: { settings: Settings }) {
  const c = periodicityOf('consumption', settings);
  const r = periodicityOf('resistance', settings);
  const text = (p: typeof c) => (p ? PERIODICITY_WORDS[p] : 'pas encore choisie (le premier fichier déposé la fixe)');
  return (
    <p class="muted">
      Périodicité des consommations et journées : {text(c)} ; des résistances : {text(r)}.
    </p>
  );
}

interface GridProps {
  rights: Rights;
  year: number;
  settings: Settings;
  cells: Cell[];
  unitCount: number;
  /** Periods closed (shown as such; nothing more may be imported there). */
  closed: Set<string>;
}

function Grid({ rights, year, settings, cells, unitCount, closed }: GridProps) {
  const periods = [String(year), ...quarters(year)];
  const find = (type: FileType, period: string) => cells.find((c) => c.type === type && c.period === period);
  return (
    <Table label={`État des fichiers de ${year}`} class="grid" head={['Période', ...FILE_TYPES.map((t) => FILE_TYPE_LABELS[t])]}>
      {periods.map((period) => (
        <tr key={period}>
          <th scope="row">
            {periodShort(period)}
            {closed.has(period) && (
              <>
                <br />
                <span class="badge tone-ok">Clôturée</span>
              </>
            )}
          </th>
          {FILE_TYPES.map((type) =>
            expectedPeriods(type, year, settings).includes(period) ? (
              <td key={type}>
                <CellView rights={rights} cell={find(type, period)!} unitCount={unitCount} closed={closed.has(period)} />
              </td>
            ) : (
              <td key={type} class="cell-na">
                <span aria-hidden="true">—</span>
                <span class="sr-only">non concerné</span>
              </td>
            ),
          )}
        </tr>
      ))}
    </Table>
  );
}

function CellView({ rights, cell, unitCount, closed }: { rights: Rights; cell: Cell; unitCount: number; closed: boolean }) {
  const { latest, accepted } = cell;
  const base = establishmentHref(rights.finess);
  const canImport = cell.type === 'structure' || cell.type === 'beds' ? rights.editStructure : rights.upload;
  const importLink = canImport && !closed && (
    <a href={`${base}/import?type=${cell.type}&periode=${cell.period}`}>
      {latest ? 'Déposer à nouveau' : 'Importer'}
      <span class="sr-only">
        {' '}
        — {FILE_TYPE_LABELS[cell.type]}, {periodLabel(cell.period)}
      </span>
    </a>
  );
  if (!latest) {
    return (
      <div class="cell">
        {cell.type === 'structure' && unitCount > 0 ? (
          <span class="badge tone-ok">{plural(unitCount, 'UF')} en place</span>
        ) : (
          <span class="badge tone-none">Non déposé</span>
        )}
        {importLink}
      </div>
    );
  }
  return (
    <div class="cell">
      <UploadStatusBadge status={latest.status} type={latest.type} />
      <span class="cell-date">le {formatDate(latest.updated_at ?? latest.created_at)}</span>
      {accepted && accepted !== latest && (
        <span class="cell-note">Données du {formatDate(accepted.updated_at ?? accepted.created_at)} en place</span>
      )}
      <a href={`${base}/imports/${encodeURIComponent(latest.upload_id)}`}>
        Rapport<span class="sr-only"> — {FILE_TYPE_LABELS[cell.type]}, {periodLabel(cell.period)}</span>
      </a>
      {latest.status !== 'PENDING' && latest.status !== 'PROCESSING' && importLink}
    </div>
  );
}
