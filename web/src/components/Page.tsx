import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface PageProps {
  title: string;
  /** Short text under the title. */
  lead?: ComponentChildren;
  children?: ComponentChildren;
  narrow?: boolean;
}

/**
 * One screen: sets the document title and moves focus to the heading when the
 * screen opens, so keyboard and screen-reader users land on the new content.
 */
export function Page({ title, lead, children, narrow }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ConsoRes`;
    heading.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [title]);
  return (
    <div class={narrow ? 'page page-narrow' : 'page'}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {lead && <p class="lead">{lead}</p>}
      {children}
    </div>
  );
}
