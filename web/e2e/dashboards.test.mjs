// The dashboards at scale: how many API requests each one makes (never the same twice,
// at most one per section plus the few every page makes), how long the first chart and
// the whole page take by the page's own clock (printed, not asserted), as each of the three demo profiles.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closePlatformAndBrowser, frenchNumber, go, newPage, normalise, openPlatformAndBrowser, SCREENSHOTS, screenshot, settle, uiLogin } from './harness.mjs';

const CHU = '440000990';
const YEAR = '2025';

/** Calls any page may make besides its sections: /me, the regions, the establishments' directory, the indicators' catalogue, periods. */
const EVERY_PAGE = 5;

/** One section of a dashboard as a PNG (the whole page is too tall to read). */
const sectionShot = (page, id, name) => page.locator(`#${id}`).locator('xpath=..').screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

const DASHBOARDS = [
  { who: 'referent@chu-demo.fr', hash: `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`, name: 'établissement' },
  { who: 'regional@ars-pdl-demo.fr', hash: `#/indicateurs/regions/52?annee=${YEAR}`, name: 'région' },
  { who: 'national@sante-demo.fr', hash: `#/indicateurs/national?annee=${YEAR}`, name: 'national' },
];

/**
 * Runs in the page before its own code: the page's clock (ms since the navigation began) when the first
 * chart had been painted, and when the last « Chargement… » had left the painted page. Read by the page
 * itself: the test driver notices a change only at its next poll, which on a busy page came up to half a
 * second after the chart was on screen.
 */
function watchTheDashboard() {
  const times = { firstChart: null, allLoaded: null };
  window.__dashboardTimes = times;
  const afterPaint = (then) => requestAnimationFrame(() => setTimeout(() => then(Math.round(performance.now()))));
  const look = () => {
    if (times.firstChart === null && document.querySelector('figure.chart svg')) {
      times.firstChart = -1;
      afterPaint((t) => (times.firstChart = t));
    }
    if (document.querySelector('.dash-section') && !document.querySelector('.loading'))
      afterPaint((t) => {
        if (!document.querySelector('.loading')) times.allLoaded = t;
      });
  };
  document.addEventListener('DOMContentLoaded', () => new MutationObserver(look).observe(document.body, { childList: true, subtree: true }));
}

/** Loads the page afresh (nothing cached in memory), and records its API GETs and two times by the page's clock. */
async function measure(page, hash) {
  await page.goto(`/${hash}`);
  await settle(page);
  const requests = [];
  const listener = (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) requests.push(`${r.method()} ${url.pathname}${url.search}`);
  };
  page.on('request', listener);
  await page.addInitScript(watchTheDashboard);
  await page.reload();
  await page.locator('figure.chart svg').first().waitFor({ timeout: 60_000 });
  await page.locator('.dash-section').first().waitFor();
  await settle(page, 60_000);
  await page.waitForTimeout(1000); // a late request would be counted too
  page.off('request', listener);
  const sections = await page.locator('.dash-section').count();
  const { firstChart, allLoaded } = await page.evaluate(() => window.__dashboardTimes);
  assert.ok(firstChart > 0 && allLoaded >= firstChart, `the page's own times: ${firstChart}, ${allLoaded}`);
  return { requests, firstChart, allLoaded, sections };
}

