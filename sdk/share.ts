import * as pulumi from "@pulumi/pulumi";
import { PlatformResource } from "./base";
import { Community } from "./organization";
import { Alias, Dataset, DockerImage, Node, S3Connector, Secret } from "./resources";

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

    constructor(name: string, args: ShareArgs, opts?: pulumi.CustomResourceOptions) {
        super("Share", name, args && {
            resourceId: args.resource.id, resourceKind: kindOfResource(args.resource), communityId: args.community.id,
            resourceName: args.resource.name, resourceZone: args.resource.zone, resourceOrganization: args.resource.organization,
            communityName: args.community.name, communityZone: args.community.zone, communityOrganization: args.community.organization,
        }, opts);
    }

    static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Share {
        return new Share(name, undefined as never, { ...opts, id });
    }
}

function kindOfResource(resource: ShareableResource): string {
    for (const [kind, cls] of Object.entries({ Dataset, Secret, DockerImage, S3Connector, Node, Alias })) {
        if (resource instanceof cls) return kind;
    }
    throw new Error(`Share: resource must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias, got ${Object.getPrototypeOf(resource)?.constructor?.name ?? typeof resource}.`);
}
