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

interface SelectProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string; disabled?: boolean }[];
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  hint?: string;
}

export function SelectField({ label, value, onValue, options, placeholder, required, disabled, hint }: SelectProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      <select
        id={id}
        value={value}
        required={required}
        disabled={disabled}
        aria-describedby={hintId}
        onChange={(e) => onValue(e.currentTarget.value)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
