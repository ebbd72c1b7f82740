import type { SSMClient } from '@aws-sdk/client-ssm';
import type { FakeProviderServer } from '../../fakes/index.ts';

/** What the reader benchmarks share: a published token in moto and the fake Crisisworks it is for. */
export interface ReaderBenchContext {
  /** The parameter prefix the token is published under. */
  readonly prefix: string;
  /** The instance name. */
  readonly name: string;
  /** `{prefix}/{name}`. */
  readonly parameterName: string;
  /** The envelope's `maxAge` equivalent for Powertools: token lifetime minus minimum validity. */
  readonly maxAgeSeconds: number;
  /** A client for setup (publishing), not measured. */
  readonly ssm: SSMClient;
  readonly crisisworks: FakeProviderServer;
  readonly account: { readonly site: string; readonly username: string; readonly password: string };
}
