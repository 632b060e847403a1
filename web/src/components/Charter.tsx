/** The charter the first person of an establishment (its future référent) accepts. */
export function CharterText() {
  return (
    <div class="charter" tabIndex={0} role="region" aria-labelledby="charte-titre">
      <h3 id="charte-titre">Charte d'utilisation de ConsoRes</h3>
      <h4>1. Objet de la surveillance</h4>
      <p>
        ConsoRes recueille les consommations d'antibiotiques et d'antifongiques et les résistances bactériennes des
        établissements de santé. Ces données permettent à chaque établissement de suivre ses indicateurs et de se
        comparer aux établissements de même catégorie, et aux équipes régionales, nationale et européenne de
        surveiller l'antibiorésistance et d'orienter les actions de bon usage des antibiotiques.
      </p>
      <h4>2. Confidentialité</h4>
      <p>
        Les données individuelles de l'établissement ne sont accessibles qu'à ses membres et aux équipes de
        surveillance régionale et nationale. Les résultats publiés en accès ouvert sont agrégés, portent sur des
        données validées et masquent les petits effectifs. Chaque utilisateur garde ses identifiants personnels et
        ne les partage pas.
      </p>
      <h4>3. Pseudonymisation des patients</h4>
      <p>
        Les fichiers déposés ne contiennent ni nom, ni prénom, ni numéro de sécurité sociale des patients.
        L'identifiant patient, utile au dédoublonnage des souches, est remplacé dès l'import par un pseudonyme
        irréversible propre à l'établissement ; la date de naissance est convertie en âge ; le fichier d'origine est
        supprimé une fois l'import réussi.
      </p>
      <h4>4. Engagements du référent</h4>
      <ul>
        <li>examiner les demandes d'accès et n'accorder l'accès qu'aux personnes qui en ont besoin ;</li>
        <li>retirer ou adapter les accès des personnes qui changent de fonction ou quittent l'établissement ;</li>
        <li>tenir à jour la structure (unités fonctionnelles) et les lits de l'établissement ;</li>
        <li>veiller à la transmission des données dans les délais, vérifier les contrôles et clôturer les périodes ;</li>
        <li>transmettre le rôle de référent à un autre membre avant de quitter ses fonctions.</li>
      </ul>
      <h4>5. Information de la direction</h4>
      <p>
        En acceptant la charte, vous indiquez l'adresse e-mail de la direction de l'établissement et, si vous la
        connaissez, celle de son délégué à la protection des données (DPO). Une lettre d'information leur est
        envoyée automatiquement.
      </p>
    </div>
  );
}
