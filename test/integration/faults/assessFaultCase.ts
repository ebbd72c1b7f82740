import assert from 'node:assert/strict';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import { TokenReader } from '../../../lambdas/reader/index.ts';
import { RefreshFailedError } from '../../../lambdas/refresher/index.ts';
import { PREFIX, storedValue } from '../refresher/fixtures.ts';
import { type FaultCase, type Invocation, stateTableItems } from './faultCase.ts';
import { FLEET, type FleetName } from './faultFleet.ts';
import { basicForms, findLeaks, type Leak, leakForms, totpCodeForm } from './leakForms.ts';

/** What the matrix counted over every case it ran. */
export class FaultTally {
  /** Cases started. */
  public tried = 0;
  /** Instances left without a readable valid token, or whose kept token was changed. */
  public tokensLost = 0;
  /** (place, secret) pairs where a secret or token was found in output. */
  public readonly leaks: Leak[] = [];

  /** The suite's summary line, `faults: N tried, L tokens lost, K leaks`. */
  public summary(): string {
    return `faults: ${this.tried} tried, ${this.tokensLost} tokens lost, ${this.leaks.length} leaks`;
  }
}

/** What the faulty instance must end with. */
export type FaultExpectation =
  | {
      /** The run fails the instance and keeps its previous token. */
      readonly outcome: 'failed';
      /** The reason after `instance "NAME" …`: the error's class and cause. */
      readonly cause: RegExp;
    }
  | {
      /** Not attempted (another run holds its lease); the previous token stays. */
      readonly outcome: 'skipped';
      readonly cause: RegExp;
    }
  | {
      /** The fault is absorbed (retried, capped): a new token is published. */
      readonly outcome: 'refreshed';
    }
  | {
      /**
       * The fault hits every instance (AWS as a whole): the run stops with one error naming the
       * service instead of blaming an instance, and every previous token stays.
       */
      readonly outcome: 'run failed';
      readonly cause: RegExp;
    };

/** Options of {@link assessFaultCase}. */
export interface AssessOptions {
  /** What every other instance's result must be in `invocation`. Default `refreshed`. */
  readonly others?: 'refreshed' | 'skipped';
  /** More strings that must not leak (tokens a scripted reply carried), by label. */
  readonly extraSecrets?: Readonly<Record<string, string>>;
}

/** The TOTP codes a vendor was sent: Crisisworks' `mfaCode` field, Code42's `totp-auth` header. */
function codesSent(faultCase: FaultCase, name: FleetName): string[] {
  return faultCase.fleet.vendors[name].received().flatMap((request) => {
    const header = request.headers['totp-auth'];
    if (typeof header === 'string') return [header];
    const field = /"mfaCode":"(\d+)"/.exec(request.body)?.[1];
    return field === undefined ? [] : [field];
  });
}

/**
 * Every secret and token of the case, by label, each with the forms it could leak in: passwords,
 * client secrets, TOTP seeds, Basic credentials, the previous and the issued tokens, and the TOTP
 * codes sent (the providers' errors promise to contain none).
 */
function secretsOf(faultCase: FaultCase, extra: Readonly<Record<string, string>>) {
  const { credentials, vendors, previous } = faultCase.fleet;
  const secrets: Record<string, (string | RegExp)[]> = {};
  for (const name of FLEET) {
    const fields: Record<string, string> = credentials[name];
    for (const [field, value] of Object.entries(fields)) {
      if (field !== 'username' && field !== 'clientId') {
        secrets[`${name}.${field}`] = leakForms(value);
      }
    }
    const id = fields.username ?? fields.clientId ?? '';
    const secret = fields.password ?? fields.clientSecret ?? '';
    secrets[`${name} Basic credentials`] = basicForms(id, secret);
    secrets[`${name} previous token`] = leakForms(previous[name].token);
    vendors[name].issuedTokens().forEach((token, index) => {
      secrets[`${name} issued token ${index + 1}`] = leakForms(token);
    });
    codesSent(faultCase, name).forEach((code, index) => {
      secrets[`${name} TOTP code ${index + 1}`] = [totpCodeForm(code)];
    });
  }
  for (const [label, value] of Object.entries(extra)) secrets[label] = leakForms(value);
  return secrets;
}

/** A parameter's value with its own `token` removed (the one place a token belongs). */
function withoutOwnToken(value: string): string {
  try {
    const { token: _token, ...rest } = JSON.parse(value) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return value;
  }
}

