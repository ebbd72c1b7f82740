import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { INLINE_POLICY_LIMIT } from './policies.ts';

/**
 * The inline policies the broker has attached to each role, so that a grant can keep all of a
 * role's inline policies within IAM's limit together, not only its own document. A grant counts
 * the policies recorded before it: grant the fixed-size ones (`grantRefresh`) first.
 *
 * @example
 * const ledger = new RolePolicyLedger();
 * ledger.record(role, logPolicyDocument);
 * ledger.sizeOf(role).apply((used) => readPolicy({ ...input, otherPoliciesSize: used }));
 */
export class RolePolicyLedger {
  readonly #documents = new Map<aws.iam.Role, pulumi.Output<string>[]>();

  /** The characters, as IAM counts them, of the policies recorded so far on the role. */
  public sizeOf(role: aws.iam.Role): pulumi.Output<number> {
    const recorded = [...(this.#documents.get(role) ?? [])];
    return pulumi
      .all(recorded)
      .apply((documents) => documents.reduce((sum, document) => sum + policySize(document), 0));
  }

  /** Records a policy document attached to the role. */
  public record(role: aws.iam.Role, document: pulumi.Input<string>): void {
    const documents = this.#documents.get(role) ?? [];
    documents.push(pulumi.output(document));
    this.#documents.set(role, documents);
  }
}

/**
 * A policy document's size as IAM counts it against the inline-policy limit: without white space.
 *
 * @example
 * policySize('{ "Version": "2012-10-17" }'); // => 25
 */
export function policySize(document: string): number {
  return JSON.stringify(JSON.parse(document)).length;
}

/**
 * Checks that a policy fits beside a role's other inline policies within IAM's limit for all of
 * them together.
 *
 * @param grant - the policy, as the error names it
 * @returns the document, unchanged
 * @throws {Error} naming the grant, the role and the total when it does not fit
 * @example
 * withinRoleLimit('tb-refresh-job', 'job', document, ledgerSize);
 */
export function withinRoleLimit(
  grant: string,
  roleName: string,
  document: string,
  otherPoliciesSize: number,
): string {
  const total = policySize(document) + otherPoliciesSize;
  if (total > INLINE_POLICY_LIMIT) {
    throw new Error(
      `${grant}: the inline policies of role ${roleName} would total ${total} characters, above IAM's ${INLINE_POLICY_LIMIT}; grant refresh and status before read, or move other inline policies to a managed policy`,
    );
  }
  return document;
}
