import { useId } from 'preact/hooks';
import { yearOptions } from '../year';

/** Compact "Année" selector for the data screens. */
export function YearSelect({ value, onValue, label = 'Année' }: { value: number; onValue: (year: number) => void; label?: string }) {
  const id = useId();
  const years = yearOptions();
  if (!years.includes(value)) years.push(value);
  return (
    <span class="inline-field">
      <label for={id}>{label}</label>
      <select id={id} value={String(value)} onChange={(e) => onValue(Number(e.currentTarget.value))}>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y}
          </option>
        ))}
      </select>
    </span>
  );
}
