import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  type?: 'text' | 'email' | 'password' | 'search';
  required?: boolean;
  minLength?: number;
  autocomplete?: string;
  inputMode?: 'text' | 'numeric' | 'email';
  value: string;
  onValue: (value: string) => void;
  hint?: string;
}

/** A labelled text input; the hint is linked with aria-describedby. */
export function Field({ label, value, onValue, hint, required, type = 'text', ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? <span class="required"> (obligatoire)</span> : <span class="optional"> (facultatif)</span>}
      </label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        id={id}
        // Preact's typings narrow `type` per input kind; all our kinds are text-like.
        type={type as 'text'}
        value={value}
        required={required}
        aria-describedby={hintId}
        onInput={(e) => onValue(e.currentTarget.value)}
        {...input}
      />
    </div>
  );
}

/** A choice of a select: its value, and the text shown. */
export interface Option {
  value: string;
  label: string;
  disabled?: boolean;
}

interface SelectProps {
  id: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly Option[];
  /** The text of an empty first choice (none: no empty choice). */
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  describedBy?: string;
  onKeyDown?: (e: KeyboardEvent) => void;
}

/** A select of `options`. */
export function Select({ id, value, onValue, options, placeholder, describedBy, ...select }: SelectProps) {
  return (
    <select id={id} value={value} aria-describedby={describedBy} onChange={(e) => onValue(e.currentTarget.value)} {...select}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** A select in a table cell: its label is for screen readers only. */
export function CellSelect({ label, ...select }: SelectProps & { label: ComponentChildren }) {
  return (
    <>
      <label class="sr-only" for={select.id}>
        {label}
      </label>
      <Select {...select} />
    </>
  );
}

interface SelectFieldProps extends Omit<SelectProps, 'id' | 'describedBy' | 'onKeyDown'> {
  label: string;
  hint?: string;
  /** Label and select on one line. */
  inline?: boolean;
}

/** A labelled select; the hint is linked with aria-describedby. */
export function SelectField({ label, hint, inline, ...select }: SelectFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class={inline ? 'field field-inline' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <Select id={id} describedBy={hintId} {...select} />
    </div>
  );
}
