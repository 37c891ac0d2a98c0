import * as pulumi from "@pulumi/pulumi";
import { PlatformResource, PlatformResourceOptions, platformKindOf } from "./base";
import { Community } from "./organization";
import type { Alias, Dataset, DockerImage, Node, S3Connector, Secret } from "./resources";

/** The kinds the platform can publish into a community. */
export type ShareableResource = Dataset | Secret | DockerImage | S3Connector | Node | Alias;

export interface ShareArgs {
    /** The project resource to publish. Can never change. */
    resource: ShareableResource;
    /** A community of the same organization and the same availability zone. Can never change. */
    community: Community;
}

/**
 * Publishes a project resource into a community: every member of it can use the resource. Sharing across
 * organizations or availability zones is refused in `pulumi preview`, naming both sides.
 */
export class Share extends PlatformResource {
    declare private readonly __kind: "Share";
    declare readonly resourceId: pulumi.Output<string>;
    declare readonly resourceKind: pulumi.Output<string>;
    declare readonly communityId: pulumi.Output<string>;
    declare readonly resourceName: pulumi.Output<string>;
    declare readonly resourceZone: pulumi.Output<string>;
    declare readonly resourceOrganization: pulumi.Output<string>;
    declare readonly communityName: pulumi.Output<string>;
    declare readonly communityZone: pulumi.Output<string>;
    declare readonly communityOrganization: pulumi.Output<string>;

    constructor(name: string, args: ShareArgs, opts?: PlatformResourceOptions) {
        super("Share", name, args && {
            resourceId: args.resource.id, resourceKind: kindOfResource(args.resource), communityId: args.community.id,
            resourceName: args.resource.name, resourceZone: args.resource.zone, resourceOrganization: args.resource.organization,
            communityName: args.community.name, communityZone: args.community.zone, communityOrganization: args.community.organization,
        }, opts);
    }

    static get(name: string, id: pulumi.Input<string>, opts?: PlatformResourceOptions): Share {
        return new Share(name, undefined as never, { ...opts, id });
    }
}

/**
 * The kind of the shared resource, whatever it is: a kind that cannot be shared (a Model, say, passed where the
 * types do not reach) is then refused by check, in preview, with the Share's other problems, not by an exception.
 */
function kindOfResource(resource: ShareableResource): string {
    const kind = platformKindOf(resource);
    if (kind) return kind;
    throw new Error(`Share: resource must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias of this package, got ${Object.getPrototypeOf(resource)?.constructor?.name ?? typeof resource}.`);
}
