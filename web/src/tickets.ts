// Support tickets (API.md "Tickets", docs/api-extensions.md): types, labels and one function per route.
import type { Answer } from './api';
import { request } from './api';
import { sendFile } from './data';
import type * as Contract from './generated/api';

export type TicketStatus = Contract.TicketStatus;
export type TicketCategory = Contract.Category;

export const CATEGORIES: { value: TicketCategory; label: string }[] = [
  { value: 'acces', label: 'Accès' },
  { value: 'import', label: 'Import de fichiers' },
  { value: 'catalogue', label: 'Catalogue des médicaments' },
  { value: 'laboratoire', label: 'Laboratoire' },
  { value: 'reouverture', label: "Réouverture d'une période" },
  { value: 'indicateurs', label: 'Indicateurs' },
  { value: 'autre', label: 'Autre' },
];

export const STATUSES: { value: TicketStatus; label: string; tone: string }[] = [
  { value: 'ouvert', label: 'Ouvert', tone: 'todo' },
  { value: 'en_cours', label: 'En cours', tone: 'wait' },
  { value: 'en_attente', label: "En attente de l'utilisateur", tone: 'todo' },
  { value: 'resolu', label: 'Résolu', tone: 'ok' },
  { value: 'ferme', label: 'Fermé', tone: 'none' },
];

export const statusLabel = (s: string) => STATUSES.find((x) => x.value === s)?.label ?? s;
export const statusTone = (s: string) => STATUSES.find((x) => x.value === s)?.tone ?? 'none';

/** The national team's categories: the others go to the establishment's regional team. */
export const NATIONAL_CATEGORIES: TicketCategory[] = ['catalogue', 'laboratoire', 'reouverture'];

export type TicketLinks = Contract.TicketLinks;
/** What a new ticket links to (each part optional). */
export type NewTicketLinks = Contract.LinksBody;
export type TicketSummary = Contract.Ticket;
export type TicketAttachment = Contract.TicketAttachment;
export type TicketMessage = Contract.TicketMessage;
export type TicketDetail = Contract.TicketThread;

export interface NewTicket {
  category: TicketCategory;
  subject: string;
  body: string;
  finess?: string;
  links?: NewTicketLinks;
}

const T = '/tickets';
const one = (id: string) => `${T}/${encodeURIComponent(id)}`;

function search(filters: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const openTicket = (body: NewTicket) =>
  request<Answer<'POST /api/tickets'>>('POST', T, body);

export const listTickets = (filters: { status?: string; finess?: string; team?: string } = {}) =>
  request<Answer<'GET /api/tickets'>>('GET', `${T}${search(filters)}`);

export const countTickets = (filters: { finess?: string; team?: string } = {}) =>
  request<Record<TicketStatus, number>>('GET', `${T}/counts${search(filters)}`);

export const getTicket = (id: string) => request<Answer<'GET /api/tickets/{ticket_id}'>>('GET', one(id));

export const replyTicket = (id: string, body: string) => request<Answer<'POST /api/tickets/{ticket_id}/messages'>>('POST', `${one(id)}/messages`, { body });

export const setTicketStatus = (id: string, status: TicketStatus, acceptReopening = false) =>
  request<Answer<'PATCH /api/tickets/{ticket_id}'>>('PATCH', one(id), acceptReopening ? { status, accept_reopening: true } : { status });

export const attachmentUrl = (id: string, attachmentId: string) =>
  request<Answer<'GET /api/tickets/{ticket_id}/attachments/{attachment_id}'>>('GET', `${one(id)}/attachments/${encodeURIComponent(attachmentId)}`);

/** Ask for a presigned POST for `file` (it goes with the caller's latest message), then send it. */
export async function attachFile(id: string, file: File): Promise<void> {
  const slot = await request<Answer<'POST /api/tickets/{ticket_id}/attachments'>>('POST', `${one(id)}/attachments`, {
    filename: file.name,
    size: file.size,
  });
  await sendFile(slot.post, file, () => {});
}

/** Accepted kinds of attachment (the server checks them again). */
export const ATTACHMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.csv,.xlsx,.txt';
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

/** A link to the support form, pre-filled (category, establishment, upload, period, UCDs). */
export function supportHref(query: { categorie?: TicketCategory; finess?: string; depot?: string; periode?: string; ucds?: string[]; objet?: string }): string {
  const params = new URLSearchParams();
  if (query.categorie) params.set('categorie', query.categorie);
  if (query.finess) params.set('finess', query.finess);
  if (query.depot) params.set('depot', query.depot);
  if (query.periode) params.set('periode', query.periode);
  if (query.ucds?.length) params.set('ucds', query.ucds.join(','));
  if (query.objet) params.set('objet', query.objet);
  const text = params.toString();
  return `#/support/nouvelle${text ? `?${text}` : ''}`;
}
