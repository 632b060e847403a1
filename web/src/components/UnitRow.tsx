import { useId, useState } from 'preact/hooks';
import type { Unit, UnitBody } from '../data';
import { SECTOR_LABELS, SPECIALTIES } from '../labels';
import { CellSelect } from './Field';

export interface UnitForm {
  code_uf: string;
  libelle_uf: string;
  code_ta: string;
  code_de: string;
  secteur: string;
  specialite: string;
  code_pole: string;
  libelle_pole: string;
  code_service: string;
  libelle_service: string;
}

export const emptyUnitForm = (): UnitForm => ({
  code_uf: '',
  libelle_uf: '',
  code_ta: '',
  code_de: '',
  secteur: '',
  specialite: '',
  code_pole: '',
  libelle_pole: '',
  code_service: '',
  libelle_service: '',
});

export const unitToForm = (u: Unit): UnitForm => ({
  code_uf: u.code_uf,
  libelle_uf: u.libelle_uf ?? '',
  code_ta: u.code_ta ?? '',
  code_de: u.code_de ?? '',
  secteur: u.secteur_force ?? '',
  specialite: u.specialite ?? '',
  code_pole: u.code_pole ?? '',
  libelle_pole: u.libelle_pole ?? '',
  code_service: u.code_service ?? '',
  libelle_service: u.libelle_service ?? '',
});

export function formToBody(f: UnitForm): UnitBody {
  const opt = (v: string) => (v.trim() ? v.trim() : null);
  return {
    libelle_uf: f.libelle_uf.trim(),
    code_ta: f.code_ta.trim(),
    code_de: f.code_de.trim(),
    secteur: opt(f.secteur),
    specialite: opt(f.specialite),
    code_pole: opt(f.code_pole),
    libelle_pole: opt(f.libelle_pole),
    code_service: opt(f.code_service),
    libelle_service: opt(f.libelle_service),
  };
}

/** What is missing before sending, in French, or null. */
export function formProblem(f: UnitForm): string | null {
  const missing = [
    !f.code_uf.trim() && 'code UF',
    !f.libelle_uf.trim() && 'libellé',
    !f.code_ta.trim() && "type d'activité (TA)",
    !f.code_de.trim() && 'discipline (DE)',
  ].filter(Boolean);
  return missing.length ? `Renseignez : ${missing.join(', ')}.` : null;
}

export const sectorText = (u: Unit) =>
  u.secteur ? `${u.secteur}${u.secteur_force ? ' (choisi)' : ''}` : '—';

const joined = (code?: string | null, label?: string | null) => [code, label].filter(Boolean).join(' — ') || '—';

interface ViewProps {
  unit: Unit;
  canEdit: boolean;
  busy: boolean;
  onEdit: () => void;
  onDelete: () => void;
}

export function UnitView({ unit, canEdit, busy, onEdit, onDelete }: ViewProps) {
  return (
    <tr>
      <th scope="row" class="mono">
        {unit.code_uf}
      </th>
      <td>{unit.libelle_uf}</td>
      <td class="mono">{unit.code_ta}</td>
      <td class="mono">{unit.code_de}</td>
      <td>
        <abbr title={SECTOR_LABELS[unit.secteur ?? ''] ?? undefined}>{sectorText(unit)}</abbr>
      </td>
      <td>{unit.specialite || '—'}</td>
      <td>{joined(unit.code_pole, unit.libelle_pole)}</td>
      <td>{joined(unit.code_service, unit.libelle_service)}</td>
      {canEdit && (
        <td>
          <div class="row-actions">
            <button type="button" class="button button-small" disabled={busy} onClick={onEdit}>
              Modifier<span class="sr-only"> l'UF {unit.code_uf}</span>
            </button>
            <button type="button" class="button button-small button-danger" disabled={busy} onClick={onDelete}>
              Supprimer<span class="sr-only"> l'UF {unit.code_uf}</span>
            </button>
          </div>
        </td>
      )}
    </tr>
  );
}

interface EditProps {
  initial: UnitForm;
  busy: boolean;
  onSave: (form: UnitForm) => void;
  onCancel: () => void;
}

/** The same row as inputs; Entrée enregistre, Échap annule. */
export function UnitEdit({ initial, busy, onSave, onCancel }: EditProps) {
  const [f, setF] = useState(initial);
  const id = useId();
  const code = initial.code_uf;
  const set = (key: keyof UnitForm) => (e: Event) => setF({ ...f, [key]: (e.currentTarget as HTMLInputElement).value });
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onSave(f);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  };
  const input = (key: keyof UnitForm, label: string, extra: Record<string, unknown> = {}) => (
    <>
      <label class="sr-only" for={`${id}-${key}`}>
        {label} de l'UF {code}
      </label>
      <input id={`${id}-${key}`} value={f[key]} onInput={set(key)} onKeyDown={keys} {...extra} />
    </>
  );
  return (
    <>
      <tr class="editing" aria-label={`Modification de l'UF ${code}`}>
        <th scope="row" class="mono">
          {code}
        </th>
        <td>{input('libelle_uf', 'Libellé', { required: true })}</td>
        <td>{input('code_ta', "Type d'activité (TA)", { required: true, inputMode: 'numeric' })}</td>
        <td>{input('code_de', 'Discipline (DE)', { required: true, inputMode: 'numeric' })}</td>
        <td>
          <CellSelect
            id={`${id}-secteur`}
            label={`Secteur de l'UF ${code}`}
            value={f.secteur}
            onValue={(secteur) => setF({ ...f, secteur })}
            onKeyDown={keys}
            placeholder="Déduit de la DE"
            options={Object.keys(SECTOR_LABELS).map((s) => ({ value: s, label: s }))}
          />
        </td>
        <td>
          <CellSelect
            id={`${id}-specialite`}
            label={`Spécialité de l'UF ${code}`}
            value={f.specialite}
            onValue={(specialite) => setF({ ...f, specialite })}
            onKeyDown={keys}
            placeholder="Aucune"
            options={SPECIALTIES.map((s) => ({ value: s, label: s }))}
          />
        </td>
        <td>
          <div class="stacked">
            {input('code_pole', 'Code du pôle', { placeholder: 'Code' })}
            {input('libelle_pole', 'Libellé du pôle', { placeholder: 'Libellé' })}
          </div>
        </td>
        <td>
          <div class="stacked">
            {input('code_service', 'Code du service', { placeholder: 'Code' })}
            {input('libelle_service', 'Libellé du service', { placeholder: 'Libellé' })}
          </div>
        </td>
        <td>
          <div class="row-actions">
            <button type="button" class="button button-small" disabled={busy} onClick={() => onSave(f)}>
              Enregistrer<span class="sr-only"> l'UF {code}</span>
            </button>
            <button type="button" class="button button-small button-secondary" disabled={busy} onClick={onCancel}>
              Annuler
            </button>
          </div>
        </td>
      </tr>
    </>
  );
}
