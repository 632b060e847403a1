"""The French e-mails the platform sends, as pure functions of their facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access import Status

PLATFORM = "ConsoRes"
SIGNATURE = (
    "\n\n--\nL'équipe ConsoRes\n"
    "Surveillance de la consommation des antibiotiques et de la résistance bactérienne en établissement de santé"
)


@dataclass(frozen=True)
class Letter:
    to: tuple[str, ...]
    subject: str
    body: str


def confirmation_code(to: str, first_name: str, code: str) -> Letter:
    return Letter(
        (to,),
        f"{PLATFORM} : votre code de confirmation",
        f"Bonjour {first_name},\n\n"
        f"Pour activer votre compte {PLATFORM}, saisissez le code de confirmation suivant : {code}\n\n"
        "Ce code est valable 24 heures. Si vous n'avez pas créé de compte, ignorez ce message." + SIGNATURE,
    )


def account_already_exists(to: str) -> Letter:
    """Sent instead of a code when someone signs up with an address that has an account."""
    return Letter(
        (to,),
        f"{PLATFORM} : votre adresse a déjà un compte",
        "Bonjour,\n\n"
        f"Quelqu'un vient de demander la création d'un compte {PLATFORM} avec cette adresse, qui en a déjà un. "
        "Si c'est vous, connectez-vous, ou choisissez « Mot de passe oublié » pour en définir un nouveau. "
        "Sinon, ignorez ce message : votre compte n'a pas changé." + SIGNATURE,
    )


def password_reset_code(to: str, code: str) -> Letter:
    return Letter(
        (to,),
        f"{PLATFORM} : réinitialisation de votre mot de passe",
        "Bonjour,\n\n"
        f"Pour choisir un nouveau mot de passe, saisissez le code suivant : {code}\n\n"
        "Ce code est valable 1 heure. Si vous n'avez rien demandé, ignorez ce message : "
        "votre mot de passe actuel reste valable." + SIGNATURE,
    )


def authenticator_added(to: str, at: datetime, contact: str) -> Letter:
    """To the user, once an authenticator app is their second factor: if it was not them, their password is known."""
    return Letter(
        (to,),
        f"{PLATFORM} : double authentification activée sur votre compte",
        "Bonjour,\n\n"
        f"Une application d'authentification a été associée à votre compte {PLATFORM} le "
        f"{at.strftime('%d/%m/%Y à %H:%M UTC')}. Chaque connexion vous demandera désormais, après votre mot de "
        "passe, le code à 6 chiffres qu'elle affiche ; vos sessions ouvertes ont été fermées.\n\n"
        "Si c'est vous, vous n'avez rien à faire.\n\n"
        "Si ce n'est pas vous, quelqu'un connaît votre mot de passe : choisissez-en un nouveau sans attendre "
        "(« Mot de passe oublié » sur la page de connexion) et contactez l'équipe nationale ConsoRes "
        f"({contact}) pour qu'elle retire cette application de votre compte." + SIGNATURE,
    )


def information_letter(
    to: tuple[str, ...], establishment: str, finess: str, referent_name: str, referent_email: str, contact: str
) -> Letter:
    """The letter sent to the management (and DPO) when a first référent registers."""
    return Letter(
        to,
        f"{PLATFORM} : inscription de {establishment} à la surveillance",
        "Madame, Monsieur,\n\n"
        f"{referent_name} ({referent_email}) vient d'inscrire votre établissement, {establishment} "
        f"(FINESS {finess}), sur la plateforme {PLATFORM} en tant que référent, et a accepté la charte "
        "d'utilisation au nom de l'établissement.\n\n"
        "Ce qui est recueilli : la structure de l'établissement (unités fonctionnelles, lits), les journées "
        "d'hospitalisation, les quantités d'antibiotiques et d'antifongiques dispensées par la pharmacie à "
        "usage intérieur, et les antibiogrammes du laboratoire. Aucun nom de patient n'est recueilli ; "
        "l'identifiant patient sert uniquement au dédoublonnage des souches puis est remplacé par un "
        "pseudonyme, et le fichier source est supprimé.\n\n"
        "Pourquoi : la surveillance nationale de la consommation des antibiotiques et de la résistance "
        "bactérienne permet à chaque établissement de se situer par rapport aux établissements comparables, "
        "et alimente les indicateurs régionaux, nationaux et européens (EARS-Net).\n\n"
        f"Le référent gère les accès des autres membres de l'établissement. Pour toute question : {contact}." + SIGNATURE,
    )


def access_requested(to: str, establishment: str, requester_name: str, requester_email: str) -> Letter:
    return Letter(
        (to,),
        f"{PLATFORM} : nouvelle demande d'accès à {establishment}",
        "Bonjour,\n\n"
        f"{requester_name} ({requester_email}) demande l'accès à {establishment}. En tant que référent, "
        f"vous pouvez accepter cette demande (contributeur ou observateur) ou la refuser depuis {PLATFORM}." + SIGNATURE,
    )


def access_decided(to: str, establishment: str, accepted: bool, status: Status | None) -> Letter:
    if accepted and status is not None:
        outcome = f"a été acceptée : vous êtes désormais {status.label} de {establishment}."
    else:
        outcome = "a été refusée par le référent de l'établissement."
    return Letter(
        (to,),
        f"{PLATFORM} : votre demande d'accès à {establishment}",
        f"Bonjour,\n\nVotre demande d'accès à {establishment} {outcome}" + SIGNATURE,
    )


def referent_handed_over(to: str, establishment: str) -> Letter:
    return Letter(
        (to,),
        f"{PLATFORM} : vous êtes référent de {establishment}",
        f"Bonjour,\n\nLe rôle de référent de {establishment} vous a été confié. Vous gérez désormais les "
        "demandes d'accès, la structure et les lits de l'établissement." + SIGNATURE,
    )


def period_closed(to: tuple[str, ...], establishment: str, period: str) -> Letter:
    return Letter(
        to,
        f"{PLATFORM} : période {period} clôturée pour {establishment}",
        "Bonjour,\n\n"
        f"La période {period} de {establishment} est clôturée : ses données sont figées et rejoignent les "
        "analyses régionales et nationales. Le rapport de l'établissement tiendra compte de cette période. "
        "Seule l'équipe nationale peut rouvrir une période clôturée." + SIGNATURE,
    )


def ears_net_export(
    to: tuple[str, ...], year: int, published: bool, counts: dict[str, int], validation: dict[str, int], summary: str
) -> Letter:
    """To the national team: the EARS-Net export of a year, its counts and its validation (no personal data)."""
    outcome = (
        "L'export est publié : les fichiers AMRTEST et AMRCOVER sont prêts à être déposés sur TESSy "
        "(écran « Export EARS-Net » de l'administration)."
        if published
        else "L'export n'est PAS publié : le contrôle a trouvé des erreurs bloquantes, que l'ECDC rejetterait. "
        "Le rapport de validation détaille chaque erreur (écran « Export EARS-Net » de l'administration)."
    )
    return Letter(
        to,
        f"{PLATFORM} : export EARS-Net {year} {'publié' if published else 'rejeté'}",
        "Bonjour,\n\n"
        f"L'export EARS-Net (ECDC TESSy) des souches invasives de l'année {year} vient d'être produit à partir des "
        "données clôturées.\n\n"
        f"{outcome}\n\n"
        f"- Enregistrements AMRTEST : {_n(counts, 'amrtest_records')} ({_n(counts, 'new')} nouveau(x), "
        f"{_n(counts, 'updated')} modifié(s), {_n(counts, 'unchanged')} inchangé(s), {_n(counts, 'deleted')} retiré(s))\n"
        f"- Souches (isolats) : {_n(counts, 'isolates')}\n"
        f"- Enregistrements AMRCOVER : {_n(counts, 'amrcover_records')}\n"
        f"- Établissements couverts : {_n(counts, 'establishments')}\n\n"
        f"Validation : {_n(validation, 'errors')} erreur(s), {_n(validation, 'warnings')} avertissement(s), "
        f"{_n(validation, 'ignored')} enregistrement(s) ignoré(s).\n{summary}" + SIGNATURE,
    )


#: How a mapping's kind reads in French.
MAPPING_KINDS_FR = {"species": "espèce", "specimen": "type de prélèvement", "antibiotic": "antibiotique"}


@dataclass(frozen=True)
class MappingChange:
    kind: str
    label: str
    before: str
    after: str


def mapping_changed(
    to: tuple[str, ...], laboratory: str, establishment: str, version: int, by: str, changes: tuple[MappingChange, ...]
) -> Letter:
    """To the référent of an establishment the laboratory serves, when someone changed confirmed mappings (DOMAIN.md §10.3)."""
    listed = "".join(f"\n- {MAPPING_KINDS_FR.get(c.kind, c.kind)} « {c.label} » : {c.before} → {c.after}" for c in changes)
    return Letter(
        to,
        f"{PLATFORM} : correspondances du laboratoire {laboratory} modifiées",
        "Bonjour,\n\n"
        f"{by} a modifié des correspondances confirmées du laboratoire {laboratory}, qui sert aussi "
        f"votre établissement ({establishment}). La table de correspondances passe à la version {version} :{listed}\n\n"
        "Les prochains imports de ce laboratoire utiliseront ces correspondances. Vos imports déjà intégrés gardent "
        "leur résultat et les périodes clôturées ne changent pas ; pour appliquer les nouvelles correspondances à une "
        "période ouverte, renvoyez son fichier d'antibiogrammes. Si une correspondance vous paraît fausse, "
        "répondez à l'auteur de la modification ou ouvrez une demande d'assistance." + SIGNATURE,
    )


def _n(counts: dict[str, int], key: str) -> str:
    """A count the French way: 1 206 (narrow no-break space between thousands)."""
    return f"{counts.get(key, 0):,}".replace(",", "\u202f")


def report_ready(to: tuple[str, ...], establishment: str, year: int, version: int, link: str) -> Letter:
    """To the establishment's members: the standard report of the year is ready (DOMAIN.md §10.8)."""
    again = f" (version {version} : elle remplace la précédente, qui reste consultable)" if version > 1 else ""
    return Letter(
        to,
        f"{PLATFORM} : rapport {year} de {establishment} disponible",
        "Bonjour,\n\n"
        f"Toutes les périodes {year} de {establishment} sont clôturées : le rapport annuel de l'établissement "
        f"est disponible{again}. Il présente la consommation d'antibiotiques, la résistance bactérienne, leur "
        "évolution et la position de l'établissement parmi ceux de sa catégorie.\n\n"
        f"Téléchargez-le dans {PLATFORM}, page « Périodes » de l'établissement :\n{link}" + SIGNATURE,
    )


