import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface PageProps {
  title: string;
  /** Short text under the title. */
  lead?: ComponentChildren;
  /** Small line above the title (where the screen sits: "Mon espace › CHU…"). */
  context?: ComponentChildren;
  /** Browser tab title when it should say more than `title`. */
  documentTitle?: string;
  children?: ComponentChildren;
  narrow?: boolean;
}

/**
 * One screen: sets the document title and moves focus to the heading when the
 * screen opens, so keyboard and screen-reader users land on the new content.
 */
export function Page({ title, lead, context, documentTitle, children, narrow }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${documentTitle ?? title} – ConsoRes`;
    heading.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [title, documentTitle]);
  return (
    <div class={narrow ? 'page page-narrow' : 'page'}>
      {context && <p class="page-context">{context}</p>}
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {lead && <p class="lead">{lead}</p>}
      {children}
    </div>
  );
}
