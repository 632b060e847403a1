// The cumulative antibiogram (CLSI M39) of the demo year: opened from the establishment's, the region's and
// the nation's dashboards, filtered by specimen and sector, and printable (the print stylesheet leaves the
// sheet alone, on A4 landscape, and « Imprimer » calls window.print()).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closePlatformAndBrowser, frenchNumber, go, newPage, normalise, openPlatformAndBrowser, screenshot, settle, uiLogin } from './harness.mjs';

const CHU = '440000990';
const YEAR = '2025';
/** A4 landscape less the print stylesheet's 10 mm margins, in CSS pixels (96 per inch). */
const A4_LANDSCAPE_WIDTH = Math.floor(((297 - 20) / 25.4) * 96);

describe('antibiogramme cumulé', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser());
  });

  after(() => closePlatformAndBrowser({ platform, browser }));

  /** The table shows every species of the API's answer, each antibiotic with its n and its three percentages. */
  async function assertTable(page, api) {
    const species = [...new Set(api.rows.map((r) => r.species))];
    assert.ok(species.length > 0, 'the demo year has species with at least 30 first isolates');
    await page.locator('table.antibiogram-table').waitFor();
    assert.equal(await page.locator('tbody.antibiogram-species').count(), species.length);
    assert.equal(await page.locator('tbody.antibiogram-species tr[data-antibiotic]').count(), api.rows.length);
    for (const row of api.rows.slice(0, 5)) {
      const cells = (await page.locator(`tr[data-species="${row.species}"][data-antibiotic="${row.antibiotic}"]`).locator('td').allTextContents()).map(normalise);
      assert.equal(cells[0].replace('*', ''), frenchNumber(row.n, 0));
      // n, % S, its interval, % SFP, its interval, % R, its interval (the antibiotic is the row's heading)
      assert.equal(cells[1], frenchNumber(row.pct_s, 1));
      assert.equal(cells[2], `${frenchNumber(row.pct_s_ci[0], 1)}–${frenchNumber(row.pct_s_ci[1], 1)}`);
      assert.equal(cells[3], frenchNumber(row.pct_sfp, 1));
      assert.equal(cells[5], frenchNumber(row.pct_r, 1));
      assert.equal(cells[6], `${frenchNumber(row.ci_low, 1)}–${frenchNumber(row.ci_high, 1)}`);
    }
    for (const left of api.species_below_min) assert.equal(await page.locator(`tr[data-species="${left.species}"]`).count(), 0);
  }

  test("le référent ouvre l'antibiogramme cumulé depuis son tableau de bord, le filtre et l'imprime", async () => {
    const token = await client.login('referent@chu-demo.fr');
    const scope = `establishment:${CHU}`;
    const api = await client.call('GET', `/indicators/cumulative_antibiogram?scope=${scope}&year=${YEAR}`, undefined, token);
    assert.equal(api.rule, 'premier-isolat-patient-espece-annee-m39');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    await page.getByRole('link', { name: `Ouvrir l'antibiogramme cumulé ${YEAR}` }).click();
    await page.getByRole('heading', { name: 'Antibiogramme cumulé', level: 1 }).waitFor();
    await settle(page);
    await assertTable(page, api);
    await screenshot(page, '60-antibiogramme-etablissement');

    // Filters: urine only, then urine in medicine; the table follows the API's answer for the same filters.
    await page.getByLabel('Prélèvement').selectOption('URINE');
    await page.waitForURL(/prelevement=URINE/);
    await settle(page);
    const urine = await client.call('GET', `/indicators/cumulative_antibiogram?scope=${scope}&year=${YEAR}&specimen=URINE`, undefined, token);
    await assertTable(page, urine);
    assert.ok(urine.rows.every((r) => r.isolates <= api.rows.find((a) => a.species === r.species).isolates));
    await page.getByLabel('Secteur').selectOption('MED');
    await page.waitForURL(/secteur=MED/);
    await settle(page);
    const urineMed = await client.call('GET', `/indicators/cumulative_antibiogram?scope=${scope}&year=${YEAR}&specimen=URINE&sector=MED`, undefined, token);
    if (urineMed.rows.length) await assertTable(page, urineMed);
    else await page.getByText(/Aucune espèce n'atteint 30 premiers isolats/).waitFor();
    assert.match(normalise(await page.locator('.antibiogram-scope').textContent()), /Urine — Médecine/);

    // « Imprimer » calls the browser's print.
    await page.evaluate(() => {
      window.__printed = 0;
      window.print = () => {
        window.__printed += 1;
      };
    });
    await page.getByRole('button', { name: 'Imprimer' }).click();
    assert.equal(await page.evaluate(() => window.__printed), 1);

    // The print stylesheet: navigation, filters and exports hidden; the table within A4 landscape.
    await go(page, `#/indicateurs/antibiogramme?perimetre=${scope}&annee=${YEAR}`);
    await page.locator('table.antibiogram-table').waitFor();
    const visible = (selector) => page.locator(selector).first().evaluate((e) => getComputedStyle(e).display !== 'none');
    assert.equal(await visible('.site-header'), true, 'on screen, the header shows');
    await page.setViewportSize({ width: A4_LANDSCAPE_WIDTH, height: 740 });
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.site-header', '.site-footer', '.toolbar', '.export-buttons', '.page-context']) {
      assert.equal(await visible(hidden), false, `${hidden} is hidden in print`);
    }
    assert.equal(await visible('table.antibiogram-table'), true);
    const widths = await page.evaluate(() => ({
      table: document.querySelector('table.antibiogram-table').getBoundingClientRect().width,
      page: document.documentElement.scrollWidth,
      font: getComputedStyle(document.querySelector('table.antibiogram-table')).fontSize,
    }));
    assert.ok(widths.table <= A4_LANDSCAPE_WIDTH && widths.page <= A4_LANDSCAPE_WIDTH, JSON.stringify(widths));
    assert.ok(Math.abs(parseFloat(widths.font) - (8 * 96) / 72) < 0.01, `the table is set in 8 pt for print (${widths.font})`);
    const pdf = await page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true });
    assert.ok(pdf.length > 1000);
    await screenshot(page, '61-antibiogramme-impression');
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("les profils régional et national ouvrent l'antibiogramme de la région et de la nation", async () => {
    for (const [email, dashboard, scope] of [
      ['regional@ars-pdl-demo.fr', '#/indicateurs/regions/52', 'region:52'],
      ['national@sante-demo.fr', '#/indicateurs/national', 'national'],
    ]) {
      const token = await client.login(email);
      const api = await client.call('GET', `/indicators/cumulative_antibiogram?scope=${scope}&year=${YEAR}`, undefined, token);
      const page = await newPage(browser, platform.base);
      await uiLogin(page, email);
      await go(page, `${dashboard}?annee=${YEAR}`);
      await page.getByRole('link', { name: `Ouvrir l'antibiogramme cumulé ${YEAR}` }).click();
      await page.waitForURL(new RegExp(`perimetre=${encodeURIComponent(scope)}`));
      await settle(page);
      await assertTable(page, api);
      for (const left of api.species_below_min) {
        await page.locator('.antibiogram-left-out').getByText(new RegExp(`\\(${left.isolates}\\)`)).first().waitFor();
      }
      await screenshot(page, `62-antibiogramme-${scope.split(':')[0]}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});
