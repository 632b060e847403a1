// French wording of the indicator dimensions (families, routes, species groups, categories).
import { PHENOTYPE_LABELS, SECTOR_LABELS } from './labels';

export const FAMILY_LABELS: Record<string, string> = {
  AMINOGLYCOSIDES: 'Aminosides',
  AMOXICILLIN_CLAVULANATE: 'Amoxicilline-acide clavulanique',
  AMPHOTERICIN_B: 'Amphotéricine B',
  ANTITUBERCULOSIS: 'Antituberculeux',
  C1G_C2G: 'Céphalosporines 1re et 2e génération',
  C3G: 'Céphalosporines 3e génération',
  C4G: 'Céphalosporines 4e génération',
  C5G_OTHER_CEPHALOSPORINS: 'Céphalosporines 5e génération et autres',
  CARBAPENEMS: 'Carbapénèmes',
  DAPTOMYCIN: 'Daptomycine',
  ECHINOCANDINS: 'Échinocandines',
  FIDAXOMICIN: 'Fidaxomicine',
  FLUOROQUINOLONES: 'Fluoroquinolones',
  FOSFOMYCIN: 'Fosfomycine',
  GLYCOPEPTIDES: 'Glycopeptides',
  IMIDAZOLES: 'Imidazolés',
  MLS: 'Macrolides, lincosamides, streptogramines',
  MONOBACTAMS: 'Monobactames',
  NITROFURANS: 'Nitrofuranes',
  ORAL_VANCOMYCIN: 'Vancomycine orale',
  OTHER_ANTIBACTERIALS: 'Autres antibiotiques',
  OTHER_ANTIFUNGALS: 'Autres antifongiques',
  OTHER_QUINOLONES: 'Autres quinolones',
  OXAZOLIDINONES: 'Oxazolidinones',
  PENICILLINS: 'Pénicillines',
  PIPERACILLIN_TAZOBACTAM: 'Pipéracilline-tazobactam',
  POLYMYXINS: 'Polymyxines',
  RIFAMPICIN: 'Rifampicine',
  SULFONAMIDES_TRIMETHOPRIM: 'Sulfamides et triméthoprime',
  TETRACYCLINES: 'Tétracyclines',
  TRIAZOLES: 'Triazolés',
};

export const ROUTE_LABELS: Record<string, string> = { O: 'Orale', P: 'Parentérale', R: 'Rectale', N: 'Nasale', I: 'Inhalée' };

export const SPECIES_GROUP_LABELS: Record<string, string> = {
  enterobacterales: 'Entérobactéries',
  staphylococci: 'Staphylocoques',
  enterococci: 'Entérocoques',
  streptococci: 'Streptocoques',
  non_fermenters: 'Bacilles non fermentants',
  anaerobes: 'Anaérobies',
  other_gram_negative: 'Autres bacilles à Gram négatif',
  other_gram_positive: 'Autres bactéries à Gram positif',
  fungi: 'Levures et champignons',
};

export const CATEGORY_LABELS: Record<string, string> = {
  CHU: 'Centre hospitalier universitaire',
  CH: 'Centre hospitalier',
  MCO: 'Clinique privée MCO',
  CLCC: 'Centre de lutte contre le cancer',
  SMR: 'Soins médicaux et de réadaptation',
  SLD: 'Soins de longue durée',
  PSY: 'Établissement de santé mentale',
  HL: 'Hôpital local',
  HIA: "Hôpital d'instruction des armées",
  EHPAD: 'EHPAD',
};

/** What each phenotype is a share of (for % phenotype). */
export const PHENOTYPE_AMONG: Record<string, string> = {
  sarm: 'S. aureus',
  eblse: 'Entérobactéries',
  epc: 'Entérobactéries',
  erg: 'E. faecium et E. faecalis',
  c3g_r: 'Entérobactéries',
  fq_r: 'Entérobactéries',
  carba_r: 'P. aeruginosa et A. baumannii',
  caz_r: 'P. aeruginosa',
};

/** Short names for charts. */
export const PHENOTYPE_SHORT: Record<string, string> = {
  sarm: 'SARM',
  eblse: 'EBLSE',
  epc: 'EPC',
  erg: 'ERG',
  c3g_r: 'Entérobactéries C3G-R',
  fq_r: 'Entérobactéries FQ-R',
  carba_r: 'Carbapénèmes-R (P. aeruginosa, A. baumannii)',
  caz_r: 'Ceftazidime-R (P. aeruginosa)',
};

export const PHENOTYPES = ['sarm', 'eblse', 'epc', 'erg', 'c3g_r', 'fq_r', 'carba_r', 'caz_r'] as const;

/** WHO's AWaRe groups in WHO's French terms, the English name alongside. */
export const AWARE_LABELS: Record<string, string> = {
  access: 'Accès (Access)',
  watch: 'À surveiller (Watch)',
  reserve: 'Réserve (Reserve)',
  not_classified: 'Non classé',
};
export const AWARE_ORDER = ['access', 'watch', 'reserve', 'not_classified'] as const;
export const awareLabel = (code: string | null | undefined) => (code ? (AWARE_LABELS[code] ?? code) : '—');

export const familyLabel = (code: string | null | undefined) => (code ? (FAMILY_LABELS[code] ?? code) : '—');
export const sectorLabel = (code: string | null | undefined) => (code ? (SECTOR_LABELS[code] ?? code) : '—');
export const routeLabel = (code: string | null | undefined) => (code ? (ROUTE_LABELS[code] ?? code) : '—');
export const groupLabel = (code: string | null | undefined) => (code ? (SPECIES_GROUP_LABELS[code] ?? code) : '—');
export const phenotypeLabel = (code: string) => PHENOTYPE_LABELS[code] ?? code;

export const FLAG_LABELS: Record<string, string> = {
  effectif_faible: 'effectif faible',
};
export const flagLabel = (flag: string | null | undefined) => (flag ? (FLAG_LABELS[flag] ?? flag.replace(/_/g, ' ')) : '');
