import type { ComponentChildren } from 'preact';

/** Lets wide tables scroll horizontally on tablets; focusable so the keyboard can scroll it. */
export function TableWrap({ label, children }: { label: string; children?: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A column heading: its text, or its content and whether it heads numbers; `false` leaves the column out. */
export type Heading = string | { label: ComponentChildren; numeric?: boolean } | false;

interface TableProps {
  /** The scrolling region's accessible name. */
  label: string;
  class?: string;
  caption?: string;
  /** The caption is for screen readers only. */
  captionHidden?: boolean;
  describedBy?: string;
  /** The header row, one heading a column (`scope="col"`, `num` for numbers). */
  head: readonly Heading[];
  /** The body's rows. */
  children?: ComponentChildren;
}

/** A table in its scrolling region: one header row made from `head`, then the rows given. */
export function Table({ label, class: className, caption, captionHidden, describedBy, head, children }: TableProps) {
  return (
    <TableWrap label={label}>
      <table class={className} aria-describedby={describedBy}>
        {caption && <caption class={captionHidden ? 'sr-only' : undefined}>{caption}</caption>}
        <thead>
          <tr>
            {head.map((h, i) => {
              if (h === false) return null;
              const { label: content, numeric } = typeof h === 'string' ? { label: h, numeric: false } : h;
              return (
                <th key={i} scope="col" class={numeric ? 'num' : undefined}>
                  {content}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableWrap>
  );
}