def report_failed(to: tuple[str, ...], establishment: str, year: int) -> Letter:
    """To the establishment's members: the report could not be made; the closure itself stands."""
    return Letter(
        to,
        f"{PLATFORM} : le rapport {year} de {establishment} n'a pas pu être produit",
        "Bonjour,\n\n"
        f"La clôture des données {year} de {establishment} est bien enregistrée, mais la production du rapport "
        "annuel a échoué malgré plusieurs tentatives. L'équipe ConsoRes en est informée et le produira à nouveau ; "
        "vous recevrez un message dès qu'il sera disponible." + SIGNATURE,
    )


def deadline_reminder(
    to: tuple[str, ...], establishment: str, year: int, deadline: str, days: int, missing: tuple[str, ...], link: str
) -> Letter:
    """To an establishment's référents: the campaign's deadline comes and its year is not complete (DOMAIN.md §10.9)."""
    when = "aujourd'hui" if days == 0 else ("demain" if days == 1 else f"dans {days} jours")
    listed = "".join(f"\n- {line}" for line in missing)
    return Letter(
        to,
        f"{PLATFORM} : données {year} de {establishment} à compléter avant le {deadline}",
        "Bonjour,\n\n"
        f"La date limite de la campagne {year} est le {deadline} ({when}). Pour {establishment}, il reste à "
        f"envoyer ou à clôturer :{listed}\n\n"
        f"Suivez l'état de vos périodes dans {PLATFORM} :\n{link}\n\n"
        "Si vous rencontrez une difficulté, contactez votre cellule régionale." + SIGNATURE,
    )


