import { useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { SECTOR_LABELS, SPECIALTIES } from '../labels';
import { ErrorAlert } from './Alert';
import { Field, SelectField } from './Field';
import { emptyUnitForm, type UnitForm } from './UnitRow';

interface Props {
  existing: string[];
  busy: boolean;
  error: ApiError | null;
  onSave: (form: UnitForm) => Promise<boolean>;
}

/** Adds one UF (the référent's manual entry). */
export function UnitAddForm({ existing, busy, error, onSave }: Props) {
  const [f, setF] = useState<UnitForm>(emptyUnitForm);
  const [duplicate, setDuplicate] = useState(false);
  const set = (key: keyof UnitForm) => (value: string) => setF({ ...f, [key]: value });

  async function submit(e: Event) {
    e.preventDefault();
    const taken = existing.includes(f.code_uf.trim());
    setDuplicate(taken);
    if (taken) return;
    if (await onSave(f)) setF(emptyUnitForm());
  }

  return (
    <section class="card" aria-labelledby="ajout-uf">
      <h2 id="ajout-uf">Ajouter une UF</h2>
      <form class="form" onSubmit={submit}>
        <div role="alert" class={duplicate ? 'alert alert-error' : 'alert-empty'}>
          {duplicate && <p>L'UF {f.code_uf.trim()} existe déjà : modifiez-la dans le tableau.</p>}
        </div>
        <ErrorAlert error={error} />
        <div class="field-row">
          <Field label="Code UF" value={f.code_uf} onValue={set('code_uf')} required autocomplete="off" />
          <Field label="Libellé" value={f.libelle_uf} onValue={set('libelle_uf')} required autocomplete="off" />
          <Field
            label="Type d'activité (TA)"
            value={f.code_ta}
            onValue={set('code_ta')}
            required
            inputMode="numeric"
            hint="03 hospitalisation complète, 20 de semaine, 97 UF bébés, 08 bloc opératoire…"
          />
          <Field
            label="Discipline (DE)"
            value={f.code_de}
            onValue={set('code_de')}
            required
            inputMode="numeric"
            hint="Code de discipline d'équipement de la SAE."
          />
        </div>
        <div class="field-row">
          <SelectField
            label="Secteur"
            value={f.secteur}
            onValue={set('secteur')}
            placeholder="Déduit de la DE"
            options={Object.entries(SECTOR_LABELS).map(([code, label]) => ({ value: code, label: `${code} — ${label}` }))}
            hint="À choisir seulement si la DE ne permet pas de le déduire."
          />
          <SelectField
            label="Spécialité"
            value={f.specialite}
            onValue={set('specialite')}
            placeholder="Aucune"
            options={SPECIALTIES.map((s) => ({ value: s, label: s }))}
          />
        </div>
        <div class="field-row">
          <Field label="Code du pôle" value={f.code_pole} onValue={set('code_pole')} />
          <Field label="Libellé du pôle" value={f.libelle_pole} onValue={set('libelle_pole')} />
          <Field label="Code du service" value={f.code_service} onValue={set('code_service')} />
          <Field label="Libellé du service" value={f.libelle_service} onValue={set('libelle_service')} />
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            Ajouter l'UF
          </button>
        </div>
      </form>
    </section>
  );
}
