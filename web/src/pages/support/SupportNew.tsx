// « Contacter le support »: the form of a new ticket, pre-filled from the query string when opened from a screen that
// sends the user to the support (an import, a period to reopen, a laboratory to link, unknown UCDs).
import { useId, useState } from 'preact/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { Page } from '../../components/Page';
import { useAction } from '../../hooks';
import { navigate, type Route } from '../../router';
import {
  ATTACHMENT_ACCEPT,
  attachFile,
  CATEGORIES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  NATIONAL_CATEGORIES,
  openTicket,
  type TicketCategory,
  type NewTicketLinks,
} from '../../tickets';
import { useUser } from '../../user';
import { ApiError } from '../../api';

const MAX_BODY = 5000;

export function SupportNew({ route }: { route: Route }) {
  const { me } = useUser();
  const q = route.query;
  const memberships = me?.memberships ?? [];
  const initialCategory = (CATEGORIES.find((c) => c.value === q.get('categorie'))?.value ?? '') as TicketCategory | '';
  const [category, setCategory] = useState<TicketCategory | ''>(initialCategory);
  const [finess, setFiness] = useState(q.get('finess') ?? (memberships.length === 1 ? memberships[0].finess : ''));
  const [subject, setSubject] = useState(q.get('objet') ?? '');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const { busy, error, setError, run } = useAction();
  const bodyId = useId();
  const filesId = useId();

  const links: NewTicketLinks = {};
  if (q.get('depot')) links.upload_id = q.get('depot');
  if (q.get('periode')) links.period = q.get('periode');
  const ucds = (q.get('ucds') ?? '').split(',').filter(Boolean);
  if (ucds.length) links.ucds = ucds;
  const known = memberships.some((m) => m.finess === finess);
  const options = memberships.map((m) => ({ value: m.finess, label: `${m.name} (${m.finess})` }));
  if (finess && !known) options.push({ value: finess, label: `Établissement ${finess}` });

  function pickFiles(list: FileList | null) {
    const picked = Array.from(list ?? []);
    const tooBig = picked.find((f) => f.size > MAX_ATTACHMENT_BYTES);
    if (tooBig) setError(new ApiError(413, 'ERR_TOO_LARGE', `« ${tooBig.name} » dépasse 10 Mo.`));
    else if (picked.length > MAX_ATTACHMENTS) setError(new ApiError(400, 'ERR_INVALID', `${MAX_ATTACHMENTS} pièces jointes au plus.`));
    else {
      setError(null);
      setFiles(picked);
    }
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    if (!category) return;
    const opened = await run(() =>
      openTicket({
        category,
        subject,
        body,
        ...(finess ? { finess } : {}),
        ...(Object.keys(links).length ? { links } : {}),
      }),
    );
    if (!opened) return;
    // The ticket exists: whatever happens to its files, the user goes to it (sending again would open a second one).
    const failed: string[] = [];
    for (const file of files) await attachFile(opened.ticket_id, file).catch(() => failed.push(file.name));
    navigate(`/support/${opened.ticket_id}`, failed.length ? { nouvelle: '1', echecs: failed.join(', ') } : { nouvelle: '1' });
  }

  const team = category && NATIONAL_CATEGORIES.includes(category) ? "l'équipe nationale" : "l'équipe régionale de votre établissement";

  return (
    <Page title="Contacter le support" lead="Décrivez votre question ou votre difficulté : l'équipe qui la traite vous répond ici et par e-mail." narrow>
      <p>
        <a href="#/support">Mes demandes</a>
      </p>
      <form class="card" onSubmit={submit} noValidate={false}>
        <SelectField
          label="Catégorie"
          value={category}
          onValue={(v) => setCategory(v as TicketCategory)}
          options={CATEGORIES}
          placeholder="Choisissez une catégorie"
          required
          hint={category ? `Votre demande sera traitée par ${team}.` : undefined}
        />
        {(options.length > 1 || (finess && !known)) && (
          <SelectField label="Établissement concerné" value={finess} onValue={setFiness} options={options} placeholder="Aucun en particulier" />
        )}
        {Object.keys(links).length > 0 && (
          <div class="field">
            <p class="hint" data-links>
              Joint à la demande :
              {links.upload_id && <> le dépôt {links.upload_id} ;</>}
              {links.period && <> la période {links.period} ;</>}
              {links.ucds && <> {links.ucds.length} code(s) UCD ({links.ucds.slice(0, 5).join(', ')}{links.ucds.length > 5 ? '…' : ''}).</>}
            </p>
          </div>
        )}
        <Field label="Objet" value={subject} onValue={setSubject} required hint="200 caractères au plus." />
        <div class="field">
          <label for={bodyId}>
            Message<span class="required"> (obligatoire)</span>
          </label>
          <textarea id={bodyId} rows={8} required maxLength={MAX_BODY} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          <p class="hint">{body.length} / {MAX_BODY} caractères.</p>
        </div>
        <div class="field">
          <label for={filesId}>
            Pièces jointes<span class="optional"> (facultatif)</span>
          </label>
          <p class="hint">
            PDF, PNG, JPEG, CSV, XLSX ou TXT ; 10 Mo au plus chacune, 10 au plus, conservées 90 jours. Ne joignez aucune
            donnée de patient (fichier d'antibiogrammes, identifiants) : décrivez plutôt la ligne et la colonne en cause.
          </p>
          <input id={filesId} type="file" multiple accept={ATTACHMENT_ACCEPT} onChange={(e) => pickFiles(e.currentTarget.files)} />
        </div>
        <ErrorAlert error={error} />
        <div class="actions">
          <button type="submit" class="button" disabled={busy || !category || !subject.trim() || !body.trim()}>
            {busy ? 'Envoi…' : 'Envoyer la demande'}
          </button>
        </div>
      </form>
    </Page>
  );
}