def ticket_opened(
    to: tuple[str, ...],
    ticket_id: str,
    category: str,
    subject: str,
    establishment: str | None,
    author: str,
    body: str,
    link: str,
) -> Letter:
    """To the owning team: a user asks for help (DOMAIN.md §10.9). The body is quoted as plain text."""
    about = f" pour {establishment}" if establishment else ""
    return Letter(
        to,
        f"{PLATFORM} : nouvelle demande n° {ticket_id} — {subject}",
        "Bonjour,\n\n"
        f"{author} a ouvert une demande de support{about} (catégorie : {category}).\n\n"
        f"Objet : {subject}\n\n{body}\n\n"
        f"Répondez à cette demande dans {PLATFORM} :\n{link}" + SIGNATURE,
    )


def ticket_reply(to: tuple[str, ...], ticket_id: str, subject: str, author: str, body: str, link: str) -> Letter:
    """To the other side of the thread: a new message on a ticket."""
    return Letter(
        to,
        f"{PLATFORM} : nouvelle réponse à la demande n° {ticket_id} — {subject}",
        "Bonjour,\n\n"
        f"{author} a répondu à la demande « {subject} » :\n\n{body}\n\n"
        f"Lisez la discussion et répondez dans {PLATFORM} :\n{link}" + SIGNATURE,
    )


