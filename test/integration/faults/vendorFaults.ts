import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { decodeJwtExp, loginInstance } from '../../../lambdas/providers/index.ts';
import { parseEnvelopeJson } from '../../../lambdas/reader/contract/index.ts';
import { TOTP_PERIOD_SECONDS } from '../../../lambdas/totp/index.ts';
import { type FakeReply, instantTotpGuard, type ScriptedReply } from '../../fakes/index.ts';
import { PREFIX, storedValue } from '../refresher/fixtures.ts';
import type { FaultMatrix } from './FaultMatrix.ts';
import { type FaultSpec, SHORT_VENDOR_ATTEMPT_MS } from './faultCase.ts';
import { type FaultFleet, type FleetName, IDP_MAX_LIFETIME_SECONDS } from './faultFleet.ts';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const TEN_YEARS_SECONDS = 315_360_000;

/** A 429 asking for 7 s. */
const RATE_LIMITED: FakeReply = {
  status: 429,
  headers: { 'Retry-After': '7' },
  body: { status: 429, message: 'Too many requests' },
};

/** A token answer whose body arrives 5 s after its first byte. */
function slowAnswer(token: string): FakeReply {
  return { status: 200, body: { access_token: token, expires_in: 3600 }, slowBodyMs: 5_000 };
}

/** `reply` for the next `count` requests. */
function times(count: number, reply: ScriptedReply): ScriptedReply[] {
  return Array.from({ length: count }, () => reply);
}

/** What a gateway in front of the vendor answers: an HTML page. */
function gatewayPage(status: number): FakeReply {
  return {
    status,
    headers: { 'Content-Type': 'text/html' },
    body: `<html><body><h1>${status} Bad Gateway</h1></body></html>`,
  };
}

/** A 500 whose body echoes the whole request (headers and body), as a careless server does. */
function echoingError(
  request: Parameters<Exclude<ScriptedReply, FakeReply | { destroy: true }>>[0],
) {
  return {
    status: 500,
    body: { message: `internal error: ${JSON.stringify(request.headers)} ${request.body}` },
  };
}

/** A TOTP clock whose phase in its 30 s step starts at `phaseMs` and runs on from there. */
function phasedClock(phaseMs: number): () => number {
  const started = Date.now();
  const base = Math.floor(started / STEP_MS) * STEP_MS + phaseMs;
  return () => base + (Date.now() - started);
}

/**
 * A case whose faulty instance's vendor clock runs 40 s ahead of the clock its TOTP codes come
 * from; that clock starts `phaseMs` into a 30 s step, so the codes fall one step behind the
 * vendor's (phase under 20 s, inside its one-step drift window) or two (from 20 s on).
 */
function vendorAheadOfTotp(faulty: FleetName, phaseMs: number): FaultSpec {
  const totp = phasedClock(phaseMs);
  return {
    faulty,
    totpClocks: { [faulty]: totp },
    fleet: { vendorClocks: { [faulty]: () => totp() + 40_000 } },
  };
}

/** The faulty instance's configuration and credentials in the fleet. */
function member(fleet: FaultFleet, name: FleetName) {
  const instance = fleet.config.instances.find((candidate) => candidate.name === name);
  assert.ok(instance);
  return { instance, credentials: fleet.credentials[name] };
}

/**
 * Registers the vendor transport faults of the matrix, in the current suite: hangs, slow bodies,
 * rate limits, server errors and malformed or oversized bodies, each broken on one instance, and
 * where the product absorbs a fault (retries, caps) both the fault that persists and the one that
 * clears.
 */
