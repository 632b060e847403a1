import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, toApiError } from '../api';
import { ErrorAlert, Loading } from '../components/Alert';
import { EstablishmentShell, establishmentHref, type Rights } from '../components/EstablishmentShell';
import { SelectField } from '../components/Field';
import { FileDrop, fileProblem } from '../components/FileDrop';
import { Templates } from '../components/Templates';
import { createUpload, FILE_TYPES, getSettings, getUploads, sendFile, type FileType } from '../data';
import { formatNumber } from '../format';
import { useLoad } from '../hooks';
import { getEstablishmentLaboratories } from '../indicators';
import { FILE_TYPE_LABELS, periodLabel } from '../labels';
import { navigate, type Route } from '../router';
import { allowedPeriods, holdsQuarters, parseYear, periodicityOf, yearOptions } from '../year';
import { supportHref } from '../tickets';

export function ImportPage({ finess, route }: { finess: string; route: Route }) {
  return (
    <EstablishmentShell
      finess={finess}
      tab="import"
      title="Importer un fichier"
      lead="Déposez un fichier au format des modèles : il est contrôlé aussitôt et vous recevez son rapport."
    >
      {(rights) => <ImportForm rights={rights} route={route} />}
    </EstablishmentShell>
  );
}

const isFileType = (v: string | null): v is FileType => FILE_TYPES.includes(v as FileType);

