// What each kind of person sees: an observateur (read only), a visitor on the
// open-data page, the regional and national dashboards, the administration.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN, api, frenchNumber, go, launchBrowser, newPage, normalise, screenshot, settle, startPlatform, uiLogin } from './harness.mjs';

const CHU = '440000990';
const YEAR = '2025';

describe('profils et accès', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
    client = api(platform.base);
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

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
    await screenshot(page, '33-donnees-ouvertes');
    await go(page, '#/documentation');
    await screenshot(page, '34-documentation');
    await go(page, '#/documentation/glossaire');
    await page.getByText('DDJ / 1000 JH').waitFor();
    await screenshot(page, '35-glossaire');
    await go(page, '#/documentation/antibiogrammes');
    await screenshot(page, '36-guide-antibiogrammes');
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
    await page.getByRole('link', { name: 'CHU Loire-Atlantique (démo)' }).waitFor();
    await screenshot(page, '37-tableau-de-bord-regional');
    await page.getByRole('link', { name: 'CHU Loire-Atlantique (démo)' }).click();
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
    assert.deepEqual(admin.problems, []);
    await admin.context().close();
  });
});
