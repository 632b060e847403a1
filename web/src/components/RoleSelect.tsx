import { useId } from 'preact/hooks';
import type { GrantedRole } from '../api';

interface Props {
  /** Full label for assistive technology; shown as "Rôle". */
  label: string;
  value: GrantedRole;
  onValue: (role: GrantedRole) => void;
  disabled?: boolean;
}

/** Compact contributeur / observateur choice used inside table rows. */
export function RoleSelect({ label, value, onValue, disabled }: Props) {
  const id = useId();
  return (
    <span class="inline-field">
      <label for={id}>
        Rôle<span class="sr-only"> — {label}</span>
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onValue(e.currentTarget.value as GrantedRole)}>
        <option value="contributeur">Contributeur</option>
        <option value="observateur">Observateur</option>
      </select>
    </span>
  );
}
