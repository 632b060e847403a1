// Support tickets: a référent of the demo CHU asks for help from an import's page, the regional team answers from
// its inbox, the référent reads the answer; both e-mails are in the local mailbox; HTML typed in a message stays text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN, closePlatformAndBrowser, go, newPage, openPlatformAndBrowser, screenshot, settle, uiLogin, writeFiles } from './harness.mjs';

const CHU = '440000990';
const REFERENT = 'referent@chu-demo.fr';
const REGIONAL = 'regional@ars-pdl-demo.fr';
const QUESTION = 'Bonjour, le fichier <b>gras</b> <img src=x onerror="window.hacked=1"> est refusé : pourquoi ?';

describe('support', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser());
  });

  after(() => closePlatformAndBrowser({ platform, browser }));

  test('un référent écrit au support depuis un import, la cellule régionale lui répond, chacun est prévenu par e-mail', async () => {
    const token = await client.login(REFERENT);
    const [upload] = await client.call('GET', `/establishments/${CHU}/uploads`, undefined, token);
    assert.ok(upload, 'the demo CHU has imports');
    const files = writeFiles({ 'capture.txt': 'ligne 12 : code UF inconnu\n' });

    // The référent opens a ticket from the import's page: category, establishment, upload and period come pre-filled.
    const referent = await newPage(browser, platform.base);
    await uiLogin(referent, REFERENT);
    await go(referent, `#/etablissements/${CHU}/imports/${upload.upload_id}`);
    await referent.getByRole('link', { name: 'Contacter le support à propos de cet import' }).click();
    await referent.getByRole('heading', { name: 'Contacter le support' }).waitFor();
    assert.equal(await referent.getByLabel('Catégorie').inputValue(), 'import');
    await referent.locator('[data-links]').getByText(upload.upload_id).waitFor();
    assert.match(await referent.getByLabel(/^Objet/).inputValue(), /^Import /);
    await referent.getByLabel(/^Message/).fill(QUESTION);
    await referent.getByLabel(/^Pièces jointes/).setInputFiles(files.paths['capture.txt']);
    await screenshot(referent, '60-support-nouvelle-demande');
    await referent.getByRole('button', { name: 'Envoyer la demande' }).click();
    await referent.getByText('Votre demande est envoyée').waitFor();
    const ticketId = decodeURIComponent(/#\/support\/([^?]+)/.exec(referent.url())[1]);
    await referent.locator('[data-message="1"]').getByRole('button', { name: 'capture.txt' }).waitFor();
    // What was typed is shown as typed: no element made of it, no script run.
    const first = referent.locator('[data-message="1"] .thread-body');
    assert.equal(await first.textContent(), QUESTION);
    assert.equal(await first.locator('b, img').count(), 0);
    assert.equal(await referent.evaluate(() => window.hacked), undefined);

    // The regional team sees it in its inbox, counted among the open ones, and answers.
    const regional = await newPage(browser, platform.base);
    await uiLogin(regional, REGIONAL);
    await regional.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Support' }).click();
    await regional.getByRole('link', { name: 'Demandes à traiter' }).click();
    await settle(regional);
    const openCount = regional.locator('[data-count="ouvert"] .badge');
    await regional.waitForFunction(() => !document.querySelector('[data-count="ouvert"] .badge')?.textContent?.includes('…'));
    assert.ok(Number(await openCount.textContent()) >= 1);
    await screenshot(regional, '61-support-boite-regionale');
    await regional.locator(`tr[data-ticket="${ticketId}"]`).getByRole('link').click();
    await regional.locator('[data-message="1"] .thread-body').waitFor();
    assert.equal(await regional.locator('[data-message="1"] .thread-body').textContent(), QUESTION);
    await regional.getByLabel('Votre message').fill('Le code UF 0412 manque dans votre structure : ajoutez-le puis déposez à nouveau.');
    await regional.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await regional.getByText('Votre réponse est envoyée.').waitFor();
    await regional.locator('[data-message="2"]').waitFor();
    await regional.getByText('En cours', { exact: true }).first().waitFor();
    await screenshot(regional, '62-support-reponse-regionale');

    // The référent reads the answer in « Mes demandes ».
    await go(referent, '#/support');
    await referent.locator(`tr[data-ticket="${ticketId}"]`).getByRole('link').click();
    await referent.locator('[data-message="2"]').getByText('Le code UF 0412 manque').waitFor();
    await screenshot(referent, '63-support-reponse-lue');

    // Both e-mails, each with a link to the ticket.
    const admin = await client.login(ADMIN.email, ADMIN.password);
    const mails = (await client.call('GET', '/local/mailbox', undefined, admin)).filter((m) => m.body.includes(`/#/support/${ticketId}`));
    const to = (m) => (Array.isArray(m.to) ? m.to : [m.to]);
    assert.ok(mails.some((m) => to(m).includes(REGIONAL) && /nouvelle demande/.test(m.subject)), 'the regional team is told of the new ticket');
    assert.ok(mails.some((m) => to(m).includes(REFERENT) && /nouvelle réponse/.test(m.subject)), 'the référent is told of the answer');

    assert.deepEqual(referent.problems, []);
    assert.deepEqual(regional.problems, []);
    await referent.context().close();
    await regional.context().close();
    files.cleanup();
  });

  test('une demande de réouverture acceptée par l’équipe nationale rouvre la période, la demande pour motif', async () => {
    const token = await client.login(REFERENT);
    const status = async () => (await client.call('GET', `/establishments/${CHU}/periods?year=2025`, undefined, token)).find((p) => p.period === '2025')?.status;
    assert.equal(await status(), 'closed', 'the demo closed its year 2025');

    const referent = await newPage(browser, platform.base);
    await uiLogin(referent, REFERENT);
    await go(referent, `#/etablissements/${CHU}/periodes?annee=2025`);
    await referent.getByRole('link', { name: "demandez sa réouverture à l'équipe nationale" }).click();
    await referent.getByRole('heading', { name: 'Contacter le support' }).waitFor();
    assert.equal(await referent.getByLabel('Catégorie').inputValue(), 'reouverture');
    await referent.getByText('Votre demande sera traitée par l\'équipe nationale.').waitFor();
    await referent.getByLabel(/^Message/).fill('Les lits du T3 sont faux : merci de rouvrir 2025.');
    await referent.getByRole('button', { name: 'Envoyer la demande' }).click();
    await referent.getByText('Votre demande est envoyée').waitFor();
    const ticketId = decodeURIComponent(/#\/support\/([^?]+)/.exec(referent.url())[1]);

    const national = await newPage(browser, platform.base);
    await uiLogin(national, 'national@sante-demo.fr');
    await go(national, `#/support/${encodeURIComponent(ticketId)}`);
    await national.getByRole('button', { name: 'Accepter et rouvrir la période 2025' }).click();
    await national.getByText('La période est rouverte et la demande résolue.').waitFor();
    await national.locator('[data-message="2"]').getByText('La période 2025 est rouverte').waitFor();
    await screenshot(national, '64-support-reouverture-acceptee');
    assert.equal(await status(), 'open');
    const admin = await client.login(ADMIN.email, ADMIN.password);
    const since = new Date(Date.now() - 10 * 60_000).toISOString().slice(0, 19);
    const audit = await client.call('GET', `/admin/audit?since=${since}`, undefined, admin);
    const reopened = audit.find((e) => e.action === 'period.reopen' && e.target.includes(CHU));
    assert.equal(reopened.after.reason, `Demande n° ${ticketId} : Réouverture de 2025`, 'the ticket is the reopening’s reason');
    assert.deepEqual(referent.problems, []);
    assert.deepEqual(national.problems, []);
    await referent.context().close();
    await national.context().close();
  });

  test('un fichier de consommation aux codes UCD inconnus attend le catalogue, puis est validé seul quand l’équipe nationale les ajoute', async () => {
    const token = await client.login(REFERENT);
    const period = `${new Date().getFullYear()}-T1`; // an open period: the demo closes the previous year
    const [unit] = await client.call('GET', `/establishments/${CHU}/units`, undefined, token);
    const content = `UF;Code UCD;Libellé;Quantité;Période\n${unit.code_uf};9999993;NOUVEL ANTIBIOTIQUE 1 G;40;${period}\n`;
    const waiting = await client.sendFile(token, CHU, 'consumption', period, 'conso-nouveau.csv', content);
    assert.equal(waiting.status, 'NEEDS_CATALOGUE');

    const referent = await newPage(browser, platform.base);
    await uiLogin(referent, REFERENT);
    await go(referent, `#/etablissements/${CHU}/imports/${waiting.upload_id}`);
    await referent.getByText('En attente du catalogue').first().waitFor();
    await referent.getByText(/validé automatiquement dès qu'ils seront ajoutés/).waitFor();
    await screenshot(referent, '65-import-en-attente-du-catalogue');
    await referent.getByRole('link', { name: "Suivre la demande d'ajout au catalogue" }).click();
    await referent.locator('[data-message="1"] .thread-body').getByText(/9999993/).waitFor();

    const national = await client.login('national@sante-demo.fr');
    const inbox = await client.call('GET', '/tickets?team=national&status=ouvert', undefined, national);
    assert.ok(inbox.some((t) => t.ticket_id === `catalogue-${waiting.upload_id}`), 'the national team finds the catalogue ticket');
    await client.call('PUT', '/admin/catalogue/entries', [
      { ucd: '9999993', label: 'Nouvel antibiotique 1 g', atc: 'J01CA04', route: 'P', strength: 1, strength_unit: 'g', form: 'poudre' },
    ], national);
    const done = await client.settled(token, CHU, waiting.upload_id);
    assert.equal(done.status, 'VALIDATED');
    await go(referent, `#/etablissements/${CHU}/imports/${waiting.upload_id}`);
    await referent.getByText('Le fichier est validé : ses données sont enregistrées.').waitFor();
    const admin = await client.login(ADMIN.email, ADMIN.password);
    const told = (await client.call('GET', '/local/mailbox', undefined, admin)).filter((m) => /validé/.test(m.subject) && m.body.includes(waiting.upload_id));
    assert.equal(told.length, 1, 'the référent is told once');
    assert.deepEqual(referent.problems, []);
    await referent.context().close();
  });
});