export function vendorTransportFaults(matrix: FaultMatrix): void {
  const { run } = matrix;
  const short = { vendorAttemptMs: SHORT_VENDOR_ATTEMPT_MS };
  const unavailable = (name: string, status: number) => ({
    outcome: 'failed' as const,
    cause: new RegExp(
      `^ProviderUnavailableError: instance "${name}" \\(.+\\): unavailable \\(HTTP ${status} after 3 attempt\\(s\\)\\)`,
    ),
  });

  it('c42-api: connect timeout (accepts, never answers) → failed, ProviderUnavailableError after 3 attempts', async () => {
    const faultCase = await run(
      { faulty: 'c42-api', vendorFrozen: true, timing: short },
      {
        outcome: 'failed',
        cause:
          /^ProviderUnavailableError: instance "c42-api" .*no response from http:\/\/127\.0\.0\.1:\d+ within 250 ms \(3 attempt\(s\)\)$/,
      },
    );
    assert.ok(faultCase.frozen.connections >= 3, 'one connection per attempt at least');
  });

  it('idp: a slow body on every attempt → failed, ProviderUnavailableError (no response within the attempt timeout)', async () => {
    const slow = slowAnswer('slow-token-1');
    await run(
      {
        faulty: 'idp',
        inject: (fleet) => fleet.vendors.idp.enqueue(...times(3, slow)),
        timing: short,
      },
      { outcome: 'failed', cause: /^ProviderUnavailableError: instance "idp" .*within 250 ms/ },
      { extraSecrets: { 'slow token': 'slow-token-1' } },
    );
  });

  it('idp: a slow body once → refreshed on the retry', async () => {
    const slow = slowAnswer('slow-token-2');
    const faultCase = await run(
      { faulty: 'idp', inject: (fleet) => fleet.vendors.idp.enqueue(slow), timing: short },
      { outcome: 'refreshed' },
      { extraSecrets: { 'slow token': 'slow-token-2' } },
    );
    assert.equal(faultCase.fleet.vendors.idp.requests, 2);
  });

  it('cw-sandbox: 429 with Retry-After on every attempt → failed after 3 attempts, each wait the Retry-After', async () => {
    const faultCase = await run(
      {
        faulty: 'cw-sandbox',
        inject: (fleet) => fleet.vendors['cw-sandbox'].enqueue(...times(3, RATE_LIMITED)),
      },
      unavailable('cw-sandbox', 429),
    );
    assert.deepEqual(
      faultCase.waits.filter((wait) => wait.instance === 'cw-sandbox').map((wait) => wait.ms),
      [7_000, 7_000],
    );
  });

  it('cw-sandbox: 429 with Retry-After once → refreshed after waiting the Retry-After', async () => {
    const faultCase = await run(
      {
        faulty: 'cw-sandbox',
        inject: (fleet) => fleet.vendors['cw-sandbox'].enqueue(RATE_LIMITED),
      },
      { outcome: 'refreshed' },
    );
    assert.deepEqual(
      faultCase.waits.filter((wait) => wait.instance === 'cw-sandbox').map((wait) => wait.ms),
      [7_000],
    );
  });

  const serverErrors: [number, FleetName, ScriptedReply][] = [
    [500, 'c42-admin', echoingError],
    [502, 'idp', gatewayPage(502)],
    [
      503,
      'cw-sandbox',
      { status: 503, headers: { 'Retry-After': '1' }, body: 'Service Unavailable' },
    ],
    [504, 'c42-api', gatewayPage(504)],
  ];
  for (const [status, name, reply] of serverErrors) {
    it(`${name}: HTTP ${status} on every attempt → failed, ProviderUnavailableError after 3 attempts`, async () => {
      const faultCase = await run(
        { faulty: name, inject: (fleet) => fleet.vendors[name].enqueue(...times(3, reply)) },
        unavailable(name, status),
      );
      assert.equal(faultCase.fleet.vendors[name].requests, 3);
    });

    it(`${name}: HTTP ${status} once → refreshed on the retry`, async () => {
      const faultCase = await run(
        { faulty: name, inject: (fleet) => fleet.vendors[name].enqueue(reply) },
        { outcome: 'refreshed' },
      );
      assert.equal(faultCase.fleet.vendors[name].requests, 2);
    });
  }

  it('c42-admin: 200 with an HTML page → failed, MalformedResponseError (not JSON), not retried', async () => {
    const faultCase = await run(
      {
        faulty: 'c42-admin',
        inject: (fleet) =>
          fleet.vendors['c42-admin'].enqueue({ ...gatewayPage(200), body: '<html>Sign in</html>' }),
      },
      {
        outcome: 'failed',
        cause:
          /^MalformedResponseError: instance "c42-admin" .*the response is not JSON \(text\/html\)$/,
      },
    );
    assert.equal(faultCase.fleet.vendors['c42-admin'].requests, 1);
  });

  it('cw-sandbox: 200 without the "token" field → failed, MalformedResponseError', async () => {
    await run(
      {
        faulty: 'cw-sandbox',
        inject: (fleet) =>
          fleet.vendors['cw-sandbox'].enqueue({
            status: 200,
            body: { status: 200, type: 'accessToken' },
          }),
      },
      {
        outcome: 'failed',
        cause: /^MalformedResponseError: instance "cw-sandbox" .*has no "token"$/,
      },
    );
  });

  for (const chunked of [false, true]) {
    const how = chunked
      ? 'a chunked body over 1 MiB (no Content-Length) → failed, MalformedResponseError, the stream cut at the cap'
      : 'a body over 1 MiB → failed, MalformedResponseError (larger than the cap), never read whole';
    it(`idp: ${how}`, async () => {
      const token = `big-token-${chunked}-${'x'.repeat(64)}`;
      const huge = {
        status: 200,
        body: { access_token: token, expires_in: 3600, padding: 'p'.repeat(2 * 1024 * 1024) },
        ...(chunked ? { slowBodyMs: 1 } : {}),
      };
      await run(
        { faulty: 'idp', inject: (fleet) => fleet.vendors.idp.enqueue(huge) },
        {
          outcome: 'failed',
          cause: /^MalformedResponseError: instance "idp" .*larger than 1048576 bytes$/,
        },
        { extraSecrets: { 'oversized token': token } },
      );
    });
  }
}

