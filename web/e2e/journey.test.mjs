// A newcomer's whole journey, then a second user's access request and the
// référent's decision — in headless Chromium against the embedded runtime.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN,
  closePlatformAndBrowser,
  frenchNumber,
  go,
  newPage,
  normalise,
  openPlatformAndBrowser,
  screenshot,
  settle,
  uiLogin,
  writeFiles,
} from './harness.mjs';

const FINESS = '850000993'; // "Clinique du Bocage (démo)": no référent in the demo
const YEAR = '2025';
const NEWCOMER = { first: 'Hélène', last: 'Durand', email: 'helene.durand@clinique-bocage.fr', password: 'Bocage-Test-2026!' };
const SECOND = { first: 'Paul', last: 'Bernard', email: 'paul.bernard@clinique-bocage.fr', password: 'Bocage-Test-2026!' };

// Small but realistic files (CSV with ";", as hospital software exports them).
const FILES = {
  'structure.csv': 'code_uf;libelle_uf;code_ta;code_de\n1001;Médecine polyvalente;03;38\n2001;Chirurgie digestive;03;137\n',
  'lits.csv': `code_uf;annee;lits\n1001;${YEAR};20\n2001;${YEAR};15\n`,
  'journees.csv': `code_uf;periode;journees\n1001;${YEAR};6120\n2001;${YEAR};4380\n`,
  'consommations.csv':
    'code_uf;code_ucd;libelle;quantite;periode\n' +
    `1001;0900011;Amoxicilline/acide clavulanique 1 g/125 mg cp;1850;${YEAR}\n` +
    `1001;0900008;Amoxicilline 1 g inj;1500;${YEAR}\n` +
    `1001;0900046;Ceftriaxone 1 g inj;1000;${YEAR}\n` +
    `2001;0900011;Amoxicilline/acide clavulanique 1 g/125 mg cp;1150;${YEAR}\n` +
    `2001;0900008;Amoxicilline 1 g inj;1500;${YEAR}\n` +
    `2001;0900046;Ceftriaxone 1 g inj;800;${YEAR}\n`,
  'antibiogrammes.csv': antibiograms(),
};

/** 40 isolates in the laboratory's own labels (unknown to a new laboratory: to be mapped). */
function antibiograms() {
  const rows = ['code_uf;IPP;age;sexe;date_prelevement;nature_prelevement;espece;Amoxicilline;Céfotaxime;Céfoxitine;Oxacilline;Ciprofloxacine;BLSE'];
  const species = ['E. coli', 'Klebsiella pneumoniae', 'Staphylococcus aureus'];
  for (let i = 0; i < 40; i++) {
    const sp = species[i % 3];
    const uf = i % 2 ? '1001' : '2001';
    const date = `${String((i % 27) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${YEAR}`;
    const specimen = i % 5 === 0 ? 'Hémoculture' : 'ECBU';
    const resistant = i % 4 === 0;
    if (sp === 'Staphylococcus aureus') rows.push(`${uf};P${1000 + i};${40 + (i % 50)};${i % 2 ? 'F' : 'M'};${date};${specimen};${sp};;;${resistant ? 'R' : 'S'};${resistant ? 'R' : 'S'};S;`);
    else rows.push(`${uf};P${1000 + i};${40 + (i % 50)};${i % 2 ? 'F' : 'M'};${date};${specimen};${sp};R;${resistant ? 'R' : 'S'};;;${i % 3 ? 'S' : 'R'};${resistant ? 'oui' : 'non'}`);
  }
  return `${rows.join('\n')}\n`;
}

