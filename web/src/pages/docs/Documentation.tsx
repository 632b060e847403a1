// Documentation inside the client: a guide and a short tutorial per step,
// the glossary and the import templates.
import type { ComponentChildren } from 'preact';
import { Page } from '../../components/Page';
import { Templates } from '../../components/Templates';
import { FILE_TYPES, templateUrl } from '../../data';
import { ANTIBIOGRAM_COLUMNS, SPECIMEN_CATEGORIES } from '../../generated/antibiogramColumns';
import type { AntibiogramColumn } from '../../generated/antibiogramColumns';
import { FILE_TYPE_LABELS } from '../../labels';

interface Step {
  slug: string;
  title: string;
  summary: string;
  who: string;
  guide: ComponentChildren;
  tutorial: string[];
}

const STEPS: Step[] = [
  {
    slug: 'compte-et-acces',
    title: '1. Créer son compte et accéder à un établissement',
    summary: "Inscription, confirmation par e-mail, demande d'accès, charte du premier référent.",
    who: 'Toute personne qui déclare ou consulte les données.',
    guide: (
      <>
        <p>
          Chaque personne a son propre compte (adresse e-mail et mot de passe). Un compte donne accès aux établissements
          dont la personne est membre, avec un statut : <strong>référent</strong>, <strong>contributeur</strong> ou{' '}
          <strong>observateur</strong>.
        </p>
        <p>
          La première personne inscrite pour un établissement en devient le référent : elle accepte la charte
          d'utilisation et indique l'e-mail de la direction (et du DPO) qui reçoivent une lettre d'information. Les
          demandes suivantes attendent la décision du référent, qui choisit le statut de chacun.
        </p>
      </>
    ),
    tutorial: [
      'Cliquez sur « Connexion » puis « Créer un compte » ; saisissez vos nom, prénom, e-mail et un mot de passe qui suit la règle rappelée sous le champ.',
      'Recopiez le code reçu par e-mail sur la page « Confirmer mon compte », puis connectez-vous.',
      "Dans « Mon espace », cliquez sur « Demander l'accès à un établissement », choisissez la région puis l'établissement.",
      'Si vous êtes la première personne : lisez la charte, cochez-la, indiquez l’e-mail de la direction et validez. Sinon, attendez la décision du référent.',
    ],
  },
  {
    slug: 'structure',
    title: "2. Décrire la structure et les lits",
    summary: 'Les unités fonctionnelles (UF), leur type d’activité, leur secteur, et les lits de l’année.',
    who: 'Le référent.',
    guide: (
      <>
        <p>
          Le code UF relie tous les fichiers entre eux. Seules les UF d'hospitalisation complète (TA 03), de semaine
          (TA 20) et les UF bébé de maternité (TA 97) portent des journées ; les blocs opératoires (TA 08) portent
          seulement des consommations, réaffectées aux UF de même discipline.
        </p>
        <p>
          Le secteur (médecine, chirurgie, réanimation…) se déduit de la discipline d'équipement (DE) ; vous pouvez le
          forcer UF par UF.
        </p>
      </>
    ),
    tutorial: [
      'Téléchargez le modèle « Structure (UF) », remplissez une ligne par UF (code, libellé, TA, DE).',
      'Onglet « Importer » : type « Structure », période = l’année, déposez le fichier.',
      'Contrôlez le résultat dans « Structure et lits » ; corrigez une UF directement dans le tableau si besoin.',
      'Saisissez les lits de l’année dans le même onglet, ou déposez le fichier des lits.',
    ],
  },
  {
    slug: 'journees-et-consommations',
    title: "3. Déposer les journées et les consommations",
    summary: "Journées d'hospitalisation par UF et dispensations de la pharmacie par UF et par code UCD.",
    who: 'Le référent ou un contributeur.',
    guide: (
      <>
        <p>
          Les journées et les consommations suivent la même périodicité (trimestre ou année) : le premier fichier
          accepté pour l'année la fixe (un fichier refusé ne change aucun paramètre). Chaque code UCD est résolu dans
          le catalogue des médicaments, puis converti en DDJ avec la table ATC/DDD de l'OMS de l'année.
        </p>
        <p>
          <strong>Un seul fichier pour l'année trimestrielle :</strong> déclarez le fichier pour l'année (par exemple
          2025) et indiquez sur chaque ligne son trimestre (2025-T1 à 2025-T4). Le fichier est contrôlé en entier ;
          s'il n'a aucune erreur, chaque trimestre devient la donnée de son trimestre, comme s'il avait été déposé à
          part ; sinon rien n'est importé. Un trimestre déjà clôturé fait refuser tout le fichier (retirez ses lignes
          ou demandez une réouverture). Un fichier de trimestre déposé ensuite remplace ce trimestre seulement ; un
          trimestre absent du fichier garde ses données.
        </p>
        <p>
          Pour une année annuelle, chaque ligne indique l'année (2025). Un fichier dont les lignes ne suivent pas la
          périodicité de l'année est refusé par un seul message qui dit quoi corriger : déclarer l'année, mettre
          l'année sur chaque ligne, ou changer la périodicité dans les paramètres de l'année.
        </p>
        <p>Un code UCD inconnu bloque le fichier : vérifiez-le, ou demandez son ajout à l'équipe nationale.</p>
      </>
    ),
    tutorial: [
      'Téléchargez les modèles « Journées d’hospitalisation » et « Consommations ».',
      'Déposez les journées de la période (une ligne par UF), puis les consommations (une ligne par UF et par UCD) ; pour une année trimestrielle, un fichier déclaré pour l’année peut contenir ses quatre trimestres.',
      'Lisez le rapport : chaque erreur indique sa ligne, sa colonne et sa valeur ; le fichier annoté se télécharge en XLSX.',
      'Corrigez et déposez à nouveau si le fichier est refusé : le nouveau fichier remplace le précédent.',
    ],
  },
  {
    slug: 'antibiogrammes',
    title: '4. Déposer les antibiogrammes',
    summary: 'Un isolat par ligne, avec les libellés du laboratoire ; correspondances, puis dédoublonnage automatique.',
    who: 'Le référent ou un contributeur.',
    guide: (
      <>
        <p>
          Le fichier du laboratoire garde ses propres libellés (espèces, natures de prélèvement, antibiotiques). Au
          premier import, chaque libellé est associé une fois pour toutes à la liste de référence : la plateforme
          propose les correspondances évidentes, une personne les confirme, et l'import reprend sans nouveau dépôt.
        </p>
        <p>
          L'identifiant patient sert seulement au dédoublonnage, puis il est pseudonymisé. Les prélèvements de
          dépistage sont exclus et comptés dans le rapport.
        </p>
        <p>
          Les colonnes du fichier, leurs formats et les valeurs acceptées sont décrits dans{' '}
          <a href="#/documentation/modeles">Modèles de fichiers</a> ; le modèle « Résistances » contient un exemple
          complet.
        </p>
      </>
    ),
    tutorial: [
      "Choisissez le type « Résistances », la période et le laboratoire de l'établissement, puis déposez le fichier.",
      "Si l'import s'arrête sur « Correspondances à confirmer », confirmez les propositions ou choisissez la correspondance de chaque libellé.",
      "Cliquez sur « Reprendre l'import » : le fichier est contrôlé, puis ses isolats dédoublonnés.",
      'Le statut « Validé et dédoublonné » indique que les données sont en place.',
    ],
  },
  {
    slug: 'controles-et-cloture',
    title: '5. Vérifier les contrôles et clôturer',
    summary: 'Les contrôles croisés, bloquants ou avertissements, puis la clôture des périodes.',
    who: 'Le référent ou un contributeur (clôture) ; tous (consultation).',
    guide: (
      <>
        <p>
          Les contrôles croisent les fichiers de l'année : UF absentes de la structure, journées sans consommation,
          périodes manquantes, taux d'occupation supérieur à 100 %… Un contrôle <strong>bloquant</strong> empêche de
          clôturer sa période ; un <strong>avertissement</strong> signale un point à vérifier.
        </p>
        <p>
          Une période clôturée est figée : ses données rejoignent les analyses régionales, nationales et les données
          ouvertes. Seule l'équipe nationale peut la rouvrir, avec un motif.
        </p>
      </>
    ),
    tutorial: [
      "Onglet « Contrôles » : lisez chaque contrôle et affichez les lignes concernées.",
      'Corrigez les fichiers signalés et déposez-les à nouveau ; relancez les contrôles.',
      "Onglet « Clôture » : cliquez sur « Clôturer » en face de la période (ou de l'année), puis confirmez.",
      'Si des contrôles bloquants restent, la liste s’affiche avec ce qu’il faut corriger.',
    ],
  },
  {
    slug: 'indicateurs',
    title: '6. Lire ses indicateurs',
    summary: 'Tableau de bord, position parmi les établissements comparables, évolution, exports CSV et XLSX.',
    who: 'Tous les membres ; les profils régionaux et nationaux pour leur périmètre.',
    guide: (
      <>
        <p>
          Le tableau de bord présente la consommation (DDJ pour 1000 journées) par famille et par secteur, le
          pourcentage de résistance par espèce et antibiotique, les phénotypes (SARM, EBLSE, EPC, ERG…) et leurs
          densités d'incidence, et le panneau de la stratégie nationale. Le nuage « Consommation et résistance »
          place la consommation d'une famille d'antibiotiques face à la résistance correspondante.
        </p>
        <p>
          La section « Classification AWaRe de l'OMS » répartit les DDJ d'antibiotiques entre les groupes de la
          classification AWaRe 2023 de l'OMS : Accès (antibiotiques de première intention), À surveiller
          (Watch : risque de résistance plus élevé, à réserver à des indications précises), Réserve (derniers
          recours contre les bactéries multirésistantes) et Non classé. L'OMS fixe l'objectif d'au moins 60 %
          des DDJ dans le groupe Accès : la ligne pointillée des graphiques le trace, le texte dit s'il est
          atteint. La fosfomycine et la minocycline changent de groupe selon la voie (orale : À surveiller ;
          injectable : Réserve). Les antifongiques n'en font pas partie. Comme toute part de DDJ, ces
          pourcentages n'ont pas d'intervalle de confiance : les DDJ ne sont pas des effectifs.
        </p>
        <p>
          La bande des percentiles situe votre valeur parmi les établissements de même catégorie (P10 à P90,
          médiane). Un pourcentage calculé sur moins de 30 isolats porte la mention « effectif faible ».
        </p>
      </>
    ),
    tutorial: [
      "Onglet « Tableau de bord » de l'établissement ; choisissez l'année.",
      'Survolez une cellule du tableau de résistance pour lire le nombre d’isolats testés.',
      'Chaque tableau s’exporte en CSV (séparateur point-virgule) ou en XLSX, lisibles par un tableur.',
      'Les profils régionaux et nationaux trouvent leurs tableaux de bord dans « Indicateurs ».',
    ],
  },
];

