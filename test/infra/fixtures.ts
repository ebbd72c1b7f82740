import type { BrokerSettingsInput } from '../../infra/settings/index.ts';

/** A configuration with one instance of each of the four provider types (README, "Configuration"). */
export const fourInstances = [
  {
    name: 'cw-sandbox',
    type: 'crisisworks',
    baseUrl: 'https://api.cw.crisisworks.com',
    site: 'sandbox',
    client: {
      uuid: 'https://ops.example.org',
      platform: 'Linux',
      name: 'token-broker',
      version: '1',
    },
  },
  { name: 'c42-eu5', type: 'code42-api-client', baseUrl: 'https://console.eu5.cpg.crashplan.com' },
  { name: 'c42-admin', type: 'code42-local-account', baseUrl: 'https://console.us.code42.com' },
  {
    name: 'idp',
    type: 'oauth2-client-credentials',
    tokenUrl: 'https://idp.example.org/oauth2/token',
    scope: 'read',
    clientAuth: 'basic',
  },
] as const satisfies BrokerSettingsInput['instances'];

/** Credential values that must never appear outside a secret. */
export const credentialValues = {
  password: 'correct-horse-battery-staple',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP',
  clientSecret: 's3cr3t-client-value',
} as const;

/** Credentials for three of the four instances (c42-admin is left for put-credentials). */
export const threeCredentials = {
  'cw-sandbox': {
    username: 'ops',
    password: credentialValues.password,
    totpSecret: credentialValues.totpSecret,
  },
  'c42-eu5': { clientId: 'key-123', clientSecret: credentialValues.clientSecret },
  idp: { clientId: 'broker', clientSecret: credentialValues.clientSecret },
} as const;

/** A customer-managed key ARN. */
export const kmsKeyArn =
  'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
