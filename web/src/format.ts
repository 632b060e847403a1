const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
const numberFormat = new Intl.NumberFormat('fr-FR');

/** "2025-03-05T10:00:00Z" or "2025-03-05" → "05/03/2025"; empty or invalid → "—". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : dateFormat.format(date);
}

export function formatNumber(value: number | null | undefined, fractionDigits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (fractionDigits === undefined) return numberFormat.format(value);
  return new Intl.NumberFormat('fr-FR', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** "1 demande", "3 demandes" (the number formatted in French). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count > 1 ? pluralForm : singular}`;
}

const STATUS_LABELS: Record<string, string> = {
  referent: 'Référent',
  contributeur: 'Contributeur',
  observateur: 'Observateur',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

const PROFILE_LABELS: Record<string, string> = {
  regional: 'Régional',
  national: 'National',
  admin: 'Administrateur',
  visiteur: 'Visiteur',
};

export function profileLabel(type: string): string {
  return PROFILE_LABELS[type] ?? type;
}

export function personName(p: { first_name?: string | null; last_name?: string | null; email: string }): string {
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ');
  return name || p.email;
}

/** 138610 → "135 ko", 5_000_000 → "4,8 Mo" (binary units, as file managers show them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return '—';
  if (bytes < 1024) return `${formatNumber(bytes)} octets`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024))} ko`;
  return `${formatNumber(bytes / (1024 * 1024), 1)} Mo`;
}

/** "2025-03-05T10:12:00Z" → "05/03/2025 à 11:12" (Paris time). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return `${dateFormat.format(date)} à ${timeFormat.format(date)}`;
}

const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });
