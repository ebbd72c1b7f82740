import * as pulumi from '@pulumi/pulumi';

/**
 * The alias of a resource that a component creates where the component's parent created it
 * before: its URN as that parent's child, so that a stack deployed before the component existed
 * keeps the resource instead of replacing it.
 *
 * @param opts - the component's options: their `parent`, or none for the stack itself
 * @example
 * new aws.iam.Role(`${name}-role`, roleArgs, { parent: this, aliases: [formerParentAlias(opts)] });
 */
export function formerParentAlias(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Alias {
  return { parent: opts?.parent ?? pulumi.rootStackResource };
}
