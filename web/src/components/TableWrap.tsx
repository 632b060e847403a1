import type { ComponentChildren } from 'preact';

/** Lets wide tables scroll horizontally on tablets; focusable so the keyboard can scroll it. */
export function TableWrap({ label, children }: { label: string; children?: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
