import type { LoginFunction } from './LoginFunction.ts';

/** TEMPORARY until lambdas/providers lands: replaced by its `loginInstance`. */
export const defaultLogin: LoginFunction = async () => {
  throw new Error('lambdas/providers is not available yet');
};
