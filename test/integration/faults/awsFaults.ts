import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DeleteSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { InstanceResult } from '../../../lambdas/refresher/index.ts';
import { PREFIX, stateRecord } from '../refresher/fixtures.ts';
import type { AwsErrorAnswer, AwsFaultRule } from './AwsFaultHandler.ts';
import type { FaultMatrix } from './FaultMatrix.ts';
import { AWS_ATTEMPTS, DEFAULT_TIMING } from './faultCase.ts';
import type { FaultFleet, FleetName } from './faultFleet.ts';

const PUT_PARAMETER = 'AmazonSSM.PutParameter';
const GET_SECRET_VALUE = 'secretsmanager.GetSecretValue';

/** A JSON-protocol client error (HTTP 400) of the named exception. */
function clientError(type: string, message: string): AwsErrorAnswer {
  return { status: 400, type, message };
}

const THROTTLED = clientError('ThrottlingException', 'Rate exceeded');

function accessDenied(action: string, resource: string): AwsErrorAnswer {
  return clientError(
    'AccessDeniedException',
    `User: arn:aws:sts::123456789012:assumed-role/token-broker-refresher/refresher is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}

/** An instance's token parameter and credentials secret: both are named `{prefix}/{name}`. */
function resource(name: FleetName): string {
  return `${PREFIX}/${name}`;
}

/** The rule that answers the instance's `target` calls with `fault` (`times` times, or always). */
function on(
  target: string,
  name: FleetName,
  fault: AwsFaultRule['fault'],
  times?: number,
): AwsFaultRule {
  return { target, resource: resource(name), fault, ...(times === undefined ? {} : { times }) };
}

async function writeSecret(name: FleetName, value: string): Promise<void> {
  await new SecretsManagerClient({}).send(
    new PutSecretValueCommand({ SecretId: resource(name), SecretString: value }),
  );
}

/**
 * Registers the AWS faults of the matrix, in the current suite: each injected under the SDK
 * clients on one instance's calls (or, for a frozen endpoint, on every call), with the SDK's own
 * retries and timeouts handling them.
 */
export function awsFaults(matrix: FaultMatrix): void {
  const { run } = matrix;
  /** A case whose `target` calls of the faulty instance get `fault`, which must fail it with `cause`. */
  const failsWith = (
    faulty: FleetName,
    target: string,
    fault: AwsFaultRule['fault'],
    cause: RegExp,
  ) => run({ faulty, aws: [on(target, faulty, fault)] }, { outcome: 'failed', cause });

  it('idp: PutParameter throttled on every attempt → failed, StoreAccessError ThrottlingException after every SDK attempt', async () => {
    const faultCase = await failsWith(
      'idp',
      PUT_PARAMETER,
      THROTTLED,
      /^StoreAccessError: instance "idp": cannot publish token parameter \/token-broker\/test\/idp: ThrottlingException: Rate exceeded$/,
    );
    assert.equal(faultCase.aws.faulted.get(PUT_PARAMETER), AWS_ATTEMPTS);
    assert.equal(faultCase.fleet.vendors.idp.logins, 1, 'logged in, not published');
  });

  it('idp: PutParameter throttled once, then accepted → refreshed by the SDK retry', async () => {
    const rule = on(PUT_PARAMETER, 'idp', THROTTLED, 1);
    const faultCase = await run({ faulty: 'idp', aws: [rule] }, { outcome: 'refreshed' });
    assert.equal(faultCase.aws.faulted.get(PUT_PARAMETER), 1);
  });

  it('c42-api: GetSecretValue access denied → failed, StoreAccessError AccessDeniedException, no login', async () => {
    const faultCase = await failsWith(
      'c42-api',
      GET_SECRET_VALUE,
      accessDenied('secretsmanager:GetSecretValue', resource('c42-api')),
      /^StoreAccessError: instance "c42-api": cannot read credentials secret \/token-broker\/test\/c42-api: AccessDeniedException: .*not authorized to perform: secretsmanager:GetSecretValue/,
    );
    assert.equal(faultCase.fleet.vendors['c42-api'].requests, 0);
    assert.equal(faultCase.aws.faulted.get(GET_SECRET_VALUE), 1, 'access denied is not retried');
  });

  it('cw-sandbox: the KMS key of its secret disabled (DecryptionFailure) → failed, no login', async () => {
    const faultCase = await failsWith(
      'cw-sandbox',
      GET_SECRET_VALUE,
      clientError(
        'DecryptionFailure',
        "Secrets Manager can't decrypt the protected secret text using the provided KMS key: the key is disabled.",
      ),
      /^StoreAccessError: instance "cw-sandbox": cannot read credentials secret \/token-broker\/test\/cw-sandbox: DecryptionFailure: .*the key is disabled\.$/,
    );
    assert.equal(faultCase.fleet.vendors['cw-sandbox'].requests, 0);
  });

  it('c42-admin: PutParameter refused for its disabled KMS key (InvalidKeyId) → failed, the login not published', async () => {
    const faultCase = await failsWith(
      'c42-admin',
      PUT_PARAMETER,
      clientError(
        'InvalidKeyId',
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab is disabled.',
      ),
      /^StoreAccessError: instance "c42-admin": cannot publish token parameter \/token-broker\/test\/c42-admin: InvalidKeyId: arn:aws:kms:.* is disabled\.$/,
    );
    assert.equal(faultCase.fleet.vendors['c42-admin'].logins, 1);
  });

  it('c42-admin: its secret deleted → failed, StoreAccessError naming the missing secret, no login', async () => {
    const faultCase = await run(
      {
        faulty: 'c42-admin',
        inject: async () => {
          await new SecretsManagerClient({}).send(
            new DeleteSecretCommand({
              SecretId: resource('c42-admin'),
              ForceDeleteWithoutRecovery: true,
            }),
          );
        },
      },
      {
        outcome: 'failed',
        cause:
          /^StoreAccessError: instance "c42-admin": credentials secret \/token-broker\/test\/c42-admin does not exist$/,
      },
    );
    assert.equal(faultCase.fleet.vendors['c42-admin'].requests, 0);
  });

  /** A case whose faulty instance's secret holds `value`, which must fail it with `cause`. */
  const secretFails = (faulty: FleetName, value: (fleet: FaultFleet) => string, cause: RegExp) =>
    run(
      { faulty, inject: (fleet) => writeSecret(faulty, value(fleet)) },
      { outcome: 'failed', cause },
    );

  it('idp: its secret not JSON (the client secret in a form string) → failed, CredentialsFormatError quoting nothing', async () => {
    await secretFails(
      'idp',
      (fleet) =>
        `clientId=broker&clientSecret=${encodeURIComponent(fleet.credentials.idp.clientSecret)}`,
      /^CredentialsFormatError: instance "idp": invalid credentials: the secret is not valid JSON$/,
    );
  });

  it('c42-api: its secret with the client secret under an unknown key → failed, counting the field, never naming it', async () => {
    await secretFails(
      'c42-api',
      (fleet) =>
        JSON.stringify({
          clientId: 'key-42',
          [fleet.credentials['c42-api'].clientSecret]: 'pasted into the key',
        }),
      /^CredentialsFormatError: .*instance "c42-api".*1 unrecognised field\(s\)/,
    );
  });

  it('cw-sandbox: its GetSecretValue endpoint frozen → failed in bounded time (SDK request timeout), no login', async () => {
    const faultCase = await matrix.start({
      faulty: 'cw-sandbox',
      aws: [on(GET_SECRET_VALUE, 'cw-sandbox', 'freeze')],
      timing: { awsRequestMs: 300 },
    });
    const invocation = await faultCase.invoke();
    await matrix.assess(faultCase, invocation, {
      outcome: 'failed',
      cause:
        /^StoreAccessError: instance "cw-sandbox": cannot read credentials secret \/token-broker\/test\/cw-sandbox: TimeoutError: .*300 ms/,
    });
    assert.equal(faultCase.aws.faulted.get(GET_SECRET_VALUE), AWS_ATTEMPTS);
    assert.ok(invocation.elapsedMs < 5_000, `took ${Math.round(invocation.elapsedMs)} ms`);
    assert.equal(faultCase.fleet.vendors['cw-sandbox'].requests, 0);
  });

  it('every instance: the whole AWS endpoint frozen → the run fails once, naming the state table, blaming no instance', async () => {
    const faultCase = await matrix.start({
      faulty: 'idp',
      aws: [{ fault: 'freeze' }],
      timing: { awsRequestMs: 300 },
    });
    const invocation = await faultCase.invoke();
    await matrix.assess(faultCase, invocation, {
      outcome: 'run failed',
      cause: /^StateTableError: cannot read state table token-broker-test-state: TimeoutError: /,
    });
    assert.ok(invocation.elapsedMs < 5_000, `took ${Math.round(invocation.elapsedMs)} ms`);
    for (const vendor of Object.values(faultCase.fleet.vendors)) assert.equal(vendor.requests, 0);
  });

  it('idp: a login its vendor never answers, past loginTimeoutMs → failed, LoginAbortedError naming the limit, lease released', async () => {
    const faultCase = await matrix.start({
      faulty: 'idp',
      vendorFrozen: true,
      timing: { vendorAttemptMs: 10_000, loginTimeoutMs: 800 },
    });
    const invocation = await faultCase.invoke();
    await matrix.assess(faultCase, invocation, {
      outcome: 'failed',
      // The cause: the login did not end within loginTimeoutMs (800 ms), not only "aborted".
      cause: /^LoginAbortedError: instance "idp" \(oauth2-client-credentials\): .*\b800 ms\b/,
    });
    const record = await stateRecord('idp');
    assert.equal(record?.released, true);
    assert.equal(record?.lastResult?.outcome, 'failed');
    assert.ok(invocation.elapsedMs < 5_000, `took ${Math.round(invocation.elapsedMs)} ms`);
  });

  it('c42-admin: a run killed mid-login → the next run skips it while the lease lasts, then takes the lease over and publishes', async () => {
    const faultCase = await matrix.start({ faulty: 'c42-admin' });
    // Run 1 is killed while it logs in to c42-admin: its login never returns, nothing after it runs.
    const killedRun: InstanceResult[] = [];
    let othersDone: () => void = () => {};
    const others = new Promise<void>((resolve) => {
      othersDone = resolve;
    });
    let killedLogins = 0;
    void faultCase.invoke({
      faultyLogin: () => {
        killedLogins += 1;
        return new Promise(() => {});
      },
      onResult: (result) => {
        killedRun.push(result);
        if (killedRun.length === 3) othersDone();
      },
    });
    await others;
    const held = await stateRecord('c42-admin');
    assert.equal(held?.released, false, 'the killed run never released its lease');
    // Run 2, while the lease lasts: the previous token stays.
    const during = await faultCase.invoke();
    const skipped = during.results.filter((result) => result.name === 'c42-admin');
    await matrix.assess(
      faultCase,
      { ...during, results: [...killedRun, ...skipped] },
      { outcome: 'skipped', cause: /^another run is logging in \(its lease lasts until .+\)$/ },
    );
    // Run 3, once the lease has expired (its clock a lease length later): it takes over.
    const later = await faultCase.invoke({
      now: () => Date.now() + DEFAULT_TIMING.leaseMs + 1_000,
    });
    await matrix.assess(faultCase, later, { outcome: 'refreshed' }, { others: 'skipped' });
    assert.equal(killedLogins, 1);
    assert.equal(faultCase.fleet.vendors['c42-admin'].logins, 1);
  });
}
