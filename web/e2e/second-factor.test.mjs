// The second factor (TOTP) in a browser: the national profile required to enrol at its first login, and a
// référent who turns it on from « Mon espace ». The platform runs with CONSORES_MFA_REQUIRED_PROFILES; codes are
// computed as an authenticator app does (RFC 6238) from the secret the screen shows.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, closePlatformAndBrowser, go, newPage, normalise, openPlatformAndBrowser, screenshot, settle } from './harness.mjs';

const YEAR = '2025';
const WRONG_CODE = "Code incorrect ou déjà utilisé : saisissez le code affiché à l'instant par votre application.";

/** RFC 6238 (HMAC-SHA1, 6 digits, 30 s) for a base32 secret, ``ahead`` steps from now. */
function totp(secret, ahead = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + ahead));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Any code but the right one. */
const wrong = (code) => (code === '000000' ? '111111' : '000000');

async function passwordStep(page, email) {
  await page.goto('/#/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** The secret as the enrolment screen shows it (in groups of four, as a user types it into an app). */
async function secretOnScreen(page) {
  const shown = page.locator('code.totp-secret');
  await shown.waitFor();
  const text = normalise(await shown.innerText());
  assert.match(text, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'grouped by four');
  return text.replace(/ /g, '');
}

const codeField = (page) => page.getByLabel("Code à 6 chiffres de votre application d'authentification");

/** The login's code step: a wrong code is refused in French, the next right one logs in. */
async function codeStep(page, secret, name) {
  await page.getByRole('heading', { name: 'Connexion : double authentification' }).waitFor();
  await page.getByText("Saisissez le code à 6 chiffres affiché par votre application d'authentification.").waitFor();
  const code = totp(secret, 1); // never the enrolment's own step: a code is accepted once
  await codeField(page).fill(wrong(code));
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.getByRole('alert').getByText(WRONG_CODE).waitFor();
  await screenshot(page, `${name}-code-incorrect`);
  await codeField(page).fill(code);
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.waitForURL(/#\/espace/);
  await settle(page);
}

describe('double authentification', () => {
  let platform;
  let browser;
  let client;

  before(async () => {
    ({ platform, browser, client } = await openPlatformAndBrowser({ env: { CONSORES_MFA_REQUIRED_PROFILES: 'national,admin' } }));
  });

  after(() => closePlatformAndBrowser({ platform, browser }));

  test('le profil national configure son application à la première connexion, puis se connecte avec un code', async () => {
    const page = await newPage(browser, platform.base);
    await passwordStep(page, 'national@sante-demo.fr');
    await page.getByRole('heading', { name: 'Configurer la double authentification' }).waitFor();
    await page.getByText('Votre profil exige la double authentification').waitFor();
    const secret = await secretOnScreen(page);
    assert.match(await page.getByRole('link', { name: "ouvrir dans l'application d'authentification" }).getAttribute('href'),
      new RegExp(`^otpauth://totp/ConsoRes:national@sante-demo\\.fr\\?secret=${secret}&issuer=ConsoRes`));
    await screenshot(page, 'mfa-national-configuration');
    // On a phone's width: nothing wider than the screen (the secret and the otpauth address wrap).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('summary', { hasText: 'Adresse otpauth://' }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no sideways scrolling at 390 px');
    await screenshot(page, 'mfa-national-configuration-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    await codeField(page).fill(wrong(totp(secret)));
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    await page.getByRole('alert').getByText(WRONG_CODE).waitFor();
    await codeField(page).fill(totp(secret));
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    await page.getByRole('heading', { name: 'Connexion', exact: true }).waitFor();
    await page.getByText('Double authentification activée : reconnectez-vous').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('consores.session')), null, 'no session yet');

    await passwordStep(page, 'national@sante-demo.fr');
    await codeStep(page, secret, 'mfa-national');
    await go(page, `#/indicateurs/national?annee=${YEAR}`);
    await page.locator('[data-indicator="ddj_1000jh"]').waitFor();
    await screenshot(page, 'mfa-national-tableau-de-bord');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('un référent active la double authentification depuis « Mon espace », puis la connexion lui demande un code', async () => {
    const page = await newPage(browser, platform.base);
    await passwordStep(page, 'referent@chu-demo.fr');
    await page.waitForURL(/#\/espace/); // no code asked: his profile does not require one
    await settle(page);
    const card = page.getByRole('region', { name: 'Double authentification' });
    await card.getByText('Non activée').waitFor();
    await card.getByRole('button', { name: "Configurer une application d'authentification" }).click();
    const secret = await secretOnScreen(page);
    await screenshot(page, 'mfa-mon-espace-configuration');
    await codeField(page).fill(totp(secret));
    await card.getByRole('button', { name: 'Activer la double authentification' }).click();

    // Every session is closed: the login screen says why, the address already typed.
    await page.waitForURL(/#\/connexion/);
    await page.getByText('Double authentification activée : reconnectez-vous').waitFor();
    assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), 'referent@chu-demo.fr');
    assert.equal(await page.getByRole('button', { name: 'Déconnexion' }).count(), 0);
    const told = (await client.call('GET', '/local/mailbox')).filter((m) => m.to === 'referent@chu-demo.fr' || m.to?.includes?.('referent@chu-demo.fr'));
    assert.equal(told.at(-1)?.subject, 'ConsoRes : double authentification activée sur votre compte', 'told by e-mail');

    await passwordStep(page, 'referent@chu-demo.fr');
    await codeStep(page, secret, 'mfa-referent');
    await page.getByRole('region', { name: 'Double authentification' }).getByText('Activée', { exact: true }).waitFor();
    await screenshot(page, 'mfa-mon-espace-activee');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
