import type { ComponentChildren } from 'preact';
import type { Membership } from '../api';
import { statusLabel } from '../format';
import { useUser } from '../user';
import { ErrorAlert, Loading } from './Alert';
import { Page } from './Page';

/** What the member may do on the data screens (the API refuses anything else with 403). */
export interface Rights {
  membership: Membership;
  finess: string;
  /** Structure, beds (files and manual entry). */
  editStructure: boolean;
  /** Consumption, patient-days and resistance files; label mappings; periodicities; closure. */
  upload: boolean;
}

export type Tab = 'suivi' | 'import' | 'structure' | 'controles' | 'cloture' | 'indicateurs' | 'membres';

const TABS: { id: Tab; path: string; label: string }[] = [
  { id: 'suivi', path: '', label: "Suivi de l'année" },
  { id: 'import', path: '/import', label: 'Importer' },
  { id: 'structure', path: '/structure', label: 'Structure et lits' },
  { id: 'controles', path: '/controles', label: 'Contrôles' },
  { id: 'cloture', path: '/periodes', label: 'Clôture' },
  { id: 'indicateurs', path: '/indicateurs', label: 'Tableau de bord' },
  { id: 'membres', path: '/membres', label: 'Membres' },
];

export const establishmentHref = (finess: string, path = '') => `#/etablissements/${encodeURIComponent(finess)}${path}`;

interface Props {
  finess: string;
  tab: Tab;
  title: string;
  lead?: ComponentChildren;
  children: (rights: Rights) => ComponentChildren;
}

/** Frame of every establishment screen: membership check, title, tabs. */
export function EstablishmentShell({ finess, tab, title, lead, children }: Props) {
  const { me, meError } = useUser();
  if (!me) return <Page title={title}>{meError ? <ErrorAlert error={meError} /> : <Loading />}</Page>;

  const membership = me.memberships.find((m) => m.finess === finess);
  if (!membership) {
    return (
      <Page title={title}>
        <div role="alert" class="alert alert-error">
          <p>Vous n'êtes pas membre de cet établissement (FINESS {finess}).</p>
        </div>
        <p>
          <a href="#/demande-acces">Demander l'accès à un établissement</a> ou <a href="#/espace">revenir à mon espace</a>.
        </p>
      </Page>
    );
  }
  const rights: Rights = {
    membership,
    finess,
    editStructure: membership.status === 'referent',
    upload: membership.status !== 'observateur',
  };
  return (
    <Page
      title={title}
      documentTitle={`${title} – ${membership.name}`}
      context={
        <>
          <a href="#/espace">Mon espace</a> › <span>{membership.name}</span>{' '}
          <span class={`badge badge-${membership.status}`}>{statusLabel(membership.status)}</span>
        </>
      }
      lead={lead}
    >
      <nav class="tabs" aria-label={`Rubriques de ${membership.name}`}>
        <ul>
          {TABS.map((t) => (
            <li key={t.id}>
              <a href={establishmentHref(finess, t.path)} aria-current={t.id === tab ? 'page' : undefined}>
                {t.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {membership.status === 'observateur' && (
        <p class="muted">Vous êtes observateur : vous consultez les données sans pouvoir les modifier.</p>
      )}
      {children(rights)}
    </Page>
  );
}
