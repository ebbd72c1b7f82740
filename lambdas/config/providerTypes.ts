/** The provider types token-broker can log in to. */
export const ProviderTypes = {
  crisisworks: 'crisisworks',
  code42ApiClient: 'code42-api-client',
  code42LocalAccount: 'code42-local-account',
  oauth2ClientCredentials: 'oauth2-client-credentials',
  oauth2RefreshToken: 'oauth2-refresh-token',
  httpJsonLogin: 'http-json-login',
} as const;

/** One of {@link ProviderTypes}. */
export type ProviderType = (typeof ProviderTypes)[keyof typeof ProviderTypes];
