// What each kind of person sees: an observateur (read only), a visitor on the
// open-data page, the regional and national dashboards, the administration.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { ADMIN, closePlatformAndBrowser, frenchNumber, go, newPage, normalise, openPlatformAndBrowser, screenshot, settle, uiLogin } from './harness.mjs';

const CHU = '440000990';
/** A deduplication rule's internal id (patient-espece-antibiotype-v1, …): never shown to users. */
const RULE_ID = /\b[a-z]+(?:-[a-z0-9]+)+-(?:v\d+|m39)\b/;
const YEAR = '2025';

describe('profils et accès', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser());
  });

  after(() => closePlatformAndBrowser({ platform, browser }));

  /** The demo year's EPC by carbapenemase type: the table lists the API's types, largest first, with their counts. */
  async function assertCarbapenemases(page, scope, token) {
    const api = await client.call('GET', `/indicators/carbapenemase?scope=${scope}&year=${YEAR}`, undefined, token);
    assert.ok(api.rows.length >= 2, `the demo year has EPC of several types (${scope})`);
    const section = page.locator('#carbapenemases').locator('xpath=..');
    await section.getByRole('heading', { name: 'EPC par type de carbapénémase' }).waitFor();
    const table = section.locator('table.carbapenemases');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), api.rows.length);
    const top = [...api.rows].sort((a, b) => b.numerator - a.numerator)[0];
    const first = (await table.locator('tbody tr').first().locator('th, td').allTextContents()).map(normalise);
    assert.equal(first[1], frenchNumber(top.numerator, 0), 'the most frequent type first, with its count');
    assert.equal(first[2], frenchNumber(top.value, 1));
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, `carbapenemases-${scope.split(':')[0]}`);
  }

  /** WHO's AWaRe groups: the API's four shares in the table, the 60 % Access goal drawn on both charts and said in words. */
  async function assertAware(page, scope, token) {
    const api = await client.call('GET', `/indicators/aware_share?scope=${scope}&year=${YEAR}&by=aware`, undefined, token);
    assert.deepEqual(api.rows.map((r) => r.aware), ['access', 'watch', 'reserve', 'not_classified']);
    assert.equal(api.goal.min, 60);
    const access = api.rows[0];
    assert.ok(access.value > 0, `the demo year consumes Access antibiotics (${scope})`);
    await page.getByRole('link', { name: 'AWaRe', exact: true }).click();
    const section = page.getByRole('region', { name: "Classification AWaRe de l'OMS" });
    const table = section.locator('table.aware');
    await table.waitFor();
    const cells = async (i) => (await table.locator('tbody tr').nth(i).locator('th, td').allTextContents()).map(normalise);
    assert.deepEqual((await cells(0)).slice(0, 2), ['Accès (Access)', frenchNumber(access.value, 1)]);
    assert.deepEqual((await cells(1)).slice(0, 2), ['À surveiller (Watch)', frenchNumber(api.rows[1].value, 1)]);
    assert.equal(await table.locator('tbody tr').count(), 4);
    const goal = normalise(await section.locator('[data-figure="aware-goal"]').innerText());
    assert.match(goal, /Objectif de l'OMS : au moins 60 % des DDJ d'antibiotiques dans le groupe Accès\./);
    assert.ok(goal.includes(`Part Accès : ${frenchNumber(access.value, 1)} %`), goal);
    assert.match(goal, access.value >= 60 ? /objectif atteint/ : /objectif non atteint/);
    assert.equal(await section.locator('svg [data-reference="60"]').count(), 2, 'the goal line on the bars and on the trend');
    assert.match(await section.locator('svg[role="img"]').last().getAttribute('aria-label'), /Part des DDJ d'antibiotiques dans le groupe Accès/);
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, `aware-${scope.split(':')[0]}`);
  }

  test('un observateur consulte sans pouvoir importer ni clôturer', async () => {
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'observateur@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}?annee=${YEAR}`);
    await page.getByText('Vous êtes observateur').waitFor();
    assert.equal(await page.locator('table.grid a', { hasText: /Importer|Déposer à nouveau/ }).count(), 0, 'no import link in the year grid');
    await screenshot(page, '30-observateur-suivi');
    await go(page, `#/etablissements/${CHU}/import`);
    await page.getByText("Votre statut d'observateur ne permet pas d'importer de fichiers.").waitFor();
    assert.equal(await page.getByRole('button', { name: 'Envoyer le fichier' }).count(), 0);
    assert.equal(await page.getByLabel('Fichier à importer').count(), 0);
    await screenshot(page, '31-observateur-import');
    await go(page, `#/etablissements/${CHU}/periodes?annee=${YEAR}`);
    assert.equal(await page.getByRole('button', { name: /Clôturer/ }).count(), 0);
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    await page.locator('[data-indicator="ddj_1000jh"]').waitFor();
    await screenshot(page, '32-observateur-tableau-de-bord');
    await assertCarbapenemases(page, `establishment:${CHU}`, await client.login('observateur@chu-demo.fr'));
    await assertAware(page, `establishment:${CHU}`, await client.login('observateur@chu-demo.fr'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('un onglet ouvert à côté partage la session ; la déconnexion dans l’un déconnecte l’autre', async () => {
    const first = await newPage(browser, platform.base);
    await uiLogin(first, 'observateur@chu-demo.fr');
    const second = await first.context().newPage(); // another tab of the same browser
    await second.goto(`/#/etablissements/${CHU}?annee=${YEAR}`);
    await second.getByText('Vous êtes observateur').waitFor(); // no login asked
    await second.getByRole('button', { name: 'Déconnexion' }).click();
    await first.waitForURL(/#\/connexion/); // the first tab's session ended with it
    const third = await first.context().newPage();
    await third.goto('/#/espace');
    await third.waitForURL(/#\/connexion/); // and no tab hands it on any more
    assert.deepEqual(first.problems, []);
    await first.context().close();
  });

  test('le journal d’audit se lit par pages de 50 et se filtre par action', async () => {
    const page = await newPage(browser, platform.base);
    await uiLogin(page, ADMIN.email, ADMIN.password);
    await go(page, '#/administration/journal');
    const table = page.getByRole('region', { name: "Journal d'audit" }).locator('table');
    await table.waitFor();
    assert.ok((await table.locator('tbody tr').count()) <= 50, 'one page at most');
    const pager = page.getByRole('navigation', { name: /Pages de « Journal d'audit »/ });
    if (await pager.count()) {
      await pager.getByRole('button', { name: 'Suivante' }).click();
      await pager.getByText(/^Page 2 sur/).waitFor();
    }
    await page.getByLabel('Action').selectOption({ label: 'Import validé' });
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.ok(actions.length > 0 && actions.every((a) => a === 'Import validé'), 'only the chosen action');
    await screenshot(page, '33-admin-journal-filtre');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('un visiteur ouvre les données ouvertes et voit les chiffres nationaux', async () => {
    const open = await client.call('GET', `/open/indicators/ddj_1000jh?scope=national&year=${YEAR}`);
    const page = await newPage(browser, platform.base);
    await go(page, '#/');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Données ouvertes' }).click();
    await page.getByRole('heading', { name: `L'essentiel — France entière, ${YEAR}` }).waitFor();
    await settle(page);
    const tile = page.locator('[data-indicator="ddj_1000jh"] .tile-value');
    assert.equal(normalise(await tile.textContent()), `${frenchNumber(open.rows[0].value, 1)} DDJ/1000 JH`);
    const [access] = (await client.call('GET', `/open/indicators/aware_share?scope=national&year=${YEAR}`)).rows;
    const line = page.getByRole('row', { name: /groupe AWaRe Accès/ });
    assert.equal(normalise(await line.locator('td').first().textContent()), access.suppressed ? 'Secret statistique' : frenchNumber(access.value, 1));
    await screenshot(page, '33-donnees-ouvertes');
    await go(page, '#/documentation');
    await screenshot(page, '34-documentation');
    await go(page, '#/documentation/glossaire');
    await page.getByText('DDJ / 1000 JH').waitFor();
    await screenshot(page, '35-glossaire');
    await go(page, '#/documentation/antibiogrammes');
    await screenshot(page, '36-guide-antibiogrammes');
    // The antibiogram columns are documented, and the resistance template downloads like the others.
    await go(page, '#/documentation/modeles');
    const columns = page.getByRole('table', { name: /Colonnes du fichier des antibiogrammes/ });
    for (const header of ['code_uf', 'id_patient', 'date_prelevement', 'nature_prelevement', 'espece', 'blse', 'carbapenemase', 'erv']) {
      await columns.getByRole('rowheader', { name: new RegExp(`^${header}`) }).waitFor();
    }
    await screenshot(page, '36b-colonnes-antibiogrammes');
    // (This headless Chromium cancels link downloads: the link's target is fetched in the page's context instead.)
    const link = page.locator('.doc-body').getByRole('link', { name: 'Résistances (antibiogrammes)' }).first();
    assert.equal(await link.getAttribute('download'), 'modele-resistance.xlsx');
    const template = await page.request.get(await link.getAttribute('href'), { headers: { Accept: '*/*' } });
    assert.equal(template.status(), 200);
    assert.equal((await template.body()).subarray(0, 2).toString(), 'PK');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('sur une tablette (820 × 1180), le tableau de bord et l’import restent lisibles', async () => {
    const page = await newPage(browser, platform.base);
    await page.setViewportSize({ width: 820, height: 1180 });
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    await page.locator('[data-indicator="ddj_1000jh"]').waitFor();
    await screenshot(page, '45-tablette-tableau-de-bord');
    await go(page, `#/etablissements/${CHU}/import`);
    await page.getByLabel('Fichier à importer').waitFor();
    await screenshot(page, '46-tablette-import');
    await go(page, `#/etablissements/${CHU}?annee=${YEAR}`);
    await screenshot(page, '47-tablette-suivi-annee');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scroll of the whole page (${overflow} px)`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('le profil régional voit sa région et chacun de ses établissements', async () => {
    const token = await client.login('regional@ars-pdl-demo.fr');
    const region = await client.call('GET', `/indicators/ddj_1000jh?scope=region:52&year=${YEAR}`, undefined, token);
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'regional@ars-pdl-demo.fr');
    await page.getByRole('link', { name: 'Indicateurs', exact: true }).click();
    await page.getByRole('link', { name: 'Pays de la Loire' }).click();
    await settle(page);
    assert.equal(normalise(await page.locator('[data-indicator="ddj_1000jh"] .tile-value').textContent()), `${frenchNumber(region.rows[0].value, 1)} DDJ/1000 JH`);
    // The establishments' section (the completeness table links each establishment too).
    const chu = page.getByRole('region', { name: 'Chaque établissement' }).getByRole('link', { name: 'CHU Loire-Atlantique (démo)' });
    await chu.waitFor();
    await screenshot(page, '37-tableau-de-bord-regional');
    await assertAware(page, 'region:52', token);
    await chu.click();
    await settle(page);
    await page.getByRole('heading', { name: /Tableau de bord — CHU Loire-Atlantique/ }).waitFor();
    await screenshot(page, '38-regional-etablissement');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('le profil national voit la France entière ; l’administrateur ses écrans', async () => {
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'national@sante-demo.fr');
    await go(page, `#/indicateurs/national?annee=${YEAR}`);
    await page.locator('[data-indicator="ddj_1000jh"]').waitFor();
    await screenshot(page, '39-tableau-de-bord-national');
    await assertCarbapenemases(page, 'national', await client.login('national@sante-demo.fr'));
    // Antifungal resistance of the priority fungi: the API's % R of C. albicans to fluconazole, as French text.
    const fungi = await client.call('GET', `/indicators/antifungal_r?scope=national&year=${YEAR}`, undefined, await client.login('national@sante-demo.fr'));
    const albicans = fungi.rows.find((r) => r.species === 'CANALB' && r.antifungal_class === 'fluconazole');
    const antifungals = page.getByRole('region', { name: `Résistance aux antifongiques ${YEAR}` });
    const line = antifungals.locator('tr', { hasText: 'Candida albicans' }).filter({ hasText: 'Fluconazole' });
    await line.waitFor();
    assert.ok(normalise(await line.textContent()).includes(frenchNumber(albicans.value, 1)), 'the API value in the table');
    await assertAware(page, 'national', await client.login('national@sante-demo.fr'));

    // The table "Consommation par famille" exported as XLSX: a ZIP whose sheet keeps numbers as numbers.
    const token = await client.login('national@sante-demo.fr');
    const families = await client.call('GET', `/indicators/ddj_1000jh?scope=national&year=${YEAR}&by=family`, undefined, token);
    const top = [...families.rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
    const exports = page.getByRole('group', { name: `Exporter : Consommation par famille ${YEAR}` });
    const [download] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: /XLSX/ }).click()]);
    assert.equal(download.suggestedFilename(), `consommation-par-famille-${YEAR}.xlsx`);
    const xlsx = readFileSync(await download.path());
    assert.equal(xlsx.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'an XLSX is a ZIP archive');
    const entries = unzipStored(xlsx);
    assert.ok(entries['[Content_Types].xml'] && entries['xl/workbook.xml'], 'the parts of a workbook');
    const sheet = entries['xl/worksheets/sheet1.xml'];
    assert.match(sheet, /<c r="A1" s="1" t="inlineStr"><is><t>Famille<\/t><\/is><\/c>/);
    assert.ok(sheet.includes(`<c r="B2"><v>${top.value}</v></c>`), `the largest family's value as a number: ${sheet.slice(0, 1200)}`);
    await go(page, '#/administration');
    await page.getByRole('heading', { name: 'Administration — Réouverture de période' }).waitFor();
    await page.context().close();

    const admin = await newPage(browser, platform.base);
    await uiLogin(admin, ADMIN.email, ADMIN.password);
    for (const [section, name] of [
      ['etablissements', '40-admin-etablissements'],
      ['laboratoires', '41-admin-laboratoires'],
      ['profils', '42-admin-profils'],
      ['periodes', '43-admin-reouverture'],
      ['journal', '44-admin-journal'],
    ]) {
      await go(admin, `#/administration/${section}`);
      await screenshot(admin, name);
    }
    await go(admin, '#/administration/profils');
    await admin.locator('tr', { hasText: 'regional@ars-pdl-demo.fr' }).waitFor();
    // EARS-Net: the demo year, closed, exported to the ECDC format with no blocking error.
    await admin.getByRole('link', { name: 'Export EARS-Net' }).click();
    await admin.locator('select').first().selectOption(YEAR);
    await admin.locator('[data-action="export-ears-net"]').click();
    const counts = admin.locator('[data-export-status="published"] [data-count="amrtest_records"]');
    await counts.waitFor({ timeout: 60_000 });
    assert.match(normalise(await counts.innerText()), /^[1-9]/);
    assert.match(normalise(await admin.locator('[data-count="validation"]').innerText()), /^0 erreur/);
    await screenshot(admin, '48-admin-export-ears-net');
    assert.deepEqual(admin.problems, []);
    await admin.context().close();
  });

  test('l’équipe nationale change la période de dédoublonnage ; chaque résultat de résistance nomme la version', async () => {
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'national@sante-demo.fr');
    await go(page, '#/administration/methodes');
    await page.getByRole('heading', { name: 'Dédoublonnage des indicateurs annuels' }).waitFor();
    const versions = page.getByRole('table', { name: /Versions du réglage/ });
    const before = await versions.locator('tbody tr').count();
    await page.getByLabel('Période de dédoublonnage', { exact: true }).selectOption('periode-import');
    await page.getByLabel(/Motif du changement/).fill('Comparaison avec les publications trimestrielles');
    await page.getByRole('button', { name: 'Créer la nouvelle version' }).click();
    await page.getByText(`Version ${before + 1} en vigueur`).waitFor();
    await versions.locator('tbody tr').nth(before).waitFor(); // the list is read again after the change
    assert.equal(await versions.locator('tbody tr').count(), before + 1);
    assert.match(normalise(await versions.locator('tbody tr').first().innerText()), /national@sante-demo\.fr.*Comparaison avec les publications trimestrielles/);
    await screenshot(page, '47-admin-methodes');

    const token = await client.login('national@sante-demo.fr');
    const pct = await client.call('GET', `/indicators/pct_r?scope=national&year=${YEAR}`, undefined, token);
    assert.equal(pct.rule, 'patient-espece-antibiotype-v1');
    assert.deepEqual(pct.dedup_setting, { version: before + 1, period: 'periode-import' });
    assert.equal(pct.rule_label, "Premier isolat par patient × espèce × antibiotype, par période d'import");
    assert.doesNotMatch(await page.locator('main').innerText(), RULE_ID, 'the methods page names rules in French, never by id');
    await go(page, `#/indicateurs/national?annee=${YEAR}`);
    await page.getByText(`Règle de dédoublonnage : ${pct.rule_label} (réglage national, version ${before + 1})`).waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), RULE_ID, 'no rule id on the dashboard');
    assert.ok((await page.locator('[data-rule="patient-espece-antibiotype-v1"]').count()) >= 1, 'the id stays in a data attribute');
    const referent = await client.login('referent@chu-demo.fr');
    await assert.rejects(client.call('PUT', '/methods/deduplication', { period: 'annee', reason: 'essai' }, referent), / → 403 /,
      'only the national team changes a method');
    await client.call('PUT', '/methods/deduplication', { period: 'annee', reason: 'Retour à la règle annuelle' }, token);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('la cellule régionale voit qui a envoyé quoi ; la campagne relance une seule fois les référents incomplets', async () => {
    const regional = await client.login('regional@ars-pdl-demo.fr');
    const rows = await client.call('GET', `/completeness?scope=region:52&year=${YEAR}`, undefined, regional);
    const chu = rows.find((r) => r.finess === CHU);
    assert.ok(chu && Object.values(chu.datasets.consumption).includes('closed'), 'the demo CHU closed its year');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'regional@ars-pdl-demo.fr');
    await go(page, `#/indicateurs/regions/52?annee=${YEAR}`);
    const table = page.getByRole('table', { name: 'Complétude par établissement' });
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), rows.length, 'one line per establishment of the region');
    const line = table.locator(`tr[data-finess="${CHU}"]`);
    assert.ok((await line.locator('[data-state="closed"]').count()) > 0, 'its closed periods are shown as closed');
    assert.equal(await line.getByRole('link', { name: /CHU/ }).getAttribute('href'), `#/indicateurs/etablissements/${CHU}`);
    await page.getByLabel('Seulement les établissements incomplets').check();
    const incomplete = rows.filter((r) => Object.values(r.datasets).some((p) => Object.values(p).some((s) => s !== 'closed')));
    assert.equal(await table.locator('tbody tr').count(), incomplete.length);
    await screenshot(page, '48-completude-regionale');
    await assert.rejects(client.call('GET', `/completeness?scope=national&year=${YEAR}`, undefined, regional), / → 403 /);
    assert.deepEqual(page.problems, []);
    await page.context().close();

    const national = await newPage(browser, platform.base);
    await uiLogin(national, 'national@sante-demo.fr');
    await go(national, '#/administration/campagne');
    await national.getByRole('heading', { name: `Campagne ${YEAR}` }).waitFor();
    const soon = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await national.getByLabel(/Date limite/).fill(soon);
    await national.getByLabel(/Jours de relance/).fill('30, 7');
    await national.getByRole('button', { name: 'Enregistrer la campagne' }).click();
    await national.getByText(`Campagne ${YEAR} enregistrée`).waitFor();
    const admin = await client.login(ADMIN.email, ADMIN.password);
    const mails = async () => (await client.call('GET', '/local/mailbox', undefined, admin)).filter((m) => /à compléter avant le/.test(m.subject));
    const before = (await mails()).length;
    await client.call('POST', '/local/schedules/remind_deadlines/run', {}, admin);
    const sent = (await mails()).slice(before);
    assert.ok(sent.length >= 1, 'an incomplete establishment of the demo is reminded');
    for (const m of sent) assert.match(String(m.to), /^referent@/, 'reminders go to référents only');
    assert.match(sent[0].body, /à envoyer|à clôturer|en attente/);
    await client.call('POST', '/local/schedules/remind_deadlines/run', {}, admin);
    assert.equal((await mails()).length, before + sent.length, 'never twice on the same reminder day');
    await national.reload(); // the screen reads the campaign again
    await settle(national);
    const reminders = national.getByRole('table', { name: 'Relances envoyées' });
    await reminders.waitFor();
    assert.equal(await reminders.locator('tbody tr').count(), sent.length);
    await screenshot(national, '49-admin-campagne');
    assert.deepEqual(national.problems, []);
    await national.context().close();
  });

  const sendFile = (token, type, period, filename, content) => client.sendFile(token, CHU, type, period, filename, content);

  test('le référent retire les données d’une période ouverte, motif à l’appui ; un contributeur ne le peut pas', async () => {
    const year = String(new Date().getFullYear()); // open: the demo closes the previous year
    const token = await client.login('referent@chu-demo.fr');
    const units = await client.call('GET', `/establishments/${CHU}/units`, undefined, token);
    const beds = `code_uf;annee;lits\n${units.slice(0, 2).map((u) => `${u.code_uf};${year};12`).join('\n')}\n`;
    assert.equal((await sendFile(token, 'beds', year, 'lits.csv', beds)).status, 'VALIDATED');
    const before = await client.call('GET', `/establishments/${CHU}/periods?year=${year}`, undefined, token);
    assert.ok(before.find((p) => p.period === year).datasets.includes('beds'), 'the beds are current');

    const contributor = await newPage(browser, platform.base);
    await uiLogin(contributor, 'contributeur@chu-demo.fr');
    await go(contributor, `#/etablissements/${CHU}/periodes?annee=${year}`);
    const row = (page) => page.locator('tr', { has: page.getByRole('rowheader', { name: `Année ${year}` }) });
    await row(contributor).getByText('Lits').waitFor();
    assert.equal(await contributor.getByRole('button', { name: /^Retirer/ }).count(), 0, 'no removal for a contributeur');
    assert.deepEqual(contributor.problems, []);
    await contributor.context().close();

    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/periodes?annee=${year}`);
    await row(page).getByRole('button', { name: `Retirer les données « Lits » de la période année ${year}` }).click();
    const confirm = page.getByRole('button', { name: 'Confirmer le retrait' });
    assert.ok(await confirm.isDisabled(), 'the reason is required');
    await page.getByLabel('Motif du retrait').fill('Fichier des lits déposé par erreur');
    await screenshot(page, '49-referent-retrait-donnees');
    await confirm.click();
    await page.getByText(`Les données « Lits » de la période « année ${year} » ont été retirées.`).waitFor();
    await row(page).getByText('Lits').waitFor({ state: 'detached' }); // the page is refreshed
    const after = await client.call('GET', `/establishments/${CHU}/periods?year=${year}`, undefined, token);
    assert.ok(!(after.find((p) => p.period === year)?.datasets ?? []).includes('beds'), 'the beds are gone');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('le fichier annoté d’un import refusé se prépare puis se télécharge', async () => {
    const year = String(new Date().getFullYear());
    const token = await client.login('referent@chu-demo.fr');
    const refused = await sendFile(token, 'beds', year, 'lits-faux.csv', `code_uf;annee;lits\n9999;${year};douze\n`);
    assert.equal(refused.status, 'REJECTED');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/imports/${refused.upload_id}`);
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Télécharger le fichier annoté (XLSX)' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), `rapport-beds-${year}-lits-faux.xlsx`);
    const body = readFileSync(await download.path());
    assert.equal(body.subarray(0, 2).toString(), 'PK', 'an XLSX (ZIP) file');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('l’équipe nationale régénère la synthèse régionale ; le profil régional la télécharge, 404 pour une autre région', async () => {
    const national = await newPage(browser, platform.base);
    await uiLogin(national, 'national@sante-demo.fr');
    await go(national, '#/administration/rapports');
    await national.getByRole('heading', { name: 'Régénérer les rapports' }).waitFor();
    await national.getByLabel('Année').selectOption(YEAR);
    await national.getByLabel(/Périmètre/).fill('region:52');
    await national.getByRole('button', { name: 'Régénérer les rapports' }).click();
    await national.getByText(`Génération ${YEAR} terminée : 1 rapport produit.`).waitFor({ timeout: 300_000 });
    await screenshot(national, '41-regenerer-les-rapports');
    assert.deepEqual(national.problems, []);
    await national.context().close();

    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'regional@ars-pdl-demo.fr');
    await go(page, `#/indicateurs/regions/52?annee=${YEAR}`);
    const card = page.locator('#synthese').locator('xpath=..');
    await card.getByRole('heading', { name: 'Rapport de synthèse' }).waitFor();
    const row = card.locator('table.reports tbody tr').first();
    await row.waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '42-synthese-regionale');
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await row.getByRole('button', { name: `Télécharger la synthèse régionale ${YEAR}, version 1 (PDF)` }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), `synthese-region-52-${YEAR}-v1.pdf`);
    assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), '%PDF-', 'a PDF file');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    const token = await client.login('regional@ars-pdl-demo.fr');
    for (const path of [`/reports/regions/53/${YEAR}.pdf`, `/reports/national/${YEAR}.pdf`, '/reports/regions/53']) {
      await assert.rejects(client.call('GET', path, undefined, token), / → 404 /, `${path} is not found for another region's team`);
    }
  });

  test('le rapport annuel de l’année clôturée par la démo se liste et se télécharge en PDF', async () => {
    const token = await client.login('observateur@chu-demo.fr');
    // The demo closes its year through the closure workflow, whose report step runs after the closure.
    let reports = [];
    for (let i = 0; i < 240 && !reports.some((r) => String(r.year) === YEAR); i++) {
      reports = await client.call('GET', `/establishments/${CHU}/reports`, undefined, token);
      if (!reports.some((r) => String(r.year) === YEAR)) await new Promise((done) => setTimeout(done, 500));
    }
    const report = reports.find((r) => String(r.year) === YEAR);
    assert.ok(report, 'the demo year has its report');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'observateur@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/periodes?annee=${YEAR}`);
    const card = page.locator('#rapports').locator('xpath=..');
    await card.getByRole('heading', { name: 'Rapports annuels' }).waitFor();
    const row = card.locator('table.reports tbody tr').first();
    const cells = (await row.locator('td').allTextContents()).map(normalise);
    assert.deepEqual(cells.slice(0, 2), [YEAR, String(report.version)]);
    assert.equal(cells[3], `${report.pages} pages`);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '40-rapports-annuels');
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    await row.getByRole('button', { name: `Télécharger le rapport ${YEAR}, version ${report.version} (PDF)` }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), `rapport-${CHU}-${YEAR}-v${report.version}.pdf`);
    const body = readFileSync(await download.path());
    assert.equal(body.subarray(0, 5).toString(), '%PDF-', 'a PDF file');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

/** The entries of a ZIP whose entries are stored (the client's XLSX writer), CRC checked. */
function unzipStored(buffer) {
  const entries = {};
  let at = 0;
  while (buffer.readUInt32LE(at) === 0x04034b50) {
    const method = buffer.readUInt16LE(at + 8);
    const crc = buffer.readUInt32LE(at + 14);
    const size = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const extraLength = buffer.readUInt16LE(at + 28);
    const name = buffer.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const data = buffer.subarray(at + 30 + nameLength + extraLength, at + 30 + nameLength + extraLength + size);
    assert.equal(method, 0, `${name} is stored`);
    assert.equal(crc32(data), crc, `${name}: CRC-32`);
    entries[name] = data.toString('utf8');
    at += 30 + nameLength + extraLength + size;
  }
  assert.equal(buffer.readUInt32LE(at), 0x02014b50, 'the central directory follows the entries');
  return entries;
}