const GLOSSARY: [string, ComponentChildren][] = [
  ['Antibiogramme', "Résultat des tests de sensibilité d'un isolat bactérien à une liste d'antibiotiques : S, SFP ou R."],
  ['ATC', "Classification anatomique, thérapeutique et chimique de l'OMS ; J01 regroupe les antibiotiques systémiques, J02 les antifongiques."],
  ['Bactériémie', 'Présence de bactéries dans le sang, mise en évidence par une hémoculture positive.'],
  ['AWaRe', "Classification des antibiotiques de l'OMS (2023) en trois groupes : Accès, À surveiller (Watch), Réserve ; objectif de l'OMS : au moins 60 % de la consommation (en DDJ) dans le groupe Accès."],
  ['Benchmark (comparaison)', "Position d'un établissement dans la distribution (P10, P25, médiane, P75, P90) des établissements de même catégorie, même année, données clôturées."],
  ['C3G', 'Céphalosporines de 3e génération (céfotaxime, ceftriaxone, ceftazidime…).'],
  ['Catégorie d’établissement', 'CHU, CH, clinique MCO, CLCC, SMR, SLD, PSY, hôpital local, HIA, EHPAD : sert à comparer des établissements semblables.'],
  ['Clôture', "Action du référent ou d'un contributeur qui fige les données d'une période, quand aucun contrôle bloquant ne reste."],
  ['Code UCD', "Unité commune de dispensation : code à 7 chiffres (ou 13 chiffres commençant par 34008) d'un médicament dispensé."],
  ['Contrôle', 'Vérification croisée des fichiers de l’année ; bloquant (empêche la clôture) ou avertissement.'],
  ['Contributeur', "Membre d'un établissement qui importe les fichiers et consulte les analyses."],
  ['DDJ', "Dose définie journalière (DDD de l'OMS) : dose moyenne d'entretien quotidienne d'un antibiotique chez l'adulte, dans son indication principale."],
  ['DDJ / 1000 JH', "Consommation rapportée à l'activité : nombre de DDJ pour 1000 journées d'hospitalisation."],
  ['DE', "Discipline d'équipement de la SAE ; détermine le secteur d'activité d'une UF."],
  ['Dédoublonnage', "Un isolat par patient, espèce et antibiotype : sur la période de chaque fichier pour ses résultats, sur l'année pour les indicateurs annuels (un isolat retenu au 1er trimestre fait de sa répétition au 2e un doublon de l'année) ; les hémocultures sont aussi dédoublonnées à part pour les bactériémies."],
  ['Densité d’incidence', "Nombre d'isolats d'un phénotype pour 1000 journées d'hospitalisation."],
  ['EBLSE', 'Entérobactérie productrice de bêta-lactamase à spectre étendu.'],
  ['EPC', 'Entérobactérie productrice de carbapénémase (OXA-48, KPC, NDM, VIM, IMP…).'],
  ['ERG', 'Entérocoque (E. faecium ou E. faecalis) résistant aux glycopeptides (vancomycine).'],
  ['FINESS', "Numéro d'identification d'un établissement sanitaire (9 caractères)."],
  ['Isolat', "Souche bactérienne isolée d'un prélèvement et testée par antibiogramme."],
  ['JH', "Journées d'hospitalisation d'une UF sur la période (hospitalisation complète ou de semaine)."],
  ['Observateur', "Membre d'un établissement qui consulte les analyses sans rien modifier."],
  ['Période', 'Un trimestre (2025-T1) ou une année (2025).'],
  ['Phénotype', 'Profil de résistance particulier d’un isolat : SARM, EBLSE, EPC, ERG, résistance aux C3G, aux fluoroquinolones, aux carbapénèmes…'],
  ['Pseudonymisation', "Remplacement de l'identifiant patient par un code non réversible, dès le dédoublonnage."],
  ['Référent', "Premier inscrit d'un établissement : gère les accès, la structure et les lits, importe et analyse."],
  ['SARM', 'Staphylococcus aureus résistant à la méticilline (résistant à la céfoxitine ou à l’oxacilline).'],
  ['Secret statistique', 'Dans les données ouvertes, une valeur calculée sur moins de 3 établissements ou moins de 10 isolats n’est pas publiée.'],
  ['Secteur', 'Grand type d’activité d’une UF : médecine, chirurgie, réanimation, gynécologie-obstétrique, pédiatrie, SMR, SLD, psychiatrie.'],
  ['SFP', 'Sensible à forte posologie (ancien « I ») ; compté comme non résistant dans le % R.'],
  ['TA', "Type d'activité d'une UF (SAE) : 03 hospitalisation complète, 20 de semaine, 08 bloc opératoire, 97 UF bébé…"],
  ['UF', "Unité fonctionnelle : la plus petite unité de l'établissement, clé commune de tous les fichiers."],
  ['% R', 'Pourcentage de souches résistantes parmi les isolats dédoublonnés testés ; « effectif faible » sous 30 isolats.'],
];

