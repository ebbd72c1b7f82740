import { type InstanceConfig, ProviderTypes } from './brokerConfig.ts';
import { isRecord } from './json.ts';
import { isPlaceholderName, PLACEHOLDER_FIELDS, placeholdersIn } from './placeholders.ts';

/** A credentials field an instance's configuration needs, and why (for the error message). */
export interface RequiredCredentialField {
  readonly field: string;
  readonly why: string;
}

/** Every string in a JSON value (member values and array items, not member names). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (isRecord(value)) return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * The credentials fields that are optional in a provider type's schema but that this instance's
 * configuration needs: the client secret (`clientAuth` `basic` or `post`) or the private key
 * (`private_key_jwt`) of an OAuth2 client, and the fields an `http-json-login` request's
 * placeholders and `basicAuth` use.
 *
 * @example
 * requiredCredentialFields({ type: 'oauth2-client-credentials', clientAuth: 'private_key_jwt', ... });
 * // => [{ field: 'privateKey', why: 'with clientAuth "private_key_jwt"' }]
 */
export function requiredCredentialFields(instance: InstanceConfig): RequiredCredentialField[] {
  switch (instance.type) {
    case ProviderTypes.oauth2ClientCredentials:
    case ProviderTypes.oauth2RefreshToken: {
      const why = `with clientAuth "${instance.clientAuth}"`;
      if (instance.clientAuth === 'private_key_jwt') return [{ field: 'privateKey', why }];
      if (instance.clientAuth === 'none') return [];
      return [{ field: 'clientSecret', why }];
    }
    case ProviderTypes.httpJsonLogin: {
      const { request } = instance;
      const texts = [
        ...Object.values(request.headers ?? {}),
        ...stringsOf(request.json),
        ...Object.values(request.form ?? {}),
      ];
      const required = new Map<string, string>();
      for (const name of texts.flatMap(placeholdersIn)) {
        if (isPlaceholderName(name)) required.set(PLACEHOLDER_FIELDS[name], `for {{${name}}}`);
      }
      if (request.basicAuth) {
        for (const field of ['username', 'password']) required.set(field, 'for basicAuth');
      }
      return [...required].map(([field, why]) => ({ field, why }));
    }
    default:
      return [];
  }
}
