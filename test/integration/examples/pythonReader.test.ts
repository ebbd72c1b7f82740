import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { loginInstance } from '../../../lambdas/providers/index.ts';
import { PENDING_TOKEN_VALUE } from '../../../lambdas/reader/contract/index.ts';
import { TokenReader } from '../../../lambdas/reader/index.ts';
import { publishEnvelope } from '../../../lambdas/refresher/tokenParameter.ts';
import { type FakeOAuth2Server, oauth2Instance, startFakeOAuth2 } from '../../fakes/index.ts';
import { type Moto, useMoto } from '../../support/moto.ts';
import { makeEnvelope, publish, TEST_PREFIX } from '../reader/fixtures.ts';

const python = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));
const examples = fileURLToPath(new URL('../../../examples/python/', import.meta.url));

/** Reads each name with the Python reader twice, printing one JSON line per name. */
const DRIVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
import boto3, token_broker_reader as r
client = boto3.client("ssm")
calls = []
client.meta.events.register("before-call.ssm.GetParameter", lambda **kw: calls.append(1))
reader = r.TokenReader(ssm_client=client)
for name in sys.argv[2:]:
    before = len(calls)
    try:
        first = reader.get_token(name)
        second = reader.authorization_headers(name)
        print(json.dumps({"name": name, "envelope": first, "headers": second, "reads": len(calls) - before}))
    except r.GetTokenError as error:
        print(json.dumps({"name": name, "error": type(error).__name__, "message": str(error),
                          "isGetTokenError": isinstance(error, r.GetTokenError)}))
`;

interface PythonResult {
  readonly name: string;
  readonly envelope?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly reads?: number;
  readonly error?: string;
  readonly message?: string;
}

async function readWithPython(moto: Moto, names: readonly string[]): Promise<PythonResult[]> {
  const { stdout } = await promisify(execFile)(python, ['-c', DRIVER, examples, ...names], {
    env: { ...process.env, ...moto.env, TOKEN_BROKER_PARAMETER_PREFIX: TEST_PREFIX },
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('Example: examples/python/token_broker_reader.py', () => {
  let ssm: SSMClient;
  let idp: FakeOAuth2Server;
  let results: Map<string, PythonResult>;
  let published: Awaited<ReturnType<typeof loginInstance>>;
  const tokens: string[] = [];

  const moto = useMoto();
  after(async () => {
    ssm.destroy();
    await idp.close();
  });
  before(async () => {
    ssm = new SSMClient({});
    idp = await startFakeOAuth2({ clientId: 'app', clientSecret: 'python-example-secret' });
    published = await loginInstance(oauth2Instance(idp.tokenUrl, {}, 'idp'), {
      clientId: 'app',
      clientSecret: 'python-example-secret',
    });
    await publishEnvelope(ssm, TEST_PREFIX, published);
    const expired = makeEnvelope('expired', {}, 30);
    const other = makeEnvelope('someone-else');
    await publish(ssm, 'expired', expired);
    await publish(ssm, 'pending', PENDING_TOKEN_VALUE);
    await publish(ssm, 'wrong-instance', other);
    await publish(ssm, 'not-json', 'tok-not-json-SECRET');
    tokens.push(published.token, expired.token, other.token, 'tok-not-json-SECRET');
    const names = ['idp', 'expired', 'pending', 'missing', 'wrong-instance', 'not-json'];
    results = new Map((await readWithPython(moto, names)).map((result) => [result.name, result]));
  });

  it('reads the token the refresher published, as the TypeScript reader does, with one SSM read', async () => {
    // Prepare
    const reader = new TokenReader({ parameterPrefix: TEST_PREFIX, ssmClient: ssm });
    // Act
    const result = results.get('idp');
    // Assess
    assert.deepEqual(result?.envelope, await reader.getToken('idp'));
    assert.deepEqual(result?.headers, { Authorization: `Bearer ${published.token}` });
    assert.equal(result?.reads, 1, 'the second call is served from the cache');
  });

  for (const [name, error, message] of [
    ['expired', 'TokenExpiredError', /the stored token expires at .*, less than 60 s from now/],
    ['pending', 'TokenNotPublishedError', /no token has been published yet/],
    ['missing', 'TokenNotFoundError', /the parameter does not exist/],
    ['wrong-instance', 'MalformedTokenError', /it is the token of instance "someone-else"/],
    ['not-json', 'MalformedTokenError', /the value is not JSON/],
  ] as const) {
    it(`raises ${error} for the ${name} parameter, naming it, never the token`, () => {
      // Act
      const result = results.get(name);
      // Assess
      assert.equal(result?.error, error);
      assert.match(result?.message ?? '', message);
      assert.match(
        result?.message ?? '',
        new RegExp(`^token "${name}" \\(parameter ${TEST_PREFIX}/${name}\\): `),
      );
      for (const token of tokens) assert.ok(!result?.message?.includes(token));
    });
  }
});
