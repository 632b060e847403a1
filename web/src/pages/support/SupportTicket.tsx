// One ticket: its thread (bodies shown as text, never as HTML), attachments, the reply box, and for the team the
// status change (and the national team's acceptance of a reopening).
import { useId, useState } from 'preact/hooks';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { Page } from '../../components/Page';
import { saveUrl } from '../../data';
import { formatBytes, formatDateTime } from '../../format';
import { useAction, useLoad } from '../../hooks';
import type { Route } from '../../router';
import {
  ATTACHMENT_ACCEPT,
  attachFile,
  attachmentUrl,
  getTicket,
  replyTicket,
  setTicketStatus,
  statusLabel,
  type TicketStatus,
} from '../../tickets';
import { TicketStatusBadge } from './SupportList';

export function SupportTicket({ id, route }: { id: string; route: Route }) {
  const ticket = useLoad(() => getTicket(id), [id]);
  const [reply, setReply] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [next, setNext] = useState<TicketStatus | ''>('');
  const failedFiles = route.query.get('echecs');
  const [notice, setNotice] = useState<string | null>(
    route.query.get('nouvelle')
      ? `Votre demande est envoyée : vous serez prévenu par e-mail de chaque réponse.${
          failedFiles ? ` Ces fichiers n'ont pas pu être joints : ${failedFiles} ; joignez-les à nouveau avec une réponse.` : ''
        }`
      : null,
  );
  const sending = useAction();
  const moving = useAction();
  const download = useAction();
  const replyId = useId();
  const filesId = useId();

  if (!ticket.data) return <Page title="Demande de support">{ticket.error ? <ErrorAlert error={ticket.error} /> : <Loading />}</Page>;
  const t = ticket.data;

  async function send(ev: Event) {
    ev.preventDefault();
    const done = await sending.run(async () => {
      await replyTicket(id, reply);
      for (const file of files) await attachFile(id, file);
      return true;
    });
    if (done) {
      setReply('');
      setFiles([]);
      setNotice('Votre réponse est envoyée.');
      ticket.reload();
    }
  }

  async function move(status: TicketStatus, accept = false) {
    const done = await moving.run(() => setTicketStatus(id, status, accept));
    if (done) {
      setNotice(accept ? 'La période est rouverte et la demande résolue.' : `Statut : ${statusLabel(status)}.`);
      setNext('');
      ticket.reload();
    }
  }

  async function open(attachmentId: string) {
    const found = await download.run(() => attachmentUrl(id, attachmentId));
    if (found) saveUrl(found.url, found.filename);
  }

  return (
    <Page title={t.subject} documentTitle={`Demande : ${t.subject}`} context={<a href="#/support">Support</a>}>
      <StatusMessage>{notice}</StatusMessage>
      <dl class="facts">
        <div>
          <dt>Statut</dt>
          <dd>
            <TicketStatusBadge status={t.status} label={t.status_label} />
          </dd>
        </div>
        <div>
          <dt>Catégorie</dt>
          <dd>{t.category_label}</dd>
        </div>
        <div>
          <dt>Traitée par</dt>
          <dd>{t.team_label}</dd>
        </div>
        {t.establishment && (
          <div>
            <dt>Établissement</dt>
            <dd>{t.establishment}</dd>
          </div>
        )}
        {t.links.period && (
          <div>
            <dt>Période</dt>
            <dd>{t.links.period}</dd>
          </div>
        )}
        {t.links.upload_id && t.finess && (
          <div>
            <dt>Dépôt</dt>
            <dd>
              <a href={`#/etablissements/${t.finess}/imports/${encodeURIComponent(t.links.upload_id)}`}>Voir l'import</a>
            </dd>
          </div>
        )}
        {t.links.ucds && t.links.ucds.length > 0 && (
          <div>
            <dt>Codes UCD</dt>
            <dd>{t.links.ucds.join(', ')}</dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="discussion">
        <h2 id="discussion">Discussion</h2>
        <ol class="thread">
          {t.messages.map((m) => (
            <li key={m.number} class="card thread-message" data-message={m.number}>
              <p class="muted">
                <strong>{m.author === 'plateforme' ? 'ConsoRes' : m.author}</strong>, le {formatDateTime(m.at)}
              </p>
              {/* Plain text: Preact escapes it; line breaks kept by CSS. */}
              <p class="thread-body">{m.body}</p>
              {m.attachments.length > 0 && (
                <ul class="thread-files" aria-label="Pièces jointes">
                  {m.attachments.map((a) => (
                    <li key={a.attachment_id}>
                      <button type="button" class="link-button" onClick={() => open(a.attachment_id)}>
                        {a.filename}
                      </button>{' '}
                      <span class="muted">({formatBytes(a.size)})</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        <ErrorAlert error={download.error} />
      </section>

      {(t.allowed.statuses.length > 0 || t.allowed.accept_reopening) && (
        <section class="card" aria-labelledby="statut">
          <h2 id="statut">Statut de la demande</h2>
          {t.allowed.accept_reopening && (
            <div class="actions">
              <button type="button" class="button" disabled={moving.busy} onClick={() => move('resolu', true)}>
                Accepter et rouvrir la période {t.links.period}
              </button>
            </div>
          )}
          {t.allowed.statuses.length > 0 && (
            <div class="toolbar">
              <label>
                Nouveau statut{' '}
                <select value={next} onChange={(e) => setNext(e.currentTarget.value as TicketStatus)}>
                  <option value="">Choisir…</option>
                  {t.allowed.statuses.map((s) => (
                    <option key={s} value={s}>
                      {statusLabel(s)}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" class="button button-secondary" disabled={!next || moving.busy} onClick={() => next && move(next)}>
                Changer le statut
              </button>
            </div>
          )}
          <ErrorAlert error={moving.error} />
        </section>
      )}

      {t.allowed.reply ? (
        <form class="card" onSubmit={send} aria-labelledby="repondre">
          <h2 id="repondre">Répondre</h2>
          <div class="field">
            <label for={replyId}>Votre message</label>
            <textarea id={replyId} rows={5} maxLength={5000} required value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={filesId}>
              Pièces jointes<span class="optional"> (facultatif)</span>
            </label>
            <p class="hint">PDF, PNG, JPEG, CSV, XLSX ou TXT ; 10 Mo au plus chacune.</p>
            <input id={filesId} type="file" multiple accept={ATTACHMENT_ACCEPT} onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} />
          </div>
          <ErrorAlert error={sending.error} />
          <div class="actions">
            <button type="submit" class="button" disabled={sending.busy || !reply.trim()}>
              {sending.busy ? 'Envoi…' : 'Envoyer la réponse'}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">Cette demande est fermée : pour une nouvelle question, <a href="#/support/nouvelle">contactez le support</a>.</p>
      )}
    </Page>
  );
}
