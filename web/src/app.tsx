import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ApiError, getMe, type Me, toApiError } from './api';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Footer } from './components/Footer';
import { Header } from './components/Header';
import { AccessRequest } from './pages/AccessRequest';
import { Confirm } from './pages/Confirm';
import { ControlsPage } from './pages/ControlsPage';
import { EstablishmentMembers } from './pages/EstablishmentMembers';
import { EstablishmentPage } from './pages/EstablishmentPage';
import { ImportPage } from './pages/ImportPage';
import { StructurePage } from './pages/StructurePage';
import { UploadPage } from './pages/UploadPage';
import { LaboratoryMappingsPage } from './pages/LaboratoryMappingsPage';
import { ForgotPassword } from './pages/ForgotPassword';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { MySpace } from './pages/MySpace';
import { NotFound } from './pages/NotFound';
import { PeriodsPage } from './pages/PeriodsPage';
import { ResetPassword } from './pages/ResetPassword';
import { Signup } from './pages/Signup';
import { navigate, type Route, useRoute } from './router';
import { isLoggedIn, onSessionChange } from './session';
import { lazy } from './lazy';
import { UserContext, type UserState } from './user';

// Screens loaded on first use (separate chunks).
const Documentation = lazy(() => import('./pages/docs/Documentation').then((m) => m.Documentation));
const OpenData = lazy(() => import('./pages/OpenData').then((m) => m.OpenData));
const indicators = () => import('./pages/indicators/screens');
const DashboardPage = lazy(() => indicators().then((m) => m.DashboardPage));
const IndicatorsHome = lazy(() => indicators().then((m) => m.IndicatorsHome));
const RegionPage = lazy(() => indicators().then((m) => m.RegionPage));
const NationalPage = lazy(() => indicators().then((m) => m.NationalPage));
const ProfileEstablishmentPage = lazy(() => indicators().then((m) => m.ProfileEstablishmentPage));
const AntibiogramPage = lazy(() => indicators().then((m) => m.AntibiogramPage));
const Admin = lazy(() => import('./pages/admin/Admin').then((m) => m.Admin));
const SupportNew = lazy(() => import('./pages/support/SupportNew').then((m) => m.SupportNew));
const SupportList = lazy(() => import('./pages/support/SupportList').then((m) => m.SupportList));
const SupportTicket = lazy(() => import('./pages/support/SupportTicket').then((m) => m.SupportTicket));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage').then((m) => m.AlertsPage));
const EarsNetExports = lazy(() => import('./pages/admin/EarsNetExports').then((m) => m.EarsNetExports));

/** Screens reachable without an account. */
function publicScreen(route: Route) {
  switch (route.path) {
    case '/':
      return <Home />;
    case '/donnees-ouvertes':
      return <OpenData route={route} />;
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
  const doc = /^\/documentation(?:\/([a-z-]+))?$/.exec(route.path);
  if (doc) return <Documentation slug={doc[1]} />;
  return undefined;
}

/** Screens that need a session. */
function privateScreen(route: Route) {
  if (route.path === '/espace') return <MySpace />;
  if (route.path === '/demande-acces') return <AccessRequest />;
  if (route.path === '/indicateurs') return <IndicatorsHome />;
  if (route.path === '/alertes') return <AlertsPage route={route} />;
  if (route.path === '/support') return <SupportList route={route} />;
  if (route.path === '/support/nouvelle') return <SupportNew route={route} />;
  const ticket = /^\/support\/([^/]+)$/.exec(route.path);
  if (ticket) return <SupportTicket id={decodeURIComponent(ticket[1])} route={route} />;
  if (route.path === '/indicateurs/national') return <NationalPage route={route} />;
  if (route.path === '/indicateurs/antibiogramme') return <AntibiogramPage route={route} />;
  const ind = /^\/indicateurs\/(regions|etablissements)\/([^/]+)$/.exec(route.path);
  if (ind) {
    const code = decodeURIComponent(ind[2]);
    return ind[1] === 'regions' ? <RegionPage code={code} route={route} /> : <ProfileEstablishmentPage finess={code} route={route} />;
  }
  if (route.path === '/administration/export-ears-net') return <EarsNetExports />;
  const adm = /^\/administration(?:\/([a-z]+))?$/.exec(route.path);
  if (adm) return <Admin section={adm[1]} />;
  const m = /^\/etablissements\/([^/]+)(?:\/(membres|import|structure|controles|periodes|indicateurs|imports\/([^/]+)|laboratoires\/([^/]+)))?$/.exec(route.path);
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
    case 'periodes':
      return <PeriodsPage finess={finess} route={route} />;
    case 'indicateurs':
      return <DashboardPage finess={finess} route={route} />;
    default:
      if (m[4]) return <LaboratoryMappingsPage finess={finess} labId={decodeURIComponent(m[4])} />;
      return <UploadPage finess={finess} uploadId={decodeURIComponent(m[3])} />;
  }
}

export function App() {
  const route = useRoute();
  const [loggedIn, setLoggedIn] = useState(isLoggedIn);
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<ApiError | null>(null);

  const [sessionVersion, setSessionVersion] = useState(0); // a login elsewhere may change who is signed in
  useEffect(
    () =>
      onSessionChange(() => {
        setLoggedIn(isLoggedIn());
        setSessionVersion((v) => v + 1);
      }),
    [],
  );

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
  }, [loggedIn, sessionVersion]);

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
