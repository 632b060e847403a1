import { logout } from '../api';
import { navigate } from '../router';
import { useUser } from '../user';
import { Logo } from './Logo';

interface NavLinkProps {
  to: string;
  current: string;
  label: string;
}

function NavLink({ to, current, label }: NavLinkProps) {
  const active = to === '/' ? current === '/' : current.startsWith(to);
  return (
    <li>
      <a href={`#${to}`} aria-current={active ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
}

export function Header({ path }: { path: string }) {
  const { loggedIn, me } = useUser();
  const name = me ? [me.first_name, me.last_name].filter(Boolean).join(' ') || me.email : '';
  const profiles = me?.profiles.map((p) => p.type) ?? [];
  const analyst = profiles.some((t) => t === 'regional' || t === 'national' || t === 'admin');
  const administers = profiles.some((t) => t === 'national' || t === 'admin');
  const followsAlerts = analyst || (me?.memberships.length ?? 0) > 0;

  function onLogout() {
    logout();
    navigate('/');
  }

  function skipToContent(e: Event) {
    e.preventDefault();
    document.getElementById('contenu')?.focus();
  }

  return (
    <header class="site-header">
      <a class="skip-link" href="#contenu" onClick={skipToContent}>
        Aller au contenu
      </a>
      <div class="container header-inner">
        <a class="brand" href="#/" aria-label="ConsoRes, accueil">
          <Logo />
        </a>
        <nav aria-label="Navigation principale">
          <ul class="nav-list">
            {!loggedIn && <NavLink to="/" current={path} label="Accueil" />}
            {loggedIn && <NavLink to="/espace" current={path} label="Mon espace" />}
            {loggedIn && analyst && <NavLink to="/indicateurs" current={path} label="Indicateurs" />}
            {loggedIn && followsAlerts && <NavLink to="/alertes" current={path} label="Alertes" />}
            {loggedIn && administers && <NavLink to="/administration" current={path} label="Administration" />}
            {loggedIn && <NavLink to="/support" current={path} label="Support" />}
            <NavLink to="/donnees-ouvertes" current={path} label="Données ouvertes" />
            <NavLink to="/documentation" current={path} label="Documentation" />
            {!loggedIn && <NavLink to="/connexion" current={path} label="Connexion" />}
          </ul>
        </nav>
        {loggedIn && (
          <div class="user-box">
            {name && (
              <span class="user-name" title={name}>
                <span class="sr-only">Connecté en tant que </span>
                {name}
              </span>
            )}
            <a class="user-link" href="#/support/nouvelle">
              Contacter le support
            </a>
            <button type="button" class="button button-light" onClick={onLogout}>
              Déconnexion
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
