/** The ConsoRes mark: a petri dish with colonies and a capsule, plus the wordmark. */
export function Logo() {
  return (
    <span class="logo">
      <svg class="logo-mark" viewBox="0 0 40 40" width="36" height="36" aria-hidden="true" focusable="false">
        <circle cx="20" cy="20" r="17" fill="#ffffff" stroke="currentColor" stroke-width="3" />
        <circle cx="20" cy="20" r="12.5" fill="none" stroke="currentColor" stroke-width="1" opacity="0.35" />
        <circle cx="13" cy="14" r="2.4" fill="#0b4f5c" />
        <circle cx="26.5" cy="27" r="2" fill="#0b4f5c" />
        <circle cx="15" cy="27.5" r="1.3" fill="#0b4f5c" opacity="0.6" />
        <g transform="rotate(-40 20 20)">
          <rect x="10" y="16.5" width="20" height="7" rx="3.5" fill="#0b4f5c" />
          <path d="M20 16.5h6.5a3.5 3.5 0 0 1 0 7H20z" fill="#e8833a" />
        </g>
      </svg>
      <span class="logo-text">
        Conso<span class="logo-accent">Res</span>
      </span>
    </span>
  );
}
