// Confirmation of the explicit removal of a period's data of one type (référent only): the
// reason is required and kept in the audit log (DOMAIN.md §10.2).
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ErrorAlert } from './Alert';
import { removeDataset } from '../data';
import { useAction } from '../hooks';
import { fileTypeLabel, periodLabel } from '../labels';

interface Props {
  finess: string;
  type: string;
  period: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function RemoveDataset({ finess, type, period, onDone, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const id = useId();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => reasonRef.current?.focus(), []);
  const what = `« ${fileTypeLabel(type)} » de la période « ${periodLabel(period)} »`;

  async function submit(ev: Event) {
    ev.preventDefault();
    const answer = await run(() => removeDataset(finess, type, period, reason.trim()));
    if (!answer) return;
    onDone(
      answer.status === 'removed'
        ? `Les données ${what} ont été retirées.`
        : `Aucune donnée ${what} n'était en place : rien n'a été retiré.`,
    );
  }

  return (
    <form class="confirm" aria-labelledby={`${id}-title`} data-removal={type} onSubmit={submit}>
      <p id={`${id}-title`}>
        <strong>Retirer les données {what} ?</strong> Elles ne seront plus prises en compte dans les contrôles ni
        les indicateurs ; le fichier d'origine n'est pas conservé et devra être déposé à nouveau si besoin. Le retrait
        est tracé dans le journal avec son motif.
      </p>
      <ErrorAlert error={error} />
      <div class="field">
        <label for={`${id}-motif`}>
          Motif du retrait <span class="required">(obligatoire)</span>
        </label>
        <textarea
          id={`${id}-motif`}
          ref={reasonRef}
          rows={2}
          value={reason}
          required
          minLength={3}
          maxLength={1000}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      <div class="actions">
        <button type="submit" class="button button-danger" disabled={busy || reason.trim().length < 3}>
          {busy ? 'Retrait…' : 'Confirmer le retrait'}
        </button>
        <button type="button" class="button button-secondary" disabled={busy} onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
