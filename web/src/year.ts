// Where an establishment's year stands: which file is expected for which period,
// the upload in effect for each, and the next thing to do. Pure functions.
import type { Control, FileType, Periodicity, Settings, Upload } from './data';
import { FILE_TYPE_NOUNS, periodLabel } from './labels';

/** The data year shown by default: the year before the current one. */
export const defaultDataYear = () => new Date().getFullYear() - 1;

/** Years offered in selectors, newest first. */
export const yearOptions = () => {
  const now = new Date().getFullYear();
  return Array.from({ length: 6 }, (_, i) => now - i);
};

export function parseYear(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : defaultDataYear();
}

export const quarters = (year: number) => [1, 2, 3, 4].map((q) => `${year}-T${q}`);

/** Structure and beds are yearly; the others follow the year's settings (quarters until chosen). */
export function periodicityOf(type: FileType, settings: Settings): Periodicity | null {
  if (type === 'structure' || type === 'beds') return 'year';
  const chosen = type === 'resistance' ? settings.resistance_periodicity : settings.consumption_periodicity;
  return chosen ?? null;
}

/** Periods expected for a type in a year ("not chosen yet" counts as quarters). */
export function expectedPeriods(type: FileType, year: number, settings: Settings): string[] {
  return (periodicityOf(type, settings) ?? 'quarter') === 'year' ? [String(year)] : quarters(year);
}

/** Files whose year file may hold the quarters, each imported as its own period. */
export const holdsQuarters = (type: FileType) => type === 'patient_days' || type === 'consumption';

/** Periods a user may choose for an import (both kinds while the periodicity is not chosen; a quarterly
 * year still takes a year file of patient-days or consumption holding its quarters). */
export function allowedPeriods(type: FileType, year: number, settings: Settings): string[] {
  const p = periodicityOf(type, settings);
  if (p === 'year') return [String(year)];
  if (p === 'quarter') return holdsQuarters(type) ? [...quarters(year), String(year)] : quarters(year);
  return [...quarters(year), String(year)];
}

const ACCEPTED = new Set(['VALIDATED', 'DEDUPLICATED']);
/** Presigned POSTs last 15 minutes: a PENDING upload older than this was never sent. */
const ABANDONED_AFTER_MS = 20 * 60 * 1000;

export const isAccepted = (u: Upload) => ACCEPTED.has(u.status);
export const isWorking = (u: Upload) =>
  u.status === 'PROCESSING' || (u.status === 'PENDING' && !isAbandoned(u)) || (u.status === 'VALIDATED' && u.type === 'resistance');

export function isAbandoned(u: Upload, now = Date.now()): boolean {
  if (u.status !== 'PENDING') return false;
  const at = Date.parse(u.updated_at ?? u.created_at ?? '');
  return Number.isFinite(at) && now - at > ABANDONED_AFTER_MS;
}

export interface Cell {
  type: FileType;
  period: string;
  /** The newest upload that was really sent (abandoned ones skipped). */
  latest?: Upload;
  /** The newest accepted upload: the data in effect. */
  accepted?: Upload;
}

/** Uploads come newest first; keeps per (type, period) the latest and the accepted one. */
export function cellsFor(uploads: Upload[], year: number, settings: Settings, types: readonly FileType[]): Cell[] {
  const cells: Cell[] = [];
  for (const type of types) {
    for (const period of expectedPeriods(type, year, settings)) {
      // A year file holding quarters counts for each quarter it made current (``periods``).
      const mine = uploads.filter(
        (u) => u.type === type && (u.period === period || (u.periods ?? []).includes(period)) && !isAbandoned(u),
      );
      cells.push({ type, period, latest: mine[0], accepted: mine.find(isAccepted) });
    }
  }
  return cells;
}

export interface NextStep {
  text: string;
  /** Hash link to the screen where it is done. */
  href?: string;
  action?: string;
}

interface Context {
  finess: string;
  year: number;
  cells: Cell[];
  unitCount: number;
  controls: Control[];
  canUpload: boolean;
  canEditStructure: boolean;
  /** Every period of the year is closed. */
  closed?: boolean;
}

