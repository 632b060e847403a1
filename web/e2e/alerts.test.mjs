// Alerts on rare phenotypes (issue 19): the référent of the demo CHU opens the e-mail's link to the « Alertes »
// screen, marks the alert handled with a comment — HTML typed in it stays text —, filters by status; an observateur
// reads without a form; the regional team reaches the screen from the navigation and the counts on its dashboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN, closePlatformAndBrowser, go, newPage, openPlatformAndBrowser, screenshot, uiLogin } from './harness.mjs';

const CHU = '440000990';
const REFERENT = 'referent@chu-demo.fr';
const COMMENT = 'Patient isolé, contacts <b>dépistés</b> <img src=x onerror="window.hacked=1">';

describe('alertes', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser());
  });

  after(() => closePlatformAndBrowser({ platform, browser }));

  test("le lien de l'e-mail ouvre l'alerte, le référent la traite avec un commentaire, la cellule régionale la suit", async () => {
    const admin = await client.login(ADMIN.email, ADMIN.password);
    const mails = (await client.call('GET', '/local/mailbox', undefined, admin)).filter(
      (m) => (Array.isArray(m.to) ? m.to : [m.to]).includes(REFERENT) && m.subject.startsWith('ConsoRes : alerte EPC'),
    );
    assert.ok(mails.length > 0, 'the demo CHU has EPC alerts, each e-mailed to its référent');
    const link = /#\/alertes\?\S+/.exec(mails[0].body)[0];
    const alertId = new URLSearchParams(link.split('?')[1]).get('alerte');

    // The référent follows the e-mail's link: the screen opens on the alert.
    const referent = await newPage(browser, platform.base);
    await uiLogin(referent, REFERENT);
    await go(referent, link);
    await referent.getByRole('heading', { name: 'Alertes' }).waitFor();
    const row = referent.locator(`tr[data-alert="${alertId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('aria-current'), 'true');
    assert.match(await row.textContent(), /EPC/);
    await screenshot(referent, '70-alertes-lien-du-mail');

    // Handled, with a comment shown as typed: no element made of it, no script run.
    await row.getByLabel('Statut').selectOption('traitée');
    await row.getByLabel('Commentaire').fill(COMMENT);
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await referent.getByText(/: traitée\.$/).waitFor();
    const comment = referent.locator(`tr[data-alert="${alertId}"] .alert-comment`);
    assert.equal(await comment.textContent(), COMMENT);
    assert.equal(await comment.locator('b, img').count(), 0);
    assert.equal(await referent.evaluate(() => window.hacked), undefined);
    await screenshot(referent, '71-alertes-traitee');

    // Filters by status.
    await referent.getByLabel('Filtrer par statut').selectOption('traitée');
    await referent.waitForFunction(() => document.querySelectorAll('tr[data-alert]').length === 1);
    await referent.locator(`tr[data-alert="${alertId}"]`).waitFor();
    await referent.getByLabel('Filtrer par statut').selectOption('nouvelle');
    await referent.waitForFunction((id) => document.querySelectorAll('tr[data-alert]').length > 0
      && !document.querySelector(`tr[data-alert="${id}"]`), alertId);
    assert.ok(await referent.locator('tr[data-alert]').count() > 0);

    // An observateur reads the alerts from the navigation, without a form.
    const observer = await newPage(browser, platform.base);
    await uiLogin(observer, 'observateur@chu-demo.fr');
    await observer.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Alertes' }).click();
    await observer.locator(`tr[data-alert="${alertId}"]`).waitFor();
    assert.equal(await observer.locator(`tr[data-alert="${alertId}"] .alert-comment`).textContent(), COMMENT);
    assert.equal(await observer.locator('form.alert-acknowledge').count(), 0);

    // The regional team: the region's alerts from the navigation, the counts on its dashboard.
    const regional = await newPage(browser, platform.base);
    await uiLogin(regional, 'regional@ars-pdl-demo.fr');
    await regional.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Alertes' }).click();
    await regional.locator(`tr[data-alert="${alertId}"]`).waitFor();
    assert.equal(await regional.locator('form.alert-acknowledge').count(), 0);
    await screenshot(regional, '72-alertes-region');
    await go(regional, '#/indicateurs/regions/52?annee=2025');
    const section = regional.locator('section:has(h2#alertes)');
    await section.locator('table.alert-counts').waitFor();
    assert.match(await section.textContent(), /Entérobactérie productrice de carbapénémase \(EPC\)/);
    await section.getByRole('link', { name: 'Voir et suivre les alertes' }).waitFor();
    await screenshot(regional, '73-tableau-de-bord-alertes');

    for (const page of [referent, observer, regional]) {
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});