/**
 * The four checks of a fault case, after `invocation`:
 * 1. the faulty instance's result (and the handler's `RefreshFailedError`) names it and the cause;
 * 2. every other instance published a token its own vendor issued;
 * 3. the faulty instance's previous token is intact, byte for byte, and a reader still gets it
 *    (or, when the fault is absorbed, it holds a new token from its vendor);
 * 4. no password, client secret, TOTP seed, Basic credentials or token, in any of the
 *    {@link leakForms}, is in the logs, the results, the error, the state table's items or the
 *    parameters (a parameter's own token excepted).
 * Tokens lost and leaks are counted into `tally` before anything is asserted.
 */
export async function assessFaultCase(
  tally: FaultTally,
  faultCase: FaultCase,
  invocation: Invocation,
  expected: FaultExpectation,
  options: AssessOptions = {},
): Promise<void> {
  const { fleet, spec } = faultCase;
  const { faulty } = spec;
  const stored = new Map<FleetName, string | undefined>(
    await Promise.all(FLEET.map(async (name) => [name, await storedValue(name)] as const)),
  );
  const keepsPrevious = (name: FleetName) =>
    expected.outcome === 'run failed' || (name === faulty && expected.outcome !== 'refreshed');
  const lost = FLEET.filter((name) => {
    const value = stored.get(name);
    if (keepsPrevious(name)) return value !== JSON.stringify(fleet.previous[name]);
    const parsed = parseEnvelopeJson(value ?? '');
    return !parsed.ok || Date.parse(parsed.envelope.expiresAt) <= Date.now();
  });
  tally.tokensLost += lost.length;

  const places: Record<string, string> = {
    logs: faultCase.logs.join('\n'),
    results: JSON.stringify(invocation.results),
    error: [invocation.error, invocation.thrown]
      .map((error) => (error instanceof Error ? error.stack : String(error ?? '')))
      .join('\n'),
    'state table': JSON.stringify(await stateTableItems(fleet)),
  };
  for (const name of FLEET) places[`parameter ${name}`] = withoutOwnToken(stored.get(name) ?? '');
  const leaks = findLeaks(places, secretsOf(faultCase, options.extraSecrets ?? {}));
  tally.leaks.push(...leaks);

  const outcomes = invocation.results.map((result) => `${result.name}: ${result.outcome}`);
  assert.deepEqual(lost, [], `no token is lost (outcomes: ${outcomes.join(', ')})`);
  assert.deepEqual(leaks, [], 'no secret or token in any output');
  const reader = new TokenReader({ parameterPrefix: PREFIX });
  if (expected.outcome === 'run failed') {
    assert.match(String(invocation.thrown), expected.cause);
    assert.deepEqual(invocation.results, [], 'no instance is blamed');
    for (const name of FLEET) {
      assert.deepEqual(
        await reader.getToken(name),
        fleet.previous[name],
        `${name} keeps its token`,
      );
    }
    return;
  }
  const result = invocation.results.find((candidate) => candidate.name === faulty);
  assert.equal(invocation.thrown, undefined, 'the run completes');
  assert.equal(result?.outcome, expected.outcome, `${faulty}: ${result?.reason}`);
  if (expected.outcome === 'refreshed') {
    assert.equal(invocation.error, undefined, 'the handler does not throw');
  } else {
    assert.match(result?.reason ?? '', expected.cause);
  }
  if (expected.outcome === 'failed') {
    assert.ok(result?.reason?.includes(`instance "${faulty}"`), 'the reason names the instance');
    assert.ok(invocation.error instanceof RefreshFailedError, 'the handler throws');
    assert.ok(
      invocation.error?.message.includes(`${faulty}: ${result?.reason}`),
      'RefreshFailedError names the instance and its reason',
    );
  }

  const others = options.others ?? 'refreshed';
  for (const name of FLEET.filter((candidate) => candidate !== faulty)) {
    const outcome = invocation.results.find((candidate) => candidate.name === name)?.outcome;
    assert.equal(outcome, others, `${name} is ${others}`);
    const parsed = parseEnvelopeJson(stored.get(name) ?? '');
    assert.ok(parsed.ok, `${name} holds a valid envelope`);
    assert.ok(
      fleet.vendors[name].issuedTokens().includes(parsed.envelope.token),
      `${name} holds a token its vendor issued`,
    );
  }

  const read = await reader.getToken(faulty);
  if (keepsPrevious(faulty)) {
    assert.deepEqual(read, fleet.previous[faulty], `${faulty} keeps its previous token`);
  } else {
    assert.ok(
      fleet.vendors[faulty].issuedTokens().includes(read.token),
      `${faulty} holds a new token its vendor issued`,
    );
  }
}
