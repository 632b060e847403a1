import { useId, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../format';

interface Props {
  file: File | null;
  onFile: (file: File | null) => void;
  disabled?: boolean;
  /** Problem with the chosen file, shown under the input. */
  problem?: string | null;
}

/**
 * A labelled file input (keyboard and screen readers use it as is) inside a
 * zone that also accepts a file dropped with the mouse.
 */
export function FileDrop({ file, onFile, disabled, problem }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const dropped = e.dataTransfer?.files?.[0];
    if (dropped) {
      onFile(dropped);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div
      class={`dropzone${over ? ' dropzone-over' : ''}${disabled ? ' dropzone-disabled' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label for={id}>
        Fichier à importer <span class="required">(obligatoire)</span>
      </label>
      <p class="hint" id={`${id}-hint`}>
        Glissez-déposez le fichier dans ce cadre ou choisissez-le. Formats acceptés : .xlsx, .csv.
      </p>
      {/* The browser's own button speaks the browser's language: it is hidden (still focusable) behind ours. */}
      <div class="file-picker">
        <input
          ref={input}
          id={id}
          class="file-input"
          type="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          disabled={disabled}
          aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
        />
        <label for={id} class="button button-secondary file-button" aria-hidden="true">
          Choisir un fichier
        </label>
        {file ? (
          <span class="dropzone-file">
            Fichier choisi : <strong>{file.name}</strong> ({formatBytes(file.size)})
          </span>
        ) : (
          <span class="muted">Aucun fichier choisi</span>
        )}
      </div>
      {problem && (
        <p class="field-problem" id={`${id}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
}

/** French message for a file the API would refuse by its name, or null. */
export function fileProblem(file: File | null): string | null {
  if (!file) return null;
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx') || name.endsWith('.csv')) {
    return file.size === 0 ? 'Le fichier est vide.' : null;
  }
  if (name.endsWith('.xls')) {
    return "Le format Excel 97-2003 (.xls) n'est pas pris en charge : enregistrez le fichier en .xlsx ou en .csv.";
  }
  return `Format de fichier non pris en charge : « ${file.name} » (formats acceptés : .xlsx, .csv).`;
}
