// Entry point of the administration (imported by the router): profile check, tabs and the chosen screen.
import { ErrorAlert, Loading } from '../../components/Alert';
import { Page } from '../../components/Page';
import { useUser } from '../../user';
import { AuditLog } from './AuditLog';
import { Campaign } from './Campaign';
import { Establishments } from './Establishments';
import { Laboratories } from './Laboratories';
import { Methods } from './Methods';
import { Profiles } from './Profiles';
import { Reopen } from './Reopen';
import { ReportGeneration } from './ReportGeneration';
import { AdminTabs, isAdmin, isNational, SECTIONS } from './shared';

export function Admin({ section }: { section?: string }) {
  const { me, meError } = useUser();
  if (!me) return <Page title="Administration">{meError ? <ErrorAlert error={meError} /> : <Loading />}</Page>;
  const admin = isAdmin(me);
  if (!admin && !isNational(me)) {
    return (
      <Page title="Administration">
        <div role="alert" class="alert alert-error">
          <p>L'administration est réservée à l'équipe nationale.</p>
        </div>
      </Page>
    );
  }
  const allowed = SECTIONS.filter((s) => admin || !s.adminOnly);
  const current = allowed.find((s) => s.id === section) ?? allowed[0];
  return (
    <Page title={`Administration — ${current.label}`} context={<span>Équipe nationale</span>}>
      <AdminTabs allowed={allowed} current={current} />
      {current.id === 'etablissements' && <Establishments />}
      {current.id === 'laboratoires' && <Laboratories />}
      {current.id === 'profils' && <Profiles />}
      {current.id === 'periodes' && <Reopen />}
      {current.id === 'campagne' && <Campaign />}
      {current.id === 'methodes' && <Methods />}
      {current.id === 'rapports' && <ReportGeneration />}
      {current.id === 'journal' && <AuditLog />}
    </Page>
  );
}
