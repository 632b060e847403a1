import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, toApiError } from '../api';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alert';
import { BedsForm } from '../components/BedsForm';
import { EstablishmentShell, establishmentHref, type Rights } from '../components/EstablishmentShell';
import { SettingsForm } from '../components/SettingsForm';
import { Table } from '../components/TableWrap';
import { UnitAddForm } from '../components/UnitAddForm';
import { formProblem, formToBody, UnitEdit, unitToForm, UnitView, type UnitForm } from '../components/UnitRow';
import { deleteUnit, getUnits, putUnit, type Unit } from '../data';
import { plural } from '../format';
import { useAction, useLoad } from '../hooks';
import { SECTOR_LABELS } from '../labels';

export function StructurePage({ finess }: { finess: string }) {
  return (
    <EstablishmentShell
      finess={finess}
      tab="structure"
      title="Structure et lits"
      lead="Les unités fonctionnelles (UF) relient tous les fichiers : leur type d'activité (TA) et leur discipline (DE) décident de ce qui est compté."
    >
      {(rights) => <Structure rights={rights} />}
    </EstablishmentShell>
  );
}

/** "MED (déduit de la DE)" or "CHIR (choisi)". */
function sectorSentence(u: Unit): string {
  if (!u.secteur) return 'sans secteur';
  const name = SECTOR_LABELS[u.secteur] ? `${u.secteur} — ${SECTOR_LABELS[u.secteur]}` : u.secteur;
  return `secteur ${name} (${u.secteur_force ? 'choisi' : 'déduit de la DE'})`;
}

function Structure({ rights }: { rights: Rights }) {
  const { finess } = rights;
  const units = useLoad(() => getUnits(finess), [finess]);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const edit = useAction();
  const remove = useAction();
  const list = [...(units.data ?? [])].sort((a, b) => a.code_uf.localeCompare(b.code_uf, 'fr', { numeric: true }));
  const theatres = list.filter((u) => u.code_ta === '08').length;

  async function save(form: UnitForm): Promise<boolean> {
    const problem = formProblem(form);
    if (problem) {
      edit.setError(new ApiError(0, 'ERR_FORM', problem));
      return false;
    }
    const code = form.code_uf.trim();
    const saved = await edit.run(async () => {
      try {
        return await putUnit(finess, code, formToBody(form));
      } catch (e) {
        const err = toApiError(e);
        throw new ApiError(err.status, err.code, `UF ${code} non enregistrée. ${err.message}`, err.details);
      }
    });
    if (!saved) return false;
    setEditing(null);
    setNotice(`UF ${saved.code_uf} enregistrée : ${sectorSentence(saved)}.`);
    units.reload();
    return true;
  }

  async function del(u: Unit) {
    if (!window.confirm(`Supprimer l'UF ${u.code_uf} « ${u.libelle_uf} » de la structure ?`)) return;
    const done = await remove.run(async () => {
      await deleteUnit(finess, u.code_uf);
      return true;
    });
    if (done) {
      setNotice(`UF ${u.code_uf} supprimée.`);
      units.reload();
    }
  }

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="ufs">
        <h2 id="ufs">Unités fonctionnelles{units.data ? ` (${units.data.length})` : ''}</h2>
        {rights.editStructure ? (
          <p class="hint">
            Modifiez une UF directement dans le tableau (Entrée pour enregistrer, Échap pour annuler), ou{' '}
            <a href={establishmentHref(finess, '/import?type=structure')}>importez le fichier de structure</a>. Le
            secteur est déduit de la DE, sauf si vous le choisissez.
          </p>
        ) : (
          <p class="muted">Seul le référent modifie la structure.</p>
        )}
        <ErrorAlert error={units.error ?? remove.error} />
        {units.loading && !units.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <p>Aucune UF pour l'instant.</p>
        ) : (
          <Table
            label="Unités fonctionnelles"
            class="units"
            head={[
              'UF',
              'Libellé',
              { label: <abbr title="Type d'activité">TA</abbr> },
              { label: <abbr title="Discipline d'équipement">DE</abbr> },
              'Secteur',
              'Spécialité',
              'Pôle',
              'Service',
              rights.editStructure && 'Actions',
            ]}
          >
            {list.map((u) =>
              editing === u.code_uf ? (
                <Fragment key={u.code_uf}>
                  <UnitEdit
                    initial={unitToForm(u)}
                    busy={edit.busy}
                    onSave={(f) => void save(f)}
                    onCancel={() => {
                      setEditing(null);
                      edit.setError(null);
                    }}
                  />
                  {edit.error && (
                    <tr class="editing-error">
                      <td colSpan={rights.editStructure ? 9 : 8}>
                        <div class="sticky-cell">
                          <ErrorAlert error={edit.error} />
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ) : (
                <UnitView
                  key={u.code_uf}
                  unit={u}
                  canEdit={rights.editStructure}
                  busy={edit.busy || remove.busy}
                  onEdit={() => {
                    edit.setError(null);
                    setEditing(u.code_uf);
                  }}
                  onDelete={() => void del(u)}
                />
              ),
            )}
          </Table>
        )}
        {theatres > 0 && (
          <p class="muted">
            {plural(theatres, 'bloc opératoire', 'blocs opératoires')} (TA 08) : leurs consommations sont réaffectées aux
            UF de soins de même DE ; ils n'ont jamais de journées.
          </p>
        )}
      </section>

      {rights.editStructure && (
        <UnitAddForm existing={list.map((u) => u.code_uf)} onSave={save} busy={edit.busy} error={editing ? null : edit.error} />
      )}

      <BedsForm rights={rights} units={list} />
      <SettingsForm rights={rights} />
    </>
  );
}