/** The accepted values of a column of the antibiogram file, as a sentence. */
function acceptedValues(column: AntibiogramColumn): string {
  if (column.values.length === 0) return '';
  const also = column.variants.length > 0 ? ` (aussi : ${column.variants.join(', ')})` : '';
  return column.values.join(', ') + also;
}

/** The columns of an antibiogram file, generated from the platform's reader (see infra/local/web_docs.py). */
function AntibiogramColumns() {
  return (
    <section aria-labelledby="colonnes-antibiogrammes">
      <h2 id="colonnes-antibiogrammes">Fichier des antibiogrammes : les colonnes</h2>
      <p>
        Une ligne par isolat, avec les libellés de votre laboratoire. Chaque colonne est reconnue par son en-tête,
        quels que soient les majuscules, les accents et les espaces ; les autres en-têtes reconnus sont indiqués sous
        chaque nom. Toute autre colonne contenant des résultats S, SFP ou R est lue comme un antibiotique.
      </p>
      <div class="table-wrap">
        <table class="compact doc-columns">
          <caption>Colonnes du fichier des antibiogrammes, dans l'ordre du modèle</caption>
          <thead>
            <tr>
              <th scope="col">Colonne</th>
              <th scope="col">Présence</th>
              <th scope="col">Contenu et format</th>
              <th scope="col">Valeurs acceptées, exemple</th>
            </tr>
          </thead>
          <tbody>
            {ANTIBIOGRAM_COLUMNS.map((c) => (
              <tr key={c.name}>
                <th scope="row">
                  <code>{c.header}</code>
                  {c.aliases.length > 0 && <div class="muted">aussi : {c.aliases.join(', ')}</div>}
                </th>
                <td>{c.presence}</td>
                <td>
                  {c.meaning}
                  {c.format !== '' && <div class="muted">{c.format}</div>}
                </td>
                <td>
                  {acceptedValues(c)}
                  {c.example !== '' && <div class="muted">Exemple : {c.example}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Catégories de prélèvement auxquelles les libellés du laboratoire sont associés : {SPECIMEN_CATEGORIES.join(', ')}.
        Les prélèvements de dépistage sont exclus.
      </p>
    </section>
  );
}

function Shell({ title, lead, children, current }: { title: string; lead?: string; current: string; children: ComponentChildren }) {
  return (
    <Page title={title} lead={lead} context={current !== '' ? <a href="#/documentation">Documentation</a> : undefined}>
      <div class="doc-layout">
        <nav class="doc-nav" aria-label="Sommaire de la documentation">
          <ul>
            <li>
              <a href="#/documentation" aria-current={current === '' ? 'page' : undefined}>
                Sommaire
              </a>
            </li>
            {STEPS.map((s) => (
              <li key={s.slug}>
                <a href={`#/documentation/${s.slug}`} aria-current={current === s.slug ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
            <li>
              <a href="#/documentation/glossaire" aria-current={current === 'glossaire' ? 'page' : undefined}>
                Glossaire
              </a>
            </li>
            <li>
              <a href="#/documentation/modeles" aria-current={current === 'modeles' ? 'page' : undefined}>
                Modèles de fichiers
              </a>
            </li>
          </ul>
        </nav>
        <div class="doc-body prose">{children}</div>
      </div>
    </Page>
  );
}

export function Documentation({ slug = '' }: { slug?: string }) {
  if (slug === 'glossaire') {
    return (
      <Shell title="Glossaire" current="glossaire" lead="Les termes de la surveillance, tels que la plateforme les emploie.">
        <dl class="glossary">
          {GLOSSARY.map(([term, text]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </Shell>
    );
  }
  if (slug === 'modeles') {
    return (
      <Shell title="Modèles de fichiers" current="modeles" lead="Un modèle XLSX par type de fichier, avec une feuille d'instructions et des listes de choix.">
        <p>
          Les fichiers peuvent aussi être déposés en CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252, dates
          JJ/MM/AAAA). Les en-têtes sont reconnus sans tenir compte des majuscules, des accents ni des espaces.
        </p>
        <ul>
          {FILE_TYPES.map((t) => (
            <li key={t}>
              <a href={templateUrl(t)} download={`modele-${t}.xlsx`}>
                {FILE_TYPE_LABELS[t]}
              </a>{' '}
              <span class="muted">(XLSX)</span>
            </li>
          ))}
        </ul>
        <AntibiogramColumns />
      </Shell>
    );
  }
  const step = STEPS.find((s) => s.slug === slug);
  if (step) {
    const index = STEPS.indexOf(step);
    return (
      <Shell title={step.title} current={step.slug} lead={step.summary}>
        <p>
          <strong>Qui :</strong> {step.who}
        </p>
        <h2>Guide</h2>
        {step.guide}
        <h2>Tutoriel</h2>
        <ol class="tutorial">
          {step.tutorial.map((t, i) => (
            <li key={i}>{t}</li>
          ))}
        </ol>
        <p class="doc-pager">
          {index > 0 && <a href={`#/documentation/${STEPS[index - 1].slug}`}>← {STEPS[index - 1].title}</a>}
          {index < STEPS.length - 1 && <a href={`#/documentation/${STEPS[index + 1].slug}`}>{STEPS[index + 1].title} →</a>}
        </p>
      </Shell>
    );
  }
  return (
    <Shell title="Documentation" current="" lead="Guide pas à pas, glossaire et modèles de fichiers.">
      <h2>Guide par étape</h2>
      <ol class="doc-steps">
        {STEPS.map((s) => (
          <li key={s.slug}>
            <a href={`#/documentation/${s.slug}`}>{s.title.replace(/^\d+\.\s*/, '')}</a>
            <span class="muted"> — {s.summary}</span>
          </li>
        ))}
      </ol>
      <h2>Références</h2>
      <ul>
        <li>
          <a href="#/documentation/glossaire">Glossaire</a> <span class="muted">— DDJ, UF, SARM, EBLSE, clôture…</span>
        </li>
        <li>
          <a href="#/documentation/modeles">Modèles de fichiers</a> <span class="muted">— structure, lits, journées, consommations, résistances</span>
        </li>
        <li>
          <a href="#/donnees-ouvertes">Données ouvertes</a> <span class="muted">— indicateurs régionaux et nationaux sans compte</span>
        </li>
      </ul>
      <Templates />
    </Shell>
  );
}