describe('tableaux de bord à l’échelle', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser());
  });

  after(() => closePlatformAndBrowser({ platform, browser }));

  for (const { who, hash, name } of DASHBOARDS) {
    test(`le tableau de bord ${name} ne demande jamais deux fois la même chose, et au plus une requête par section`, async () => {
      const page = await newPage(browser, platform.base);
      await uiLogin(page, who);
      const { requests, firstChart, allLoaded, sections } = await measure(page, hash);
      const gets = requests.filter((r) => r.startsWith('GET '));
      const seen = new Map();
      for (const r of gets) seen.set(r, (seen.get(r) ?? 0) + 1);
      const duplicates = [...seen].filter(([, n]) => n > 1);
      console.log(
        `[mesure] ${name}: ${requests.length} requêtes API (${duplicates.length} en double), ${sections} sections, ` +
          `premier graphique ${firstChart} ms, tout chargé ${allLoaded} ms`,
      );
      if (process.env.E2E_VERBOSE) console.log(requests.join('\n'));
      assert.deepEqual(duplicates, [], 'no GET sent twice');
      assert.ok(requests.length <= sections + EVERY_PAGE, `${requests.length} requests for ${sections} sections:\n${requests.join('\n')}`);
      await screenshot(page, `40-tableau-de-bord-${name}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test('le classement national par établissement est trié par valeur, cherchable par nom ou FINESS, une page à la fois', async () => {
    const token = await client.login('national@sante-demo.fr');
    const api = await client.call('GET', `/indicators/ddj_1000jh?scope=national&year=${YEAR}&by=establishment`, undefined, token);
    const names = Object.fromEntries((await client.call('GET', '/establishments')).map((e) => [e.finess, e.name]));
    const expected = api.rows.filter((r) => r.value != null).sort((a, b) => b.value - a.value).map((r) => ({ finess: r.establishment, name: names[r.establishment] }));
    assert.ok(expected.length >= 2, 'the demo year has several establishments with closed consumption');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'national@sante-demo.fr');
    await go(page, `#/indicateurs/national?annee=${YEAR}`);
    const ranking = page.locator('#etablissements').locator('xpath=..').locator('.ranking');
    const labels = async () => (await ranking.locator('text.chart-label').allTextContents()).map(normalise);
    const startOf = (rank, name) => `${rank}. ${name}`.slice(0, 30);
    const shown = await labels();
    assert.ok(shown.length <= 25, 'never more than a page of bars');
    assert.deepEqual(shown.map((l) => l.slice(0, 30)), expected.slice(0, 25).map((e, i) => startOf(i + 1, e.name)), 'highest value first');
    await ranking.getByText(`page 1 sur 1`, { exact: false }).waitFor();
    // Keyboard: the search field is reached and typed into like any field; the chart follows.
    const search = ranking.getByLabel('Rechercher un établissement (nom ou FINESS)');
    await search.focus();
    const second = expected[1];
    await page.keyboard.type(second.name.toUpperCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
    await page.waitForFunction((n) => document.querySelectorAll('.ranking text.chart-label').length === n, 1);
    assert.deepEqual((await labels()).map((l) => l.slice(0, 30)), [startOf(2, second.name)], 'found by name, case and accents aside, with its rank');
    await search.fill(expected[0].finess);
    await page.waitForFunction((t) => document.querySelector('.ranking text.chart-label')?.textContent.startsWith(t), `1. `);
    assert.deepEqual((await labels()).map((l) => l.slice(0, 30)), [startOf(1, expected[0].name)], 'found by FINESS');
    await screenshot(page, '41-classement-national-recherche');
    await sectionShot(page, 'etablissements', '41b-classement-national-recherche-section');
    await search.fill('établissement introuvable');
    await ranking.getByText('Aucun établissement ne correspond à « établissement introuvable ».').waitFor();
    assert.equal(await ranking.locator('svg').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('la consommation par molécule nomme chaque molécule, la plus consommée en tête, avec les valeurs de l’API', async () => {
    const token = await client.login('referent@chu-demo.fr');
    const api = await client.call('GET', `/indicators/ddj_1000jh?scope=establishment:${CHU}&year=${YEAR}&by=molecule`, undefined, token);
    const top = [...api.rows].sort((a, b) => b.value - a.value)[0];
    assert.ok(top.label && top.label !== top.molecule, `a name, not only the ATC code: ${JSON.stringify(top)}`);
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    const table = page.locator('#consommation').locator('xpath=..').locator('table', { has: page.locator('th', { hasText: 'Code ATC' }) });
    const first = await table.locator('tbody tr').first().evaluate((r) => [...r.cells].map((c) => c.textContent.trim()));
    assert.deepEqual(first.slice(0, 3).map(normalise), [top.label, top.molecule, normalise(frenchNumber(top.value, 1))]);
    assert.ok((await table.locator('tbody tr').count()) <= 15, 'a page at a time');
    await sectionShot(page, 'consommation', '45-consommation-par-molecule');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('la consommation par trimestre divise chaque trimestre par ses propres journées, avec les valeurs de l’API', async () => {
    const token = await client.login('referent@chu-demo.fr');
    const api = await client.call('GET', `/indicators/ddj_1000jh?scope=establishment:${CHU}&year=${YEAR}&by=period`, undefined, token);
    assert.deepEqual(api.rows.map((r) => r.period), ['2025-T1', '2025-T2', '2025-T3', '2025-T4'], 'the demo CHU sends by quarter');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    const table = page.locator('#consommation').locator('xpath=..').locator('table', { has: page.locator('th', { hasText: 'Période' }) });
    const lines = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].slice(0, 2).map((c) => c.textContent.trim())));
    assert.deepEqual(
      lines.map(([label, value]) => [label, normalise(value)]),
      api.rows.map((r, i) => [`${i === 0 ? '1er' : `${i + 1}e`} trimestre`, normalise(frenchNumber(r.value, 1))]),
    );
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  for (const { who, scope, hash, name, periods } of [
    { who: 'referent@chu-demo.fr', scope: `establishment:${CHU}`, hash: `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`, name: 'etablissement',
      periods: ['2025-T1', '2025-T2', '2025-T3', '2025-T4'] },
    { who: 'national@sante-demo.fr', scope: 'national', hash: `#/indicateurs/national?annee=${YEAR}`, name: 'national',
      periods: ['2025-T1', '2025-T2', '2025-T3', '2025-T4', '2025'] },
  ]) {
    test(`les phénotypes par trimestre (${name}) montrent les valeurs de l’API, chaque trimestre dédoublonné à part`, async () => {
      const token = await client.login(who);
      const ask = (id, q) => client.call('GET', `/indicators/${id}?scope=${scope}&year=${YEAR}&by=period${q}`, undefined, token);
      const page = await newPage(browser, platform.base);
      await uiLogin(page, who);
      await go(page, hash);
      const section = page.locator('#phenotypes-trimestre').locator('xpath=..');
      await section.locator('table').first().waitFor({ timeout: 60_000 });
      const label = (p) => (p.includes('-T') ? `${p.endsWith('1') ? '1er' : `${p.at(-1)}e`} trimestre` : 'Année entière');
      for (const [title, id, q, digits] of [
        ['Pourcentage des phénotypes par trimestre', 'pct_phenotype', '', 1],
        ["Densité d'incidence par trimestre", 'density_1000jh', '&specimen=all', 2],
      ]) {
        const table = section.getByRole('region', { name: title }).locator('table');
        const headers = await table.locator('thead th').evaluateAll((cells) => cells.map((c) => c.textContent.trim()));
        assert.deepEqual(headers.slice(1), periods.map(label), `${title}: a column a period, quarters first`);
        for (const phenotype of ['sarm', 'eblse']) {
          const api = await ask(id, `&phenotype=${phenotype}${q}`);
          assert.equal(api.rule, 'patient-espece-antibiotype-v1', 'each quarter under its own decisions');
          const wanted = Object.fromEntries(api.rows.map((r) => [r.period, r.value == null ? '—' : normalise(frenchNumber(r.value, digits))]));
          // A density pairs each period with the same period's patient-days: the demo CH sends its antibiograms once a
          // year but its patient-days by quarter, so the nation's density has no "année entière" (a dash there).
          const expected = id === 'density_1000jh' && name === 'national' ? periods.filter((p) => p.includes('-T')) : periods;
          assert.deepEqual(Object.keys(wanted).sort(), [...expected].sort(), `${id} ${phenotype}: the API's periods`);
          const row = table.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${phenotype === 'sarm' ? 'SARM' : 'EBLSE'}`) }) });
          const shown = await row.locator('td .value').evaluateAll((cells) => cells.map((c) => c.textContent.trim()));
          assert.deepEqual(shown.map(normalise), periods.map((p) => wanted[p] ?? '—'), `${id} ${phenotype}: the API's values, period by period`);
        }
      }
      assert.deepEqual(page.problems, []);
      for (const width of [1366, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.waitForTimeout(300); // charts redraw at their measured width
        await sectionShot(page, 'phenotypes-trimestre', `47-phenotypes-trimestre-${name}-${width}`);
      }
      await page.context().close();
    });
  }

  test('la résistance par espèce et antibiotique se filtre par prélèvement et par secteur, avec les valeurs de l’API', async () => {
    const token = await client.login('referent@chu-demo.fr');
    const ask = (q) => client.call('GET', `/indicators/pct_r?scope=establishment:${CHU}&year=${YEAR}${q}`, undefined, token);
    const [all, urine] = [await ask(''), await ask('&specimen=URINE')];
    assert.ok(urine.rows.length > 0 && urine.rows.length < all.rows.length, 'urines are a part of the antibiograms');
    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    const section = page.locator('#resistance').locator('xpath=..');
    const columns = async () => (await section.locator('table.pct-r thead th abbr').allTextContents()).sort();
    const codes = (rows) => [...new Set(rows.map((r) => r.antibiotic))].sort();
    assert.deepEqual(await columns(), codes(all.rows));
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/indicator-batch') && decodeURIComponent(r.url()).includes('specimen=URINE')),
      section.getByLabel('Prélèvement', { exact: true }).selectOption('URINE'),
    ]);
    await settle(page);
    assert.deepEqual(await columns(), codes(urine.rows), 'the antibiotics tested on urines');
    const counts = await section.locator('table.pct-r tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.cells[1].textContent.replace(/\s/g, ''))));
    const most = Math.max(...urine.rows.map((r) => r.n));
    assert.equal(Math.max(...counts), most, 'the isolates tested, as the API counts them in urines');
    await section.getByText(/parmi les isolats dédoublonnés testés \(Urines?/).waitFor();
    await section.getByLabel('Secteur', { exact: true }).selectOption('PSY');
    await section.getByText(/Aucune donnée pour 2025 dans cette sélection/).or(section.locator('table.pct-r')).first().waitFor();
    await sectionShot(page, 'resistance', '46-resistance-filtree');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  for (const width of [1366, 390]) {
    test(`à ${width} px, la France entière compare ses régions : barres avec intervalles, carte et tableau, en une requête, avec les valeurs de l’API`, async () => {
      const token = await client.login('national@sante-demo.fr');
      const regions = await client.call('GET', '/regions');
      const expected = {};
      for (const r of regions) {
        const answer = await client.call('GET', `/indicators/ddj_1000jh?scope=region:${r.code}&year=${YEAR}`, undefined, token);
        expected[r.name] = answer.rows[0]?.value ?? null;
      }
      assert.ok(Object.values(expected).filter((v) => v != null).length >= 2, 'the demo year has closed consumption in two regions');
      const page = await newPage(browser, platform.base);
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await uiLogin(page, 'national@sante-demo.fr');
      await go(page, `#/indicateurs/national?annee=${YEAR}`);
      const section = page.locator('#regions-comparees').locator('xpath=..');
      await section.locator('.region-map svg').waitFor();
      const table = section.locator('table');
      const lines = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
      assert.equal(lines.length, regions.length, 'every region has its line, with or without data');
      for (const [name, value] of Object.entries(expected)) {
        const line = lines.find((l) => l[0] === name);
        assert.ok(line, `${name} in the table`);
        assert.equal(normalise(line[1]), value == null ? '—' : normalise(frenchNumber(value, 1)), `${name}: the API's value`);
      }
      const order = lines.map((l) => expected[l[0]]).filter((v) => v != null);
      assert.deepEqual(order, [...order].sort((a, b) => b - a), 'highest value first');
      assert.equal(await section.locator('[data-region]').count(), 18, 'the 18 regions on the map');
      assert.equal(await section.locator('[data-region="11"][data-level="-1"]').count(), expected['Île-de-France'] == null ? 1 : 0);
      const label = await section.locator('.region-map svg').getAttribute('aria-label');
      assert.match(label, /Pays de la Loire/);

      // Another indicator: one more request for the whole section, answered with intervals.
      const asked = [];
      const listener = (r) => r.url().includes('/api/') && asked.push(r.url());
      page.on('request', listener);
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/indicator-batch')),
        section.getByLabel('Indicateur', { exact: true }).selectOption('sarm'),
      ]);
      await settle(page);
      await page.waitForTimeout(500); // a second request would be counted too
      page.off('request', listener);
      assert.equal(asked.length, 1, `one request for 19 questions: ${asked.join(' ')}`);
      assert.match(decodeURIComponent(asked[0]), /scope=region:52/);
      await sectionShot(page, 'regions-comparees', `44-regions-comparees-${width}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll (${overflow} px too wide)`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  /** Every chart text's size as drawn on screen (its font size times the drawing's scale), in CSS pixels. */
  const drawnFontSizes = (page) =>
    page.locator('figure.chart svg text').evaluateAll((texts) =>
      texts.map((t) => ({
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * (t.ownerSVGElement?.getScreenCTM()?.a ?? 1),
      })),
    );

  for (const width of [390, 1366]) {
    test(`à ${width} px de large, les graphiques s’écrivent en 11 px au moins et Accepter / Refuser restent à portée`, async () => {
      const email = `telephone-${width}@exemple.fr`;
      await client.call('POST', '/auth/signup', { email, password: 'Telephone-Test-2026!', first_name: 'Téo', last_name: `Mobile${width}` });
      await client.call('POST', '/auth/confirm', { email, code: await client.confirmationCode(email) });
      const asker = await client.login(email, 'Telephone-Test-2026!');
      await client.call('POST', `/establishments/${CHU}/access-requests`, {}, asker);

      const page = await newPage(browser, platform.base);
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await uiLogin(page, 'referent@chu-demo.fr');
      await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
      await page.locator('figure.chart svg text').first().waitFor();
      await page.waitForTimeout(300); // charts redraw at their measured width
      const sizes = await drawnFontSizes(page);
      assert.ok(sizes.length > 20, 'the dashboard draws charts');
      const small = sizes.filter((s) => s.px < 11 - 1e-6);
      assert.deepEqual(small, [], 'every chart label at least 11 px on screen');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll on the dashboard (${overflow} px too wide)`);
      await screenshot(page, `42-tableau-de-bord-${width}`);
      await sectionShot(page, 'consommation', `42b-consommation-${width}`);
      await sectionShot(page, 'comparaison', `42c-comparaison-${width}`);

      await go(page, `#/etablissements/${CHU}/membres`);
      const row = page.locator('tr', { hasText: email });
      await row.waitFor();
      // Both placed within the screen's width before anything scrolls (a table scrolled sideways would hide it).
      const buttons = [/^Accepter/, /^Refuser/].map((name) => row.getByRole('button', { name }));
      for (const button of buttons) {
        const box = await button.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${await button.textContent()} within the ${width}-px screen: ${JSON.stringify(box)}`);
      }
      const sideways = await row.evaluate((tr) => tr.closest('.table-wrap').scrollWidth - tr.closest('.table-wrap').clientWidth);
      assert.ok(sideways <= 0, `the requests' table needs no horizontal scroll (${sideways} px)`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `no horizontal scroll on the members' page (${wide} px too wide)`);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `43-membres-demande-${width}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
  // Last: it reopens the demo CHU's year (its data become drafts again) and leaves it so.
  test('après une déconnexion, le profil suivant dans le même onglet ne lit jamais les réponses gardées pour le précédent', async () => {
    const national = await client.login('national@sante-demo.fr');
    await client.call('POST', `/admin/establishments/${CHU}/periods/${YEAR}/reopen`, { reason: 'Correction des données (test)' }, national);
    const ask = async (who) => client.call('GET', `/indicators/ddj_1000jh?scope=establishment:${CHU}&year=${YEAR}`, undefined, await client.login(who));
    const draft = (await ask('referent@chu-demo.fr')).rows[0]?.value;
    assert.ok(draft > 0, 'the référent reads the reopened year as drafts');
    assert.equal((await ask('regional@ars-pdl-demo.fr')).rows[0]?.value ?? null, null, 'the region reads closed data only: none now');

    const page = await newPage(browser, platform.base);
    await uiLogin(page, 'referent@chu-demo.fr');
    await go(page, `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`);
    const figure = page.locator('[data-figure="ddj-total"]');
    await figure.waitFor();
    assert.equal(normalise(await figure.textContent()), normalise(`${frenchNumber(draft, 1)} DDJ/1000 JH`));

    await page.getByRole('button', { name: 'Déconnexion' }).click();
    await uiLogin(page, 'regional@ars-pdl-demo.fr'); // same tab: the client's memory is the référent's
    await go(page, `#/indicateurs/etablissements/${CHU}?annee=${YEAR}`);
    const consumption = page.locator('#consommation').locator('xpath=..');
    await consumption.getByText(`Pas de consommation pour ${YEAR}.`).waitFor();
    assert.equal(await figure.textContent(), '—', "the establishment's drafts are not shown to the region");
    await sectionShot(page, 'consommation', '47-region-apres-referent');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
