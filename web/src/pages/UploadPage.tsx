import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { ErrorAlert, Loading } from '../components/Alert';
import { EstablishmentShell, establishmentHref, type Rights } from '../components/EstablishmentShell';
import { MappingPanel } from '../components/MappingPanel';
import { ProblemsTable } from '../components/ProblemsTable';
import { MappingVersionNote } from '../components/MappingVersionNote';
import { ReportSummary } from '../components/ReportSummary';
import { UploadStatusBadge } from '../components/UploadStatusBadge';
import { annotatedReportUrl, getUpload, resumeUpload, saveUrl, type UploadDetail } from '../data';
import { formatBytes, formatDateTime, formatNumber, plural } from '../format';
import { useAction } from '../hooks';
import { fileTypeLabel, periodLabel } from '../labels';
import { isAbandoned } from '../year';
import { supportHref } from '../tickets';
import { href } from '../router';

export function UploadPage({ finess, uploadId }: { finess: string; uploadId: string }) {
  return (
    <EstablishmentShell finess={finess} tab="import" title="Suivi d'un import">
      {(rights) => <UploadView rights={rights} uploadId={uploadId} />}
    </EstablishmentShell>
  );
}

/** Statuses after which nothing changes without the user. */
function settled(u: UploadDetail): boolean {
  if (u.status === 'VALIDATED') return u.type !== 'resistance'; // antibiograms go on to deduplication
  return ['REJECTED', 'FAILED', 'NEEDS_MAPPING', 'NEEDS_CATALOGUE', 'DEDUPLICATED'].includes(u.status) || isAbandoned(u);
}

/** Reads the upload every second until it settles; `restart()` polls again (after a resume). */
function usePolledUpload(finess: string, uploadId: string) {
  const [upload, setUpload] = useState<UploadDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [round, setRound] = useState(0);
  const [polling, setPolling] = useState(true);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    setPolling(true);
    async function tick() {
      let delay = 1000;
      try {
        const u = await getUpload(finess, uploadId);
        if (!alive) return;
        setUpload(u);
        setError(null);
        if (settled(u)) {
          setPolling(false);
          return;
        }
      } catch (e) {
        if (!alive) return;
        const err = toApiError(e);
        setError(err);
        if ([401, 403, 404].includes(err.status)) {
          setPolling(false);
          return;
        }
        delay = 5000;
      }
      // After a minute, ask less often (a large file takes a while).
      if (Date.now() - started > 60_000) delay = Math.max(delay, 5000);
      timer = setTimeout(tick, delay);
    }
    void tick();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [finess, uploadId, round]);

  return { upload, error, polling, restart: () => setRound((r) => r + 1) };
}

const LIVE_TEXT: Record<string, string> = {
  PENDING: "Fichier en attente : l'envoi n'est pas encore arrivé ou le traitement va commencer…",
  PROCESSING: 'Contrôle du fichier en cours…',
  REJECTED: 'Le fichier a été refusé : corrigez les erreurs ci-dessous puis déposez-le à nouveau.',
  NEEDS_MAPPING: "L'import attend la confirmation des correspondances des libellés du laboratoire.",
  NEEDS_CATALOGUE:
    "Le fichier attend l'ajout de codes UCD au référentiel des médicaments : l'équipe nationale en est prévenue (une demande est ouverte à son intention). Il sera validé automatiquement dès qu'ils seront ajoutés, et vous serez prévenu par e-mail : vous n'avez rien à renvoyer.",
  VALIDATED: 'Le fichier est validé : ses données sont enregistrées.',
  DEDUPLICATED: 'Le fichier est validé et ses isolats dédoublonnés : ses données sont enregistrées.',
  FAILED: "Le traitement a échoué pour une raison technique : réessayez, ou contactez le support (lien en bas de page) si l'échec se répète.",
};

function liveText(u: UploadDetail): string {
  if (isAbandoned(u)) return "Le fichier n'a jamais été reçu : recommencez l'import.";
  if (u.status === 'VALIDATED' && u.type === 'resistance')
    return 'Le fichier est validé ; dédoublonnage des isolats en cours…';
  return LIVE_TEXT[u.status] ?? u.status;
}

