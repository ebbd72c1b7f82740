import type { ProviderType } from '../config/index.ts';
import { code42ApiClientProvider } from './code42ApiClientProvider.ts';
import { code42LocalAccountProvider } from './code42LocalAccountProvider.ts';
import { crisisworksProvider } from './crisisworksProvider.ts';
import { httpJsonLoginProvider } from './httpJsonLoginProvider.ts';
import { oauth2ClientCredentialsProvider } from './oauth2ClientCredentialsProvider.ts';
import { oauth2RefreshTokenProvider } from './oauth2RefreshTokenProvider.ts';
import type { TokenProvider } from './TokenProvider.ts';

/** The provider of each type: adding a provider type adds one file and one line here. */
export const providers: { readonly [T in ProviderType]: TokenProvider<T> } = {
  [crisisworksProvider.type]: crisisworksProvider,
  [code42ApiClientProvider.type]: code42ApiClientProvider,
  [code42LocalAccountProvider.type]: code42LocalAccountProvider,
  [oauth2ClientCredentialsProvider.type]: oauth2ClientCredentialsProvider,
  [oauth2RefreshTokenProvider.type]: oauth2RefreshTokenProvider,
  [httpJsonLoginProvider.type]: httpJsonLoginProvider,
};
