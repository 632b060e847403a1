// Dashboard section: the way to the scope's cumulative antibiogram (its own printable page).
import { antibiogramHref } from '../../../antibiogram';
import { type ScopeProps, Section } from './shared';

export function AntibiogramSection({ scope, year }: ScopeProps) {
  return (
    <Section
      id="antibiogramme"
      title="Antibiogramme cumulé"
      lead="Pourcentages de souches sensibles (S), sensibles à forte posologie (SFP) et résistantes (R) par espèce et antibiotique, premier isolat par patient et par espèce de l'année (CLSI M39), par type de prélèvement et par secteur ; espèces présentées à partir de 30 isolats."
    >
      <a class="button" href={antibiogramHref(scope, year)}>
        Ouvrir l'antibiogramme cumulé {year}
      </a>
    </Section>
  );
}
