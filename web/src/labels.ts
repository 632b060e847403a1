// French wording of the data screens: file types, statuses, periods, report fields.
import type { FileType, MappingKind, Periodicity, UploadStatus } from './data';

export const FILE_TYPE_LABELS: Record<FileType, string> = {
  structure: 'Structure (UF)',
  beds: 'Lits',
  patient_days: "Journées d'hospitalisation",
  consumption: 'Consommations',
  resistance: 'Résistances (antibiogrammes)',
};

/** "le fichier de consommations", used inside sentences. */
export const FILE_TYPE_NOUNS: Record<FileType, string> = {
  structure: 'le fichier de structure',
  beds: 'le fichier des lits',
  patient_days: "le fichier des journées d'hospitalisation",
  consumption: 'le fichier des consommations',
  resistance: 'le fichier des antibiogrammes',
};

export const fileTypeLabel = (type: string) => FILE_TYPE_LABELS[type as FileType] ?? type;

export type Tone = 'ok' | 'wait' | 'todo' | 'bad' | 'none';

export const STATUS_LABELS: Record<UploadStatus, string> = {
  PENDING: "En attente de l'envoi",
  PROCESSING: 'Traitement en cours',
  REJECTED: 'Refusé',
  NEEDS_MAPPING: 'Correspondances à confirmer',
  NEEDS_CATALOGUE: 'En attente du catalogue',
  VALIDATED: 'Validé',
  DEDUPLICATED: 'Validé et dédoublonné',
  FAILED: 'Échec du traitement',
};

export const STATUS_TONES: Record<UploadStatus, Tone> = {
  PENDING: 'wait',
  PROCESSING: 'wait',
  REJECTED: 'bad',
  NEEDS_MAPPING: 'todo',
  NEEDS_CATALOGUE: 'wait',
  VALIDATED: 'ok',
  DEDUPLICATED: 'ok',
  FAILED: 'bad',
};

export const statusLabel = (status: string, type?: string) =>
  status === 'VALIDATED' && type === 'resistance'
    ? 'Validé, dédoublonnage en cours'
    : (STATUS_LABELS[status as UploadStatus] ?? status);

export const statusTone = (status: string): Tone => STATUS_TONES[status as UploadStatus] ?? 'none';

/** "2025-T1" → "1er trimestre 2025", "2025" → "année 2025". */
export function periodLabel(period: string): string {
  const m = /^(\d{4})-T([1-4])$/.exec(period);
  if (m) return `${m[2] === '1' ? '1er' : `${m[2]}e`} trimestre ${m[1]}`;
  return /^\d{4}$/.test(period) ? `année ${period}` : period;
}

/** "2025-T1" → "T1 2025", "2025" → "Année 2025" (table headings). */
export function periodShort(period: string): string {
  const m = /^(\d{4})-(T[1-4])$/.exec(period);
  if (m) return `${m[2]} ${m[1]}`;
  return /^\d{4}$/.test(period) ? `Année ${period}` : period;
}

export const PERIODICITY_WORDS: Record<Periodicity, string> = {
  quarter: 'trimestrielle',
  year: 'annuelle',
};

export const PERIODICITY_LABELS: Record<Periodicity, string> = {
  quarter: 'Trimestrielle (T1 à T4)',
  year: 'Annuelle',
};

export const MAPPING_KIND_LABELS: Record<MappingKind, { title: string; one: string }> = {
  species: { title: 'Espèces', one: "l'espèce" },
  specimen: { title: 'Natures de prélèvement', one: 'la catégorie de prélèvement' },
  antibiotic: { title: 'Antibiotiques', one: "l'antibiotique" },
};

export const EXCLUSION_LABELS: Record<string, string> = {
  screening: 'Prélèvements de dépistage',
  no_species: 'Espèce absente ou inconnue',
  no_result: "Aucun résultat d'antibiogramme",
  uf_not_eligible: 'UF non éligible',
};

export const PHENOTYPE_LABELS: Record<string, string> = {
  sarm: 'SARM',
  eblse: 'EBLSE',
  epc: 'EPC',
  erg: 'ERG',
  c3g_r: 'Entérobactéries résistantes aux C3G',
  fq_r: 'Résistance aux fluoroquinolones',
  carba_r: 'Résistance aux carbapénèmes',
  caz_r: 'Résistance à la ceftazidime',
};

export const SECTOR_LABELS: Record<string, string> = {
  MED: 'Médecine',
  CHIR: 'Chirurgie',
  REA: 'Réanimation',
  GYNOBS: 'Gynécologie-obstétrique',
  PED: 'Pédiatrie',
  SMR: 'Soins médicaux et de réadaptation',
  SLD: 'Soins de longue durée',
  PSY: 'Psychiatrie',
  EHPAD: 'EHPAD',
};

export const SPECIALTIES = ['hématologie', 'maladies infectieuses', 'oncologie'];

/** Column headings for the rows of controls (the files' column names). */
const COLUMN_LABELS: Record<string, string> = {
  code_uf: 'UF',
  libelle_uf: 'Libellé UF',
  code_ta: 'TA',
  code_de: 'DE',
  secteur: 'Secteur',
  periode: 'Période',
  fichier: 'Fichier',
  journees: 'Journées',
  lits: 'Lits',
  jours: 'Jours',
  taux_occupation: "Taux d'occupation (%)",
  code_ucd: 'Code UCD',
  quantite: 'Quantité',
  ddj: 'DDJ',
};

export function columnLabel(key: string): string {
  const known = COLUMN_LABELS[key];
  if (known) return known;
  const text = key.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What to do about each control (by its stable id). */
export const CONTROL_FIXES: Record<string, string> = {
  uf_absent:
    "Ajoutez les UF manquantes à la structure (onglet « Structure et lits ») ou corrigez leur code dans le fichier, puis déposez-le à nouveau.",
  uf_not_eligible_patient_days:
    "Ces UF ne portent pas de journées (type d'activité non éligible) : retirez leurs lignes du fichier des journées ou corrigez le type d'activité dans la structure.",
  uf_not_eligible_consumption:
    "Les consommations de ces UF ne sont pas comptées : vérifiez le type d'activité de l'UF dans la structure.",
  theatre_patient_days:
    'Un bloc opératoire ne porte jamais de journées : laissez ses journées vides (pas 0) dans le fichier des journées.',
  consumption_without_patient_days:
    "Déposez les journées de ces UF, ou vérifiez que le code UF des consommations est le bon.",
  patient_days_without_consumption:
    "Vérifiez que les consommations de ces UF figurent bien dans le fichier de la pharmacie.",
  periods_differ:
    'Les consommations et les journées doivent suivre la même périodicité : déposez-les par trimestre, ou toutes les deux pour l’année.',
  periods_missing:
    "Déposez le fichier manquant pour chaque période signalée (onglet « Importer »).",
  occupancy_above_100: 'Vérifiez le nombre de journées et le nombre de lits de ces UF.',
  ucd_unresolved:
    "Vérifiez les codes UCD signalés (7 ou 13 chiffres) ; si le code est correct, demandez à l'équipe nationale de l'ajouter au catalogue.",
};

export const PERIOD_STATUS_LABELS: Record<string, string> = {
  open: 'Ouverte',
  closing: 'Clôture en cours',
  closed: 'Clôturée',
};

export const PERIOD_STATUS_TONES: Record<string, Tone> = { open: 'none', closing: 'wait', closed: 'ok' };
