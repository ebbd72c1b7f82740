import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { RefreshEventError } from '../../../lambdas/refresher/errors.ts';
import { parseRefreshEvent } from '../../../lambdas/refresher/parseRefreshEvent.ts';
import { EMPTY_RECORD, parseRecord } from '../../../lambdas/refresher/StateTable.ts';
import { FUZZ_PARAMETERS } from './fuzzRuns.ts';

/** Any DynamoDB attribute value, nested a little. */
const attribute: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ S: fc.string() }),
    fc.record({ N: fc.oneof(fc.double().map(String), fc.string()) }),
    fc.record({ BOOL: fc.boolean() }),
    fc.record({ NULL: fc.constant(true) }),
    fc.record({ M: fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 4 }) }),
  ),
})).value;

/** Items shaped like a state record, with any attribute in any field. */
const item = fc.record(
  {
    instance: fc.record({ S: fc.string() }),
    owner: attribute,
    leaseUntil: attribute,
    released: attribute,
    lastResult: fc.oneof(
      attribute,
      fc.record({
        M: fc.record({
          outcome: fc.oneof(
            fc.constantFrom('refreshed', 'failed', 'pending', 'skipped').map((S) => ({ S })),
            attribute,
          ),
          at: fc.oneof(
            fc.date({ noInvalidDate: true }).map((date) => ({ S: date.toISOString() })),
            attribute,
          ),
          reason: fc.oneof(
            fc.string({ maxLength: 2000 }).map((S) => ({ S })),
            attribute,
          ),
        }),
      }),
    ),
  },
  { requiredKeys: ['instance'] },
) as fc.Arbitrary<Record<string, AttributeValue>>;

describe('Function: parseRecord (fuzzed state-table items)', () => {
  it('returns a record whose fields have their types, or the empty record, and never throws', () => {
    fc.assert(
      fc.property(item, (value) => {
        const record = parseRecord(value);
        assert.equal(typeof record.owner, 'string');
        assert.ok(Number.isFinite(record.leaseUntil));
        assert.equal(typeof record.released, 'boolean');
        if (record === EMPTY_RECORD) return;
        const last = record.lastResult;
        if (last !== undefined) {
          assert.ok(['refreshed', 'failed', 'pending'].includes(last.outcome));
          assert.ok(!Number.isNaN(Date.parse(last.at)));
          assert.ok((last.reason ?? '').length <= 512);
        }
      }),
      FUZZ_PARAMETERS,
    );
  });
});

describe('Function: parseRefreshEvent (fuzzed invocation events)', () => {
  it('returns a valid event or throws RefreshEventError, nothing else', () => {
    const event = fc.oneof(
      fc.anything(),
      fc.record(
        {
          names: fc.oneof(fc.array(fc.string()), fc.anything()),
          force: fc.oneof(fc.boolean(), fc.anything()),
          onDemand: fc.oneof(fc.boolean(), fc.anything()),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(event, (value) => {
        try {
          const parsed = parseRefreshEvent(value);
          if (parsed.names !== undefined) {
            assert.ok(parsed.names.every((name) => typeof name === 'string' && name !== ''));
          }
          assert.ok(parsed.force === undefined || typeof parsed.force === 'boolean');
          assert.ok(parsed.onDemand === undefined || typeof parsed.onDemand === 'boolean');
        } catch (error) {
          assert.ok(error instanceof RefreshEventError, String(error));
        }
      }),
      FUZZ_PARAMETERS,
    );
  });
});
