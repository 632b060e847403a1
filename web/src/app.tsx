import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ApiError, getMe, type Me, toApiError } from './api';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Footer } from './components/Footer';
import { Header } from './components/Header';
import { AccessRequest } from './pages/AccessRequest';
import { Confirm } from './pages/Confirm';
import { Documentation } from './pages/Documentation';
import { ControlsPage } from './pages/ControlsPage';
import { EstablishmentMembers } from './pages/EstablishmentMembers';
import { EstablishmentPage } from './pages/EstablishmentPage';
import { ImportPage } from './pages/ImportPage';
import { StructurePage } from './pages/StructurePage';
import { UploadPage } from './pages/UploadPage';
import { ForgotPassword } from './pages/ForgotPassword';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { MySpace } from './pages/MySpace';
import { NotFound } from './pages/NotFound';
import { ResetPassword } from './pages/ResetPassword';
import { Signup } from './pages/Signup';
import { navigate, type Route, useRoute } from './router';
import { isLoggedIn, onSessionChange } from './session';
import { UserContext, type UserState } from './user';

/** Screens reachable without an account. */
function publicScreen(route: Route) {
  switch (route.path) {
    case '/':
      return <Home />;
    case '/documentation':
      return <Documentation />;
    case '/connexion':
      return <Login route={route} />;
    case '/inscription':
      return <Signup />;
    case '/confirmation':
      return <Confirm route={route} />;
    case '/mot-de-passe-oublie':
      return <ForgotPassword route={route} />;
    case '/reinitialisation':
      return <ResetPassword route={route} />;
  }
  return undefined;
}

/** Screens that need a session. */
function privateScreen(route: Route) {
  if (route.path === '/espace') return <MySpace />;
  if (route.path === '/demande-acces') return <AccessRequest />;
  const m = /^\/etablissements\/([^/]+)(?:\/(membres|import|structure|controles|imports\/([^/]+)))?$/.exec(route.path);
  if (!m) return undefined;
  const finess = decodeURIComponent(m[1]);
  switch (m[2]) {
    case undefined:
      return <EstablishmentPage finess={finess} route={route} />;
    case 'membres':
      return <EstablishmentMembers finess={finess} />;
    case 'import':
      return <ImportPage finess={finess} route={route} />;
    case 'structure':
      return <StructurePage finess={finess} />;
    case 'controles':
      return <ControlsPage finess={finess} route={route} />;
    default:
      return <UploadPage finess={finess} uploadId={decodeURIComponent(m[3])} />;
  }
}

export function App() {
  const route = useRoute();
  const [loggedIn, setLoggedIn] = useState(isLoggedIn);
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<ApiError | null>(null);

  useEffect(() => onSessionChange(() => setLoggedIn(isLoggedIn())), []);

  const reloadMe = useCallback(async () => {
    if (!isLoggedIn()) return;
    try {
      setMe(await getMe());
      setMeError(null);
    } catch (e) {
      setMeError(toApiError(e));
    }
  }, []);

  useEffect(() => {
    setMe(null);
    setMeError(null);
    if (loggedIn) void reloadMe();
  }, [loggedIn]);

  const screen = publicScreen(route) ?? (loggedIn ? privateScreen(route) : undefined);
  const needsLogin = !screen && !loggedIn && privateScreen(route) !== undefined;

  useEffect(() => {
    // Skip when the hash already moved on (e.g. "Déconnexion" sends the user home).
    const stillHere = window.location.hash.split('?')[0] === `#${route.path}`;
    if (needsLogin && stillHere) navigate('/connexion', { retour: route.path });
  }, [needsLogin, route.path]);

  const user: UserState = { loggedIn, me, meError, reloadMe };

  return (
    <UserContext.Provider value={user}>
      <Header path={route.path} />
      <main id="contenu" tabIndex={-1} class="container">
        <ErrorBoundary key={route.path}>{screen ?? (needsLogin ? null : <NotFound />)}</ErrorBoundary>
      </main>
      <Footer />
    </UserContext.Provider>
  );
}