export function nextStep(c: Context): NextStep {
  const base = `#/etablissements/${encodeURIComponent(c.finess)}`;
  const uploadHref = (u: Upload) => `${base}/imports/${encodeURIComponent(u.upload_id)}`;
  const importHref = (type: FileType, period: string) => `${base}/import?type=${type}&periode=${period}`;
  const where = (cell: { type: FileType; period: string }) => `${FILE_TYPE_NOUNS[cell.type]} (${periodLabel(cell.period)})`;

  if (c.closed) {
    return {
      text: `L'année ${c.year} est clôturée : ses données sont figées. Consultez ses indicateurs dans le tableau de bord.`,
      href: `${base}/indicateurs?annee=${c.year}`,
      action: 'Ouvrir le tableau de bord',
    };
  }
  if (c.unitCount === 0) {
    return c.canEditStructure
      ? {
          text: "Commencez par la structure de l'établissement : déposez le fichier des UF ou saisissez-les.",
          href: importHref('structure', String(c.year)),
          action: 'Importer la structure',
        }
      : { text: "Le référent de l'établissement doit d'abord renseigner la structure (UF)." };
  }
  const mapping = c.cells.find((x) => x.latest?.status === 'NEEDS_MAPPING');
  if (mapping?.latest) {
    return {
      text: `Confirmez les correspondances des libellés du laboratoire pour ${where(mapping)}, puis reprenez l'import.`,
      href: uploadHref(mapping.latest),
      action: 'Confirmer les correspondances',
    };
  }
  const catalogue = c.cells.find((x) => x.latest?.status === 'NEEDS_CATALOGUE');
  if (catalogue?.latest) {
    return {
      text: `${capitalise(where(catalogue))} attend l'ajout de codes UCD au référentiel des médicaments : l'équipe nationale est prévenue et il sera validé automatiquement.`,
      href: uploadHref(catalogue.latest),
      action: "Voir l'import",
    };
  }
  const refused = c.cells.find((x) => x.latest && ['REJECTED', 'FAILED'].includes(x.latest.status) && !x.accepted);
  if (refused?.latest) {
    return {
      text: `${capitalise(where(refused))} a été refusé : consultez le rapport, corrigez le fichier puis déposez-le à nouveau.`,
      href: uploadHref(refused.latest),
      action: 'Voir le rapport',
    };
  }
  const working = c.cells.find((x) => x.latest && isWorking(x.latest));
  if (working?.latest) {
    return {
      text: `Import en cours : ${where(working)}. Le rapport sera disponible dans quelques instants.`,
      href: uploadHref(working.latest),
      action: "Suivre l'import",
    };
  }
  const required = c.cells.filter((x) => x.type !== 'beds' && x.type !== 'structure' && !x.accepted);
  const beds = c.cells.filter((x) => x.type === 'beds' && !x.accepted);
  const missing = [...required, ...beds];
  if (missing.length > 0) {
    const first = missing[0];
    const others = missing.length - 1;
    const more = others > 0 ? ` ; ${others > 1 ? `${others} autres fichiers suivront` : 'un autre fichier suivra'}` : '';
    const canDo = first.type === 'beds' ? c.canEditStructure : c.canUpload;
    const hint = first.type === 'beds' ? ' — fichier des lits ou saisie dans « Structure »' : '';
    return canDo
      ? { text: `Déposez ${where(first)}${hint}${more}.`, href: importHref(first.type, first.period), action: 'Importer ce fichier' }
      : { text: `Il manque ${where(first)} : un référent ou un contributeur doit le déposer${more}.` };
  }
  const blocking = c.controls.filter((x) => x.severity === 'bloquant').length;
  if (blocking > 0) {
    return {
      text: `Corrigez ${blocking > 1 ? `les ${blocking} contrôles bloquants` : 'le contrôle bloquant'} avant de clôturer les périodes.`,
      href: `${base}/controles?annee=${c.year}`,
      action: 'Voir les contrôles',
    };
  }
  const warnings = c.controls.length;
  if (warnings > 0) {
    return {
      text: `Toutes les données de ${c.year} sont déposées. Vérifiez ${warnings > 1 ? `les ${warnings} avertissements` : "l'avertissement"}, puis clôturez les périodes.`,
      href: `${base}/controles?annee=${c.year}`,
      action: 'Voir les contrôles',
    };
  }
  return {
    text: `Toutes les données de ${c.year} sont déposées et aucun contrôle ne signale de problème : les périodes peuvent être clôturées.`,
    ...(c.canUpload ? { href: `${base}/periodes?annee=${c.year}`, action: 'Clôturer les périodes' } : {}),
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
