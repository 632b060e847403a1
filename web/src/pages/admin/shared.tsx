// What several administration screens share: the tabs, the profile checks, the regions and the establishment picker.
import { useState } from 'preact/hooks';
import { getEstablishments, getRegions, type Me, type Region } from '../../api';
import { SelectField } from '../../components/Field';
import { useLoad } from '../../hooks';
import { yearOptions } from '../../year';

export type Section = 'etablissements' | 'laboratoires' | 'profils' | 'periodes' | 'campagne' | 'methodes' | 'rapports' | 'journal';

export const SECTIONS: { id: Section; label: string; adminOnly: boolean }[] = [
  { id: 'etablissements', label: 'Établissements', adminOnly: true },
  { id: 'laboratoires', label: 'Laboratoires', adminOnly: true },
  { id: 'profils', label: 'Profils', adminOnly: true },
  { id: 'periodes', label: 'Réouverture de période', adminOnly: false },
  { id: 'campagne', label: 'Campagne', adminOnly: false },
  { id: 'methodes', label: 'Méthodes', adminOnly: false },
  { id: 'rapports', label: 'Rapports', adminOnly: false },
  { id: 'journal', label: "Journal d'audit", adminOnly: true },
];

export const isAdmin = (me: Me) => me.profiles.some((p) => p.type === 'admin');
export const isNational = (me: Me) => me.profiles.some((p) => p.type === 'national');

/** The administration's tabs, the current one marked, and the EARS-Net export page. */
export function AdminTabs({ allowed, current }: { allowed: typeof SECTIONS; current: (typeof SECTIONS)[number] }) {
  return (
    <nav class="tabs" aria-label="Rubriques de l'administration">
      <ul>
        {allowed.map((s) => (
          <li key={s.id}>
            <a href={`#/administration/${s.id}`} aria-current={s.id === current.id ? 'page' : undefined}>
              {s.label}
            </a>
          </li>
        ))}
        <li><a href="#/administration/export-ears-net">Export EARS-Net</a></li>
      </ul>
    </nav>
  );
}

export const useRegions = () => useLoad<Region[]>(getRegions, []);

/** Region, then establishment of the region. */
export function EstablishmentPicker({ finess, onFiness }: { finess: string; onFiness: (f: string) => void }) {
  const regions = useRegions();
  const [region, setRegion] = useState('');
  const list = useLoad(() => (region ? getEstablishments(region) : Promise.resolve([])), [region]);
  return (
    <div class="field-row">
      <SelectField
        label="Région"
        value={region}
        onValue={(r) => {
          setRegion(r);
          onFiness('');
        }}
        placeholder="— Choisir —"
        options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))}
      />
      <SelectField
        label="Établissement"
        value={finess}
        onValue={onFiness}
        placeholder="— Choisir —"
        disabled={!region}
        options={(list.data ?? []).map((e) => ({ value: e.finess, label: `${e.name} — ${e.finess}` }))}
      />
    </div>
  );
}

/** The year of data a national action applies to (an export, a generation of reports). */
export function DataYearField({ year, onYear }: { year: number; onYear: (year: number) => void }) {
  return (
    <SelectField
      label="Année"
      value={String(year)}
      onValue={(v) => onYear(Number(v))}
      options={yearOptions().map((y) => ({ value: String(y), label: String(y) }))}
      required
    />
  );
}