describe('parcours complet d’un nouvel établissement', () => {
  let platform;
  let browser;
  let client;
  let files;
  let page;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser());
    files = writeFiles(FILES);
    // The national team links a new laboratory to the establishment (its labels are all new).
    const admin = await client.login(ADMIN.email, ADMIN.password);
    const lab = await client.call('POST', '/admin/laboratories', { name: 'Laboratoire du Bocage (e2e)', ears_net_code: 'FR002' }, admin);
    await client.call('PUT', `/admin/establishments/${FINESS}/laboratories/${lab.id}`, {}, admin);
    page = await newPage(browser, platform.base);
  });

  after(async () => {
    await closePlatformAndBrowser({ platform, browser });
    files?.cleanup();
  });

  test('un visiteur crée son compte et le confirme avec le code reçu', async () => {
    await go(page, '#/');
    await screenshot(page, '01-accueil');
    await page.getByRole('link', { name: 'Connexion' }).first().click();
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByLabel('Prénom').fill(NEWCOMER.first);
    await page.getByLabel(/^Nom/).fill(NEWCOMER.last);
    await page.getByLabel('Adresse e-mail professionnelle').fill(NEWCOMER.email);
    await page.getByLabel(/^Mot de passe/).fill(NEWCOMER.password);
    await page.getByLabel('Confirmer le mot de passe').fill(NEWCOMER.password);
    const rule = await client.call('GET', '/auth/password-rule');
    await page.getByText(rule.text).waitFor(); // the rule as the server applies it, stated once
    await screenshot(page, '02-inscription');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.waitForURL(/#\/confirmation/);
    await page.getByRole('button', { name: 'Renvoyer le code' }).click();
    await page.getByText('un nouveau code y est envoyé').waitFor();
    const code = await client.confirmationCode(NEWCOMER.email);
    await page.getByLabel('Code de confirmation').fill(code);
    await screenshot(page, '03-confirmation');
    await page.getByRole('button', { name: 'Confirmer mon compte' }).click();
    await page.waitForURL(/#\/connexion/);
    await screenshot(page, '04-connexion');
    await uiLogin(page, NEWCOMER.email, NEWCOMER.password);
    await screenshot(page, '05-mon-espace-nouveau');
  });

  test('il demande l’accès à un établissement sans référent et accepte la charte', async () => {
    await page.getByRole('link', { name: "Demander l'accès à un établissement" }).click();
    await page.getByLabel('Région').selectOption({ label: 'Pays de la Loire' });
    await page.getByLabel('Établissement', { exact: true }).selectOption(FINESS);
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByLabel("J'ai lu la charte d'utilisation et je l'accepte.").check();
    await page.getByLabel("E-mail de la direction de l'établissement").fill('direction@clinique-bocage.fr');
    await screenshot(page, '06-charte');
    await page.getByRole('button', { name: 'Accepter la charte et devenir référent' }).click();
    await page.getByRole('heading', { name: 'Vous êtes référent' }).waitFor();
    await page.getByRole('link', { name: "Ouvrir la page de l'établissement" }).click();
    await settle(page);
    await page.locator('.page-context .badge', { hasText: 'Référent' }).waitFor();
    await screenshot(page, '07-suivi-annee-vide');
  });

  async function upload(type, file, { period = YEAR, screenshotName } = {}) {
    await go(page, `#/etablissements/${FINESS}/import`);
    await page.getByLabel('Type de fichier').selectOption(type);
    await page.getByLabel('Année', { exact: true }).selectOption(YEAR);
    const periodSelect = page.getByLabel('Période', { exact: true });
    await periodSelect.waitFor();
    if (!(await periodSelect.isDisabled()) && (await periodSelect.inputValue()) !== period) await periodSelect.selectOption(period);
    await page.getByLabel('Fichier à importer').setInputFiles(files.paths[file]);
    if (screenshotName) await screenshot(page, screenshotName);
    await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
    await page.waitForURL(/\/imports\//);
  }

  async function waitStatus(text, timeout = 60_000) {
    await page.locator('.live-status', { hasText: text }).waitFor({ timeout });
    await settle(page);
  }

  test('il importe la structure, les lits, les journées et les consommations', async () => {
    await upload('structure', 'structure.csv', { screenshotName: '08-import-structure' });
    await waitStatus('Le fichier est validé');
    await screenshot(page, '09-rapport-structure');
    // Closing now is refused: the blocking controls say what to fix.
    await go(page, `#/etablissements/${FINESS}/periodes?annee=${YEAR}`);
    const year = page.locator('tr', { has: page.getByRole('rowheader', { name: `Année ${YEAR}` }) });
    await year.getByRole('button', { name: /Clôturer/ }).click();
    await page.getByRole('button', { name: 'Confirmer la clôture' }).click();
    const blocking = page.locator('section.blocking');
    await blocking.getByRole('heading', { name: /ne peut pas être clôturée/ }).waitFor();
    assert.ok((await blocking.locator('.control-bloquant').count()) > 0);
    await blocking.getByText('Que faire ?').first().waitFor();
    await screenshot(page, '09b-cloture-refusee-controles-bloquants');
    await upload('beds', 'lits.csv');
    await waitStatus('Le fichier est validé');
    await upload('patient_days', 'journees.csv');
    await waitStatus('Le fichier est validé');
    await upload('consumption', 'consommations.csv');
    await waitStatus('Le fichier est validé');
    await screenshot(page, '10-rapport-consommations');
    await go(page, `#/etablissements/${FINESS}/structure`);
    await page.getByText('Médecine polyvalente').first().waitFor();
    await screenshot(page, '11-structure-et-lits');
    await go(page, `#/etablissements/${FINESS}?annee=${YEAR}`);
    assert.equal(await page.locator('table.grid .badge', { hasText: /^Validé$/ }).count(), 4, 'four files VALIDATED in the year grid');
    await screenshot(page, '12-suivi-annee-consommations');
  });

  test('il déclare que ses consommations ne couvrent pas les antifongiques : l’indicateur ne le compte plus', async () => {
    const token = await client.login(NEWCOMER.email, NEWCOMER.password);
    const antifungals = () =>
      client.call('GET', `/indicators/antifungal_ddj_1000jh?scope=establishment:${FINESS}&year=${YEAR}`, undefined, token);
    assert.equal((await antifungals()).rows.length, 1, 'covered until stated otherwise');
    await go(page, `#/etablissements/${FINESS}/structure`);
    const box = page.getByLabel('Nos fichiers de consommation couvrent les antifongiques (J02)');
    await box.waitFor();
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    await page.getByRole('button', { name: `Enregistrer la couverture des antifongiques ${YEAR}` }).click();
    await page.getByText(/l'établissement sort de leurs indicateurs/).waitFor();
    await screenshot(page, '12b-reglages-sans-antifongiques');
    const saved = await client.call('GET', `/establishments/${FINESS}/settings/${YEAR}`, undefined, token);
    assert.equal(saved.antifungals_reported, false);
    assert.equal(saved.resistance_periodicity, undefined, 'the statement alone fixes no periodicity');
    assert.deepEqual((await antifungals()).rows, [], 'left out of the antifungal indicators');
    await box.check();
    await page.getByRole('button', { name: `Enregistrer la couverture des antifongiques ${YEAR}` }).click();
    await page.getByText(/l'établissement compte dans leurs indicateurs/).waitFor();
    assert.equal((await antifungals()).rows.length, 1);
    assert.deepEqual(page.problems, []);
  });

  test('il importe les antibiogrammes, confirme les correspondances et reprend l’import', async () => {
    await upload('resistance', 'antibiogrammes.csv', { screenshotName: '13-import-antibiogrammes' });
    await waitStatus("L'import attend la confirmation des correspondances");
    await page.getByRole('heading', { name: 'Correspondances à confirmer' }).waitFor();
    await screenshot(page, '14-correspondances-a-confirmer');
    const proposals = page.getByRole('button', { name: /^Confirmer (les \d+ propositions automatiques|la proposition automatique)$/ });
    for (let left = await proposals.count(); left > 0; left = await proposals.count()) {
      await proposals.first().click();
      // Its answer removes the button: wait for that, not a clock (on a loaded machine the answer may take
      // seconds, and clicking again meanwhile would pick the same, disabled, button and then lose it).
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('button')].filter((b) => /^Confirmer (les \d+ propositions automatiques|la proposition automatique)$/.test(b.textContent.trim())).length < n,
        left,
        { timeout: 90_000 },
      );
    }
    const resume = page.getByRole('button', { name: "Reprendre l'import" });
    await assertEnabled(resume);
    await screenshot(page, '15-correspondances-confirmees');
    await resume.click();
    await waitStatus('validé et ses isolats dédoublonnés', 90_000);
    await screenshot(page, '16-rapport-antibiogrammes');
  });

  test('il modifie une correspondance confirmée ; l’import déjà intégré garde sa version', async () => {
    const note = page.getByText(/Correspondances du laboratoire utilisées : version (\d+)\./);
    await note.waitFor();
    const used = Number(/version (\d+)/.exec(await note.textContent())[1]);
    const uploadHash = new URL(page.url()).hash;
    await page.getByRole('link', { name: 'Voir les correspondances' }).click();
    await page.getByRole('heading', { name: `Table de correspondances — version ${used}` }).waitFor();
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Ciprofloxacine', exact: true }) });
    assert.equal(normalise(await row.locator('td.mono').first().textContent()), 'CIP');
    await row.getByLabel('Nouveau code pour « Ciprofloxacine »').fill('LVX');
    await row.getByRole('button', { name: 'Modifier' }).click();
    await page.getByRole('heading', { name: `Table de correspondances — version ${used + 1}` }).waitFor();
    const changed = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Ciprofloxacine', exact: true }) });
    assert.deepEqual((await changed.locator('td.mono').allTextContents()).map(normalise), ['LVX', 'CIP']);
    assert.ok(normalise(await changed.textContent()).includes(NEWCOMER.email), 'who changed it is shown');
    await screenshot(page, '16b-correspondances-du-laboratoire');
    await go(page, uploadHash);
    await page.getByText(`Les correspondances ont changé depuis cet import (version ${used + 1})`).waitFor();
  });

  async function assertEnabled(locator) {
    await locator.waitFor();
    for (let i = 0; i < 50 && (await locator.isDisabled()); i++) await page.waitForTimeout(200);
    assert.equal(await locator.isDisabled(), false, `${await locator.textContent()} should be enabled`);
  }

  test('il consulte les contrôles puis clôture l’année', async () => {
    await go(page, `#/etablissements/${FINESS}/controles?annee=${YEAR}`);
    assert.equal(await page.locator('.control-bloquant').count(), 0, 'no blocking control');
    await screenshot(page, '17-controles');
    await page.getByRole('link', { name: 'Clôture', exact: true }).click();
    await settle(page);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: `Année ${YEAR}` }) });
    await row.getByRole('button', { name: /Clôturer/ }).click();
    await page.getByRole('button', { name: 'Confirmer la clôture' }).waitFor();
    await screenshot(page, '18-cloture-confirmation');
    await page.getByRole('button', { name: 'Confirmer la clôture' }).click();
    await row.locator('.badge', { hasText: 'Clôturée' }).waitFor({ timeout: 60_000 });
    await page.getByText(`L'année ${YEAR} est clôturée`).waitFor();
    await screenshot(page, '19-periodes-cloturees');
  });

  test('le tableau de bord montre la consommation calculée par l’API', async () => {
    const token = await client.login(NEWCOMER.email, NEWCOMER.password);
    const expected = await client.call('GET', `/indicators/ddj_1000jh?scope=establishment:${FINESS}&year=${YEAR}`, undefined, token);
    assert.equal(expected.rows.length, 1);
    await page.getByRole('link', { name: 'Tableau de bord', exact: true }).click();
    await settle(page);
    const tile = page.locator('[data-indicator="ddj_1000jh"] .tile-value');
    await tile.waitFor();
    assert.equal(normalise(await tile.textContent()), `${frenchNumber(expected.rows[0].value, 1)} DDJ/1000 JH`);
    assert.equal(normalise(await page.locator('[data-figure="ddj-total"]').textContent()), `${frenchNumber(expected.rows[0].value, 1)} DDJ/1000 JH`);
    await page.locator('[data-closed="true"]').waitFor();
    assert.ok((await page.locator('table.pct-r tbody tr').count()) >= 3, 'the % R table lists the species');
    await screenshot(page, '20-tableau-de-bord');
    assert.deepEqual(page.problems, []);
  });

  test('les pourcentages et densités montrent leur intervalle de confiance à 95 %', async () => {
    const token = await client.login(NEWCOMER.email, NEWCOMER.password);
    const scope = `scope=establishment:${FINESS}&year=${YEAR}`;
    const [sarm] = (await client.call('GET', `/indicators/pct_phenotype?${scope}&phenotype=sarm`, undefined, token)).rows;
    assert.ok(sarm.ci_low <= sarm.value && sarm.value <= sarm.ci_high, 'the API gives the SARM interval');
    const [eblse] = (await client.call('GET', `/indicators/density_1000jh?${scope}&phenotype=eblse&specimen=all`, undefined, token)).rows;
    const interval = (low, high, digits) => `${frenchNumber(low, digits)}–${frenchNumber(high, digits)}`;
    // The phenotype table: the interval beside the percentage and beside the density.
    const table = page.locator('#phenotypes').locator('xpath=..').locator('table');
    const row = table.locator('tr', { has: page.getByRole('rowheader', { name: /^SARM/ }) });
    const headers = (await table.locator('thead th').allTextContents()).map(normalise);
    const cells = (await row.locator('th, td').allTextContents()).map(normalise);
    assert.equal(cells[headers.indexOf('IC 95 % (%)')], interval(sarm.ci_low, sarm.ci_high, 1));
    const eblseRow = table.locator('tr', { has: page.getByRole('rowheader', { name: /^EBLSE/ }) });
    const eblseCells = (await eblseRow.locator('th, td').allTextContents()).map(normalise);
    assert.equal(eblseCells[headers.indexOf('IC 95 % densité')], interval(eblse.ci_low, eblse.ci_high, 2));
    // The bar chart of the phenotypes draws the intervals as error bars, and says so.
    const chart = page.locator('#phenotypes').locator('xpath=..').locator('figure.chart').first();
    assert.ok((await chart.locator('.error-bar').count()) >= 1, 'error bars on the phenotype chart');
    assert.match(normalise(await chart.locator('figcaption').textContent()), /IC 95 %/);
    assert.match(normalise(await chart.locator('svg').getAttribute('aria-label')), new RegExp(`IC 95 % ${interval(sarm.ci_low, sarm.ci_high, 1)}`));
    // The % R table gives each interval in its tooltip; consumption (DDJ) never has one.
    assert.match(await page.locator('table.pct-r td[data-ci]').first().getAttribute('title'), /IC 95 % \d/);
    await page.locator('#phenotypes').scrollIntoViewIfNeeded();
    await screenshot(page, '21-intervalles-de-confiance');
    assert.deepEqual(page.problems, []);
  });

  test('un second utilisateur demande l’accès ; le référent l’accepte comme contributeur', async () => {
    await client.call('POST', '/auth/signup', { email: SECOND.email, password: SECOND.password, first_name: SECOND.first, last_name: SECOND.last });
    await client.call('POST', '/auth/confirm', { email: SECOND.email, code: await client.confirmationCode(SECOND.email) });

    const second = await newPage(browser, platform.base);
    await uiLogin(second, SECOND.email, SECOND.password);
    await second.getByRole('link', { name: "Demander l'accès à un établissement" }).click();
    await second.getByLabel('Région').selectOption({ label: 'Pays de la Loire' });
    await second.getByLabel('Établissement', { exact: true }).selectOption(FINESS);
    await second.getByRole('button', { name: 'Envoyer la demande' }).click();
    await second.getByRole('heading', { name: 'Demande envoyée' }).waitFor();
    await screenshot(second, '21-demande-envoyee');

    await go(page, `#/etablissements/${FINESS}/membres`);
    const request = page.locator('tr', { hasText: SECOND.email });
    await request.waitFor();
    await screenshot(page, '22-membres-demande-en-attente');
    await request.getByLabel(/^Rôle/).selectOption('contributeur');
    await request.getByRole('button', { name: /^Accepter/ }).click();
    await page.getByText(/Demande acceptée : .* est désormais contributeur/).waitFor();
    await page.getByText('2 membres.').waitFor(); // the members' list reloaded with the newcomer
    await screenshot(page, '23-membres-demande-acceptee');

    await go(second, '#/espace');
    const membership = second.locator('tr', { hasText: 'Clinique du Bocage' });
    await membership.locator('.badge', { hasText: 'Contributeur' }).waitFor();
    await screenshot(second, '24-mon-espace-contributeur');
    await second.context().close();
  });

  test('le référent transmet son rôle, puis réinitialise son mot de passe oublié', async () => {
    await go(page, `#/etablissements/${FINESS}/membres`);
    page.once('dialog', (dialog) => dialog.accept()); // "Passer le rôle de référent à Paul Bernard ?"
    await page.getByRole('button', { name: `Passer le rôle de référent à ${SECOND.first} ${SECOND.last}` }).click();
    await page.getByText(`${SECOND.first} ${SECOND.last} est désormais référent de l'établissement.`).waitFor();
    await page.locator('tr', { hasText: SECOND.email }).locator('.badge', { hasText: 'Référent' }).waitFor(); // list reloaded
    await page.locator('tr', { hasText: NEWCOMER.email }).locator('.badge', { hasText: 'Contributeur' }).waitFor();
    await screenshot(page, '25-referent-transmis');

    const forgetful = await newPage(browser, platform.base);
    await forgetful.goto('/#/connexion');
    await forgetful.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await forgetful.getByLabel('Adresse e-mail').fill(NEWCOMER.email);
    await forgetful.getByRole('button', { name: 'Recevoir un code' }).click();
    await forgetful.waitForURL(/#\/reinitialisation/);
    const renewed = 'Bocage-Nouveau-2026!';
    await forgetful.getByLabel('Code reçu par e-mail').fill(await client.confirmationCode(NEWCOMER.email));
    await forgetful.getByLabel(/^Nouveau mot de passe/).fill(renewed);
    await forgetful.getByLabel('Confirmer le nouveau mot de passe').fill(renewed);
    await screenshot(forgetful, '26-reinitialisation-mot-de-passe');
    await forgetful.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await forgetful.waitForURL(/#\/connexion/);
    await uiLogin(forgetful, NEWCOMER.email, renewed);
    const membership = forgetful.locator('tr', { hasText: 'Clinique du Bocage' });
    await membership.locator('.badge', { hasText: 'Contributeur' }).waitFor(); // no longer référent
    assert.deepEqual(forgetful.problems, []);
    await forgetful.context().close();
  });
});