def ticket_status(to: tuple[str, ...], ticket_id: str, subject: str, status: str, note: str | None, link: str) -> Letter:
    """To the author: the team moved the ticket (resolved, waiting for them…)."""
    said = f"\n\n{note}" if note else ""
    return Letter(
        to,
        f"{PLATFORM} : demande n° {ticket_id} — {status.lower()}",
        "Bonjour,\n\n"
        f"Votre demande « {subject} » a désormais le statut : {status}.{said}\n\n"
        f"Suivez-la dans {PLATFORM} :\n{link}" + SIGNATURE,
    )


def waiting_file_settled(
    to: tuple[str, ...], establishment: str, filename: str, period: str, ucds: tuple[str, ...], validated: bool, why: str,
    link: str,
) -> Letter:  # fmt: skip
    """To the sender and the référent: a consumption file that waited on the catalogue (DOMAIN.md §10.4) is
    validated at last, or refused (``why``)."""
    codes = ", ".join(ucds)
    if validated:
        subject = f"{PLATFORM} : fichier de consommation {period} de {establishment} validé"
        text = (
            f"Les codes UCD qui manquaient au référentiel des médicaments ({codes}) y ont été ajoutés : le fichier "
            f"« {filename} » ({period}) a été traité à nouveau et validé. Ses données sont enregistrées ; "
            "vous n'avez rien à renvoyer."
        )
    else:
        subject = f"{PLATFORM} : fichier de consommation {period} de {establishment} refusé"
        text = (
            f"Le fichier « {filename} » ({period}) attendait l'ajout des codes UCD {codes} au référentiel des médicaments. {why}"
        )
    return Letter(to, subject, "Bonjour,\n\n" + text + f"\n\nLe rapport d'import :\n{link}" + SIGNATURE)


def alert_raised(
    to: tuple[str, ...],
    establishment: str,
    finess: str,
    kind: str,
    phenotype: str,
    species: str,
    specimen_date: str,
    link: str,
) -> Letter:
    """To the establishment's référent: an import raised an alert on a rare phenotype (DOMAIN.md §10.10).
    No patient identifier: the species, the phenotype and the specimen's date only."""
    day = ".".join(reversed(specimen_date.split("-"))).replace(".", "/")
    return Letter(
        to,
        f"{PLATFORM} : alerte {phenotype} — {establishment}",
        "Bonjour,\n\n"
        f"L'import des antibiogrammes de {establishment} (FINESS {finess}) a relevé un phénotype de résistance "
        f"rare ou émergent :\n\n"
        f"- {kind}\n- Phénotype : {phenotype}\n- Espèce : {species}\n- Date du prélèvement : {day}\n\n"
        "Vérifiez le résultat auprès du laboratoire et, s'il se confirme, les mesures de signalement et de "
        "prévention de la transmission prévues par votre établissement.\n\n"
        f"Consultez l'alerte et indiquez qu'elle est vue ou traitée dans {PLATFORM} :\n{link}" + SIGNATURE,
    )
