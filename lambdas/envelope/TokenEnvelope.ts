/** The envelope format version this code writes and reads. */
export const ENVELOPE_VERSION = 1;

/**
 * The token envelope: the JSON value of the SSM parameter `{parameterPrefix}/{name}`, and the
 * contract with every downstream reader (README, "How it works"). Instants are ISO 8601 strings in UTC.
 */
export interface TokenEnvelope {
  readonly version: typeof ENVELOPE_VERSION;
  /** The provider instance's name. */
  readonly name: string;
  /** The provider type, such as `crisisworks`. */
  readonly provider: string;
  /** The Authorization scheme, such as `Bearer`. */
  readonly tokenType: string;
  readonly token: string;
  readonly issuedAt: string;
  /** When the token stops working; never later than the server said. */
  readonly expiresAt: string;
  /** When the refresher will replace it, well ahead of `expiresAt`. */
  readonly refreshAt: string;
  /** The API the token is for: readers resolve relative URLs against it. */
  readonly baseUrl?: string;
  /** Extra headers every call to that API needs, such as `X-Site`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Result of {@link parseEnvelope}: the envelope, or why the value is not one. */
export type EnvelopeParseResult =
  | { readonly ok: true; readonly envelope: TokenEnvelope }
  | { readonly ok: false; readonly reason: string };

/**
 * The value a token parameter holds between its creation by `pulumi up` and the refresher's first
 * publish. Readers treat it as "not published yet", the refresher as missing.
 */
export const PENDING_TOKEN_VALUE = '{"pending":true}';
