import { useState } from 'preact/hooks';
import type { Me } from '../api';
import { secondFactorOf, signOutAfterEnrolment } from '../secondFactor';
import { getTokens } from '../session';
import { EnrolStep } from './SecondFactor';

/** « Mon espace »: whether logins ask for an authenticator's code, and turning it on for oneself. */
export function MySecondFactor({ me }: { me: Me }) {
  const state = secondFactorOf(me);
  const [enrolling, setEnrolling] = useState(false);
  const session = getTokens()?.access_token;

  return (
    <section class="card" aria-labelledby="double-authentification">
      <h2 id="double-authentification">Double authentification</h2>
      {state?.totp ? (
        <p data-second-factor="on">
          <span class="badge badge-referent">Activée</span> Chaque connexion vous demande, après votre mot de passe, le
          code à 6 chiffres affiché par votre application d'authentification. Pour changer de téléphone ou
          d'application, <a href="#/support/nouvelle">contactez le support</a>.
        </p>
      ) : (
        <>
          <p data-second-factor="off">
            <span class="badge badge-observateur">Non activée</span> Votre mot de passe suffit pour vous connecter.
            {state?.required &&
              ' Votre profil exige la double authentification : elle vous sera demandée à la prochaine connexion.'}
          </p>
          <p>
            Activez-la pour protéger votre compte même si votre mot de passe était découvert : chaque connexion vous
            demandera aussi un code à 6 chiffres, affiché par une application d'authentification sur votre téléphone
            (par exemple FreeOTP, Google Authenticator ou Microsoft Authenticator). Une fois activée, toutes vos
            sessions sont fermées et vous vous reconnectez avec votre mot de passe puis un code.
          </p>
          {!enrolling || !session ? (
            <div class="actions">
              <button type="button" class="button" onClick={() => setEnrolling(true)} disabled={!session}>
                Configurer une application d'authentification
              </button>
            </div>
          ) : (
            <>
              <EnrolStep session={session} onDone={(message) => signOutAfterEnrolment(message, me.email)} />
              <div class="actions">
                <button type="button" class="button button-secondary" onClick={() => setEnrolling(false)}>
                  Annuler
                </button>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
