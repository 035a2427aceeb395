import type { ClientProvider } from '../../core/collector.js';
import { organizationAccounts } from '../../collect/scope.js';
import { check, errorLine, type DoctorCheck } from './types.js';

export interface AccountsResult {
  accounts: string[];
  check: DoctorCheck;
}

/** The accounts an audit with these options would cover: the organisation's, the listed ones, or the caller's. */
export async function checkAccounts(clients: ClientProvider, caller: string, options: { organization?: boolean; accounts?: string[] }): Promise<AccountsResult> {
  if (options.organization) {
    try {
      const accounts = await organizationAccounts(clients);
      if (accounts.length === 0) return { accounts, check: check('accounts', 'fail', 'the organisation lists no active account') };
      return { accounts, check: check('accounts', 'ok', `${accounts.length} active organisation account(s): ${accounts.join(', ')}`) };
    } catch (err) {
      return { accounts: [], check: check('accounts', 'fail', errorLine(err)) };
    }
  }
  const accounts = options.accounts?.length ? [...new Set(options.accounts)].sort() : [caller];
  return { accounts, check: check('accounts', 'ok', `${accounts.length} account(s): ${accounts.join(', ')}`) };
}
