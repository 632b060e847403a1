import { statusLabel, statusTone } from '../labels';

/** An upload's status in French, coloured by what it means for the user. */
export function UploadStatusBadge({ status, type }: { status: string; type?: string }) {
  return <span class={`badge tone-${statusTone(status)}`}>{statusLabel(status, type)}</span>;
}