function ImportForm({ rights, route }: { rights: Rights; route: Route }) {
  const { finess } = rights;
  const allowedTypes = FILE_TYPES.filter((t) => (t === 'structure' || t === 'beds' ? rights.editStructure : rights.upload));
  const asked = route.query.get('type');
  const askedPeriod = route.query.get('periode') ?? '';
  const [type, setType] = useState<FileType | ''>(isFileType(asked) && allowedTypes.includes(asked) ? asked : '');
  const [year, setYear] = useState(parseYear(askedPeriod.slice(0, 4) || route.query.get('annee')));
  const [period, setPeriod] = useState(askedPeriod);
  const [labId, setLabId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tried, setTried] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const settings = useLoad(() => getSettings(finess, year), [finess, year]);
  const lastLab = useLoad(
    () => (rights.upload ? getUploads(finess, { type: 'resistance' }) : Promise.resolve([])),
    [finess, rights.upload],
  );
  const labs = useLoad(() => (rights.upload ? getEstablishmentLaboratories(finess) : Promise.resolve([])), [finess, rights.upload]);

  // Prefill the laboratory: the only one, or the one of the last antibiogram import.
  useEffect(() => {
    if (labId || !labs.data) return;
    const last = lastLab.data?.find((u) => u.laboratory_id)?.laboratory_id;
    if (labs.data.length === 1) setLabId(labs.data[0].id);
    else if (last && labs.data.some((l) => l.id === last)) setLabId(last);
  }, [lastLab.data, labs.data]);

  useEffect(() => () => abort.current?.abort(), []);

  const periods = type && settings.data ? allowedPeriods(type, year, settings.data) : [];
  // Keep the chosen period only while it fits the type and year.
  useEffect(() => {
    if (periods.length === 1 && period !== periods[0]) setPeriod(periods[0]);
    else if (period && periods.length > 0 && !periods.includes(period)) setPeriod('');
  }, [type, year, settings.data]);

  if (allowedTypes.length === 0) {
    return (
      <>
        <p>Votre statut d'observateur ne permet pas d'importer de fichiers.</p>
        <Templates />
      </>
    );
  }

  const problem = fileProblem(file);
  const sending = progress !== null;
  const periodicity = type ? periodicityOf(type, settings.data ?? {}) : null;

  async function submit(e: Event) {
    e.preventDefault();
    setTried(true);
    if (!type || !period || !file || problem || (type === 'resistance' && !labId.trim())) {
      setError(new ApiError(0, 'ERR_FORM', "Complétez les champs signalés avant d'envoyer le fichier."));
      return;
    }
    setError(null);
    setProgress(0);
    abort.current = new AbortController();
    try {
      const created = await createUpload(finess, {
        type,
        period,
        filename: file.name,
        size: file.size,
        ...(type === 'resistance' ? { laboratory_id: labId.trim() } : {}),
      });
      await sendFile(created.post, file, (sent, total) => setProgress(total ? sent / total : 0), abort.current.signal);
      navigate(`/etablissements/${finess}/imports/${created.upload_id}`);
    } catch (err) {
      setError(toApiError(err));
      setProgress(null);
    }
  }

  const missing = (ok: boolean) => tried && !ok;
  const wholeYear = !!type && holdsQuarters(type) && period === String(year) && periodicity !== 'year';

  function optionLabel(p: string): string {
    if (type && holdsQuarters(type) && periodicity === 'quarter' && p === String(year)) {
      return `Année ${year} entière (fichier des 4 trimestres)`;
    }
    return periodLabel(p);
  }

  function periodHint(): string | undefined {
    if (wholeYear) {
      return (
        `Un fichier déclaré pour l'année ${year} peut contenir ses trimestres : la colonne « période » de chaque ligne ` +
        `indique ${year}-T1, ${year}-T2, ${year}-T3 ou ${year}-T4, et chaque trimestre est importé comme sa propre période. ` +
        'Tous les trimestres sont importés, ou aucun si une ligne est en erreur ou si un trimestre est clôturé.' +
        (periodicity === null ? ` Des lignes portant toutes l'année ${year} en font une année annuelle.` : '')
      );
    }
    if (periodicity === null) {
      return "Périodicité pas encore choisie pour cette année : le premier fichier accepté la fixe (trimestre ou année) ; un fichier refusé ne change rien.";
    }
    return undefined;
  }

  return (
    <div class="split">
      <form class="form card" onSubmit={submit} noValidate>
        <h2>Fichier à déposer</h2>
        <ErrorAlert error={error ?? settings.error} />
        <SelectField
          label="Type de fichier"
          value={type}
          onValue={(v) => setType(v as FileType)}
          placeholder="— Choisir le type —"
          required
          disabled={sending}
          options={allowedTypes.map((t) => ({ value: t, label: FILE_TYPE_LABELS[t] }))}
          hint={!rights.editStructure ? 'La structure et les lits sont déposés par le référent.' : undefined}
        />
        {missing(!!type) && <p class="field-problem">Choisissez le type de fichier.</p>}
        <div class="field-row">
          <SelectField
            label="Année"
            value={String(year)}
            onValue={(v) => setYear(Number(v))}
            disabled={sending}
            options={yearOptions().map((y) => ({ value: String(y), label: String(y) }))}
          />
          {type && settings.loading && <Loading label="Chargement des périodicités…" />}
          {type && settings.data && (
            <SelectField
              label="Période"
              value={period}
              onValue={setPeriod}
              placeholder={periods.length > 1 ? '— Choisir la période —' : undefined}
              required
              disabled={sending}
              options={periods.map((p) => ({ value: p, label: optionLabel(p) }))}
              hint={periodHint()}
            />
          )}
        </div>
        {missing(!!period) && type && <p class="field-problem">Choisissez la période.</p>}
        {type === 'resistance' && (
          <>
            {labs.loading && !labs.data && <Loading label="Chargement des laboratoires…" />}
            <ErrorAlert error={labs.error} />
            {labs.data && labs.data.length === 0 ? (
              <p class="alert alert-info">
                Aucun laboratoire n'est rattaché à votre établissement :{' '}
                <a href={supportHref({ categorie: 'laboratoire', finess, objet: 'Rattacher un laboratoire' })}>
                  demandez à l'équipe nationale
                </a>{' '}
                de rattacher le laboratoire qui produit vos antibiogrammes.
              </p>
            ) : (
              labs.data && (
                <SelectField
                  label="Laboratoire"
                  value={labId}
                  onValue={setLabId}
                  placeholder={labs.data.length > 1 ? '— Choisir le laboratoire —' : undefined}
                  required
                  disabled={sending}
                  options={labs.data.map((l) => ({ value: l.id, label: l.ears_net_code ? `${l.name} (${l.ears_net_code})` : l.name }))}
                  hint="Le laboratoire qui a produit le fichier : ses libellés sont reconnus d'un import à l'autre."
                />
              )
            )}
            {missing(!!labId.trim()) && <p class="field-problem">Choisissez le laboratoire.</p>}
          </>
        )}
        <FileDrop
          file={file}
          onFile={setFile}
          disabled={sending}
          problem={problem ?? (missing(!!file) ? 'Choisissez le fichier à importer.' : null)}
        />
        {sending && (
          <div class="progress">
            <label for="envoi">
              Envoi du fichier : {formatNumber(Math.round((progress ?? 0) * 100))} %
            </label>
            <progress id="envoi" max={1} value={progress ?? 0} />
          </div>
        )}
        <div class="actions">
          <button type="submit" class="button" disabled={sending}>
            {sending ? 'Envoi en cours…' : 'Envoyer le fichier'}
          </button>
          {sending && (
            <button type="button" class="button button-secondary" onClick={() => abort.current?.abort()}>
              Annuler l'envoi
            </button>
          )}
          <a class="button button-secondary" href={establishmentHref(finess)}>
            Retour au suivi
          </a>
        </div>
      </form>
      <Templates />
    </div>
  );
}