/**
 * Registers the vendor answers of the matrix that are well-formed HTTP but say something wrong:
 * echoed secrets, refused credentials, a replayed TOTP code, skewed vendor clocks, a bogus lifetime.
 */
export function vendorAnswerFaults(matrix: FaultMatrix): void {
  const { run } = matrix;

  it('cw-sandbox: 401 whose message echoes the password in every encoding → failed, InvalidCredentialsError, nothing echoed', async () => {
    await run(
      {
        faulty: 'cw-sandbox',
        inject: (fleet) => {
          const { password } = fleet.credentials['cw-sandbox'];
          const echoes = [
            password,
            encodeURIComponent(password).toLowerCase(),
            Buffer.from(password).toString('base64'),
            JSON.stringify(password).replaceAll('/', '\\/').replace('ö', '\\u00f6'),
            password.normalize('NFD'),
          ];
          fleet.vendors['cw-sandbox'].enqueue({
            status: 401,
            body: { status: 401, message: `Invalid password ${echoes.join(' ')}` },
          });
        },
      },
      { outcome: 'failed', cause: /^InvalidCredentialsError: instance "cw-sandbox" .*HTTP 401/ },
    );
  });

  it('cw-sandbox: 401 whose message echoes the mfaCode and password it was sent → failed, InvalidCredentialsError, neither echoed', async () => {
    await run(
      {
        faulty: 'cw-sandbox',
        inject: (fleet) =>
          fleet.vendors['cw-sandbox'].enqueue((request) => {
            const sent = JSON.parse(request.body) as Record<string, string>;
            return {
              status: 401,
              body: {
                status: 401,
                message: `mfaCode ${sent.mfaCode} is not valid for ${sent.password}`,
              },
            };
          }),
      },
      { outcome: 'failed', cause: /^InvalidCredentialsError: instance "cw-sandbox" .*HTTP 401/ },
    );
  });

  it('c42-api: CR/LF in the token → failed, MalformedResponseError (not allowed in an HTTP header)', async () => {
    const token = 'eyJhbGciOiJub25lIn0.e30.crlf\r\nX-Injected: yes';
    await run(
      {
        faulty: 'c42-api',
        inject: (fleet) =>
          fleet.vendors['c42-api'].enqueue({
            status: 200,
            body: { access_token: token, token_type: 'bearer', expires_in: 900 },
            issuedToken: token,
          }),
      },
      {
        outcome: 'failed',
        cause: /^MalformedResponseError: instance "c42-api" .*not allowed in an HTTP header$/,
      },
      { extraSecrets: { 'CR/LF token': token, 'CR/LF token tail': 'X-Injected: yes' } },
    );
  });

  it('idp: 401 invalid_client → failed, InvalidCredentialsError, not retried', async () => {
    const faultCase = await run(
      { faulty: 'idp', inject: (fleet) => fleet.vendors.idp.setMode('reject') },
      {
        outcome: 'failed',
        cause:
          /^InvalidCredentialsError: instance "idp" .*refused: invalid_client: Client authentication failed$/,
      },
    );
    assert.equal(faultCase.fleet.vendors.idp.requests, 1);
  });

  it('c42-admin: MFA required, the secret has no totpSecret → failed, MfaRequiredError', async () => {
    const faultCase = await run(
      {
        faulty: 'c42-admin',
        inject: async (fleet) => {
          const { totpSecret: _seed, ...withoutSeed } = fleet.credentials['c42-admin'];
          await new SecretsManagerClient({}).send(
            new PutSecretValueCommand({
              SecretId: `${PREFIX}/c42-admin`,
              SecretString: JSON.stringify(withoutSeed),
            }),
          );
        },
      },
      {
        outcome: 'failed',
        cause: /^MfaRequiredError: instance "c42-admin" .*TIME_BASED_ONE_TIME_PASSWORD_REQUIRED/,
      },
    );
    assert.equal(faultCase.fleet.vendors['c42-admin'].requests, 1);
  });

  it('cw-sandbox: its TOTP code already used at the vendor (replay) → failed, InvalidCredentialsError, sent once', async () => {
    const faultCase = await run(
      {
        faulty: 'cw-sandbox',
        inject: async (fleet) => {
          // Another client of the same seed spends this step's code and the next one's.
          const { instance, credentials } = member(fleet, 'cw-sandbox');
          const guard = instantTotpGuard();
          await loginInstance(instance, credentials, { totpGuard: guard });
          await loginInstance(instance, credentials, { totpGuard: guard });
        },
      },
      {
        outcome: 'failed',
        cause:
          /^InvalidCredentialsError: instance "cw-sandbox" .*HTTP 401.*Invalid user, password or mfaCode/,
      },
    );
    assert.equal(faultCase.fleet.vendors['cw-sandbox'].requests, 3, 'two spent, one refused');
  });

  it('cw-sandbox: vendor clock 40 s ahead, the code two steps behind it → failed, InvalidCredentialsError', async () => {
    await run(vendorAheadOfTotp('cw-sandbox', 22_000), {
      outcome: 'failed',
      cause: /^InvalidCredentialsError: instance "cw-sandbox" .*HTTP 401/,
    });
  });

  it('c42-admin: vendor clock 40 s ahead, the code one step behind it (its drift window) → refreshed', async () => {
    await run(vendorAheadOfTotp('c42-admin', 5_000), { outcome: 'refreshed' });
  });

  it('idp: vendor clock 40 s behind → refreshed, expiring at its JWT exp, 40 s before expires_in says', async () => {
    const faultCase = await run(
      { faulty: 'idp', fleet: { vendorClocks: { idp: () => Date.now() - 40_000 } } },
      { outcome: 'refreshed' },
    );
    const parsed = parseEnvelopeJson((await storedValue('idp')) ?? '');
    assert.ok(parsed.ok);
    const exp = decodeJwtExp(parsed.envelope.token);
    assert.equal(Date.parse(parsed.envelope.expiresAt), Number(exp) * 1000);
    const lifetimeSeconds =
      (Date.parse(parsed.envelope.expiresAt) - Date.parse(parsed.envelope.issuedAt)) / 1000;
    // exp is whole seconds of the vendor's clock: up to a second over 3,560 s when it stamps the
    // second after the one the request was sent in
    assert.ok(lifetimeSeconds > 3_555 && lifetimeSeconds < 3_561, `lifetime ${lifetimeSeconds} s`);
    assert.equal(faultCase.fleet.vendors.idp.logins, 1);
  });

  it('idp: expires_in of 10 years → refreshed, lifetime capped at its maxLifetimeSeconds, warning logged', async () => {
    const token = `opaque-${crypto.randomUUID()}`;
    const faultCase = await run(
      {
        faulty: 'idp',
        inject: (fleet) =>
          fleet.vendors.idp.enqueue({
            status: 200,
            body: { access_token: token, token_type: 'bearer', expires_in: TEN_YEARS_SECONDS },
            issuedToken: token,
          }),
      },
      { outcome: 'refreshed' },
    );
    const parsed = parseEnvelopeJson((await storedValue('idp')) ?? '');
    assert.ok(parsed.ok);
    assert.equal(parsed.envelope.token, token);
    assert.equal(
      Date.parse(parsed.envelope.expiresAt) - Date.parse(parsed.envelope.issuedAt),
      IDP_MAX_LIFETIME_SECONDS * 1000,
    );
    const warning = faultCase
      .records()
      .find((record) => record.level === 'WARN' && record.instance === 'idp');
    assert.match(
      String(warning?.message),
      new RegExp(
        `instance "idp" .*lifetime of ${TEN_YEARS_SECONDS} s is capped at maxLifetimeSeconds \\(${IDP_MAX_LIFETIME_SECONDS} s\\)`,
      ),
    );
  });
}