function UploadView({ rights, uploadId }: { rights: Rights; uploadId: string }) {
  const { finess } = rights;
  const { upload, error, polling, restart } = usePolledUpload(finess, uploadId);
  const download = useAction();
  const [preparing, setPreparing] = useState<string | null>(null);
  const resume = useAction();

  if (!upload) return error ? <ErrorAlert error={error} /> : <Loading />;

  const report = upload.report ?? {};
  const errors = report.errors ?? [];
  const warnings = report.warnings ?? [];
  const final = ['REJECTED', 'VALIDATED', 'DEDUPLICATED', 'FAILED'].includes(upload.status);
  const canUpload = upload.type === 'structure' || upload.type === 'beds' ? rights.editStructure : rights.upload;

  // An antibiogram file VALIDATED still waits for its deduplication: its report is not final yet.
  const settled = final && !(upload.status === 'VALIDATED' && upload.type === 'resistance');

  async function downloadReport() {
    const url = await download.run(() => annotatedReportUrl(finess, uploadId, setPreparing));
    setPreparing(null);
    if (url) saveUrl(url, `rapport-${upload!.type}-${upload!.period}-${upload!.filename.replace(/\.[^.]+$/, '')}.xlsx`);
  }

  async function resumeImport() {
    const done = await resume.run(async () => {
      await resumeUpload(finess, uploadId);
      return true;
    });
    if (done) restart();
  }

  return (
    <>
      <dl class="facts">
        <div>
          <dt>Type</dt>
          <dd>{fileTypeLabel(upload.type)}</dd>
        </div>
        <div>
          <dt>Période</dt>
          <dd>{periodLabel(upload.period)}</dd>
        </div>
        <div>
          <dt>Fichier</dt>
          <dd>
            {upload.filename} <span class="muted">({formatBytes(upload.size)})</span>
          </dd>
        </div>
        <div>
          <dt>Déposé le</dt>
          <dd>
            {formatDateTime(upload.created_at)}
            {upload.created_by && <span class="muted"> par {upload.created_by}</span>}
          </dd>
        </div>
        <div>
          <dt>Statut</dt>
          <dd>
            <UploadStatusBadge status={upload.status} type={upload.type} />
          </dd>
        </div>
      </dl>

      <div class={`live-status tone-box-${polling ? 'wait' : upload.status === 'NEEDS_MAPPING' ? 'todo' : upload.status === 'NEEDS_CATALOGUE' ? 'wait' : final && !['REJECTED', 'FAILED'].includes(upload.status) ? 'ok' : 'bad'}`}>
        {polling && <span class="spinner" aria-hidden="true" />}
        <p role="status">{liveText(upload)}</p>
      </div>
      <ErrorAlert error={error} />

      {upload.status === 'NEEDS_MAPPING' && report.unmapped && upload.laboratory_id && (
        <>
          <ErrorAlert error={resume.error} />
          <MappingPanel
            labId={upload.laboratory_id}
            unmapped={report.unmapped}
            canEdit={rights.upload}
            onResume={resumeImport}
            resuming={resume.busy}
          />
        </>
      )}

      {(final || upload.status === 'NEEDS_MAPPING' || upload.status === 'NEEDS_CATALOGUE') && (
        <section class="card" aria-labelledby="rapport">
          <h2 id="rapport">Rapport d'import</h2>
          <dl class="facts">
            <div>
              <dt>Lignes lues</dt>
              <dd>{formatNumber(report.rows_read)}</dd>
            </div>
            <div>
              <dt>Lignes acceptées</dt>
              <dd>{formatNumber(report.rows_accepted)}</dd>
            </div>
            <div>
              <dt>Erreurs</dt>
              <dd class={errors.length ? 'text-danger' : undefined}>{formatNumber(errors.length)}</dd>
            </div>
            <div>
              <dt>Avertissements</dt>
              <dd>{formatNumber(warnings.length)}</dd>
            </div>
          </dl>
          {final && (
            <div class="actions">
              {settled && (
                <button type="button" class="button button-secondary" onClick={downloadReport} disabled={download.busy}>
                  {download.busy ? 'Préparation du fichier…' : 'Télécharger le fichier annoté (XLSX)'}
                </button>
              )}
              {canUpload && (
                <a class="button button-secondary" href={establishmentHref(finess, `/import?type=${upload.type}&periode=${upload.period}`)}>
                  Déposer un nouveau fichier
                </a>
              )}
            </div>
          )}
          {preparing && (
            <p class="muted" role="status" data-report="preparing">
              {preparing}
            </p>
          )}
          <ErrorAlert error={download.error} />

          {errors.length > 0 && (
            <>
              <h3>{plural(errors.length, 'erreur bloquante', 'erreurs bloquantes')}</h3>
              <ProblemsTable problems={errors} label="Erreurs du fichier" />
            </>
          )}
          {warnings.length > 0 && (
            <>
              <h3>{plural(warnings.length, 'avertissement')}</h3>
              <ProblemsTable problems={warnings} label="Avertissements du fichier" />
            </>
          )}
          {report.summary && Object.keys(report.summary).length > 0 && (
            <>
              <h3>Synthèse</h3>
              <ReportSummary type={upload.type} summary={report.summary} period={upload.period} />
            </>
          )}
          {upload.laboratory_id && typeof report.summary?.mapping_version === 'number' && (
            <MappingVersionNote finess={finess} labId={upload.laboratory_id} used={report.summary.mapping_version} />
          )}
        </section>
      )}
      <p class="actions">
        <a href={establishmentHref(finess)}>Retour au suivi de l'année</a>
        <a
          href={supportHref({ categorie: 'import', finess, depot: uploadId, periode: upload.period, objet: `Import ${fileTypeLabel(upload.type)} ${upload.period}` })}
          data-support="import"
        >
          Contacter le support à propos de cet import
        </a>
        {upload.status === 'NEEDS_CATALOGUE' && rights.membership.status === 'referent' && (
          <a href={href(`/support/catalogue-${uploadId}`)} data-support="catalogue-wait">
            Suivre la demande d'ajout au catalogue
          </a>
        )}
        {unknownUcds(upload).length > 0 && upload.status !== 'NEEDS_CATALOGUE' && (
          <a
            href={supportHref({ categorie: 'catalogue', finess, depot: uploadId, periode: upload.period, ucds: unknownUcds(upload).slice(0, 100), objet: 'Codes UCD inconnus du catalogue' })}
            data-support="catalogue"
          >
            Demander l'ajout des codes UCD inconnus au catalogue
          </a>
        )}
      </p>
    </>
  );
}

/** The UCDs the catalogue does not know, from the report's summary or its errors. */
function unknownUcds(u: UploadDetail): string[] {
  const listed = (u.report?.summary as { unknown_ucds?: unknown } | undefined)?.unknown_ucds;
  const fromSummary = Array.isArray(listed) ? listed.map(String) : [];
  const fromErrors = (u.report?.errors ?? []).filter((e) => e.code === 'ucd.unknown' && e.value).map((e) => String(e.value));
  return [...new Set([...fromSummary, ...fromErrors])].filter((c) => /^(\d{7}|\d{13})$/.test(c));
}
