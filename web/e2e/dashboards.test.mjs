// The dashboards at scale: how many API requests each one makes (never the same twice,
// at most one per section plus the few every page makes), how long the first chart and
// the whole page take (printed, not asserted), as each of the three demo profiles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closePlatformAndBrowser, newPage, openPlatformAndBrowser, screenshot, settle, uiLogin } from './harness.mjs';

const CHU = '440000990';
const YEAR = '2025';

/** Calls any page may make besides its sections: /me, the regions, the establishments' directory, the indicators' catalogue, periods. */
const EVERY_PAGE = 5;

const DASHBOARDS = [
  { who: 'referent@chu-demo.fr', hash: `#/etablissements/${CHU}/indicateurs?annee=${YEAR}`, name: 'établissement' },
  { who: 'regional@ars-pdl-demo.fr', hash: `#/indicateurs/regions/52?annee=${YEAR}`, name: 'région' },
  { who: 'national@sante-demo.fr', hash: `#/indicateurs/national?annee=${YEAR}`, name: 'national' },
];

/** Loads the page afresh (nothing cached in memory), and records its API GETs and two times. */
async function measure(page, hash) {
  await page.goto(`/${hash}`);
  await settle(page);
  const requests = [];
  const listener = (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) requests.push(`${r.method()} ${url.pathname}${url.search}`);
  };
  page.on('request', listener);
  const start = Date.now();
  await page.reload();
  await page.locator('figure.chart svg').first().waitFor({ timeout: 60_000 });
  const firstChart = Date.now() - start;
  await page.locator('.dash-section').first().waitFor();
  await settle(page, 60_000);
  const allLoaded = Date.now() - start;
  await page.waitForTimeout(1000); // a late request would be counted too
  page.off('request', listener);
  const sections = await page.locator('.dash-section').count();
  return { requests, firstChart, allLoaded, sections };
}

describe('tableaux de bord à l’échelle', () => {
  let platform;
  let browser;

  before(async () => {
    ({ platform, browser } = await openPlatformAndBrowser());
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
});
