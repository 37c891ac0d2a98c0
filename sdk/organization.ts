import * as pulumi from "@pulumi/pulumi";
import { PlatformResource, PlatformResourceOptions } from "./base";

type In<T> = pulumi.Input<T>;
type Opts = PlatformResourceOptions;

export interface OrganizationArgs {
    /** Unique name of the organization (lowercase, digits, hyphens). Default: the resource name plus a random suffix. Changing it replaces the organization. */
    name?: In<string>;
    /** Display name; the default community is called "<displayName> Team" and follows renames. */
    displayName: In<string>;
    /** Zone of the default community, e.g. ru-central1-a. Can never change. */
    defaultZone: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels; keys and values of lowercase letters, digits, `-` and `_`. */
    labels?: In<Record<string, In<string>>>;
    /** Organization admins: community admins everywhere in the organization. */
    admins?: In<In<string>[]>;
    /** Organization members: developers in the default community. */
    members?: In<In<string>[]>;
}

/**
 * An organization: owns communities and billing accounts. The platform creates its default community
 * "<displayName> Team" with it; that community cannot be deleted and every member is a developer in it.
 * The acting principal becomes the organization's owner.
 */
export class Organization extends PlatformResource {
    declare private readonly __kind: "Organization";
    /** Unique name of the organization; known during preview, used by plan-time rules. */
    declare readonly name: pulumi.Output<string>;
    declare readonly displayName: pulumi.Output<string>;
    declare readonly defaultZone: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string | undefined>;
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    declare readonly admins: pulumi.Output<string[] | undefined>;
    declare readonly members: pulumi.Output<string[] | undefined>;
    /** Id of the default community "<displayName> Team". */
    declare readonly defaultCommunityId: pulumi.Output<string>;
    /** Name of the default community. */
    declare readonly defaultCommunityName: pulumi.Output<string>;

    constructor(name: string, args: OrganizationArgs, opts?: Opts) {
        super("Organization", name, { ...args }, opts);
    }

    /** Reads an existing organization by id (nothing is created or changed). */
    static get(name: string, id: In<string>, opts?: Opts): Organization {
        return new Organization(name, undefined as never, { ...opts, id });
    }
}

export interface BillingAccountArgs {
    /** The organization that owns the account. Can never change. */
    organization: Organization;
    /** Name unique in the organization. Default: the resource name plus a random suffix. */
    name?: In<string>;
    /** `active` or `suspended`. Only active accounts can be linked, and projects need one. */
    status: In<"active" | "suspended">;
}

/** A billing account that pays for the communities linked to it. */
export class BillingAccount extends PlatformResource {
    declare private readonly __kind: "BillingAccount";
    declare readonly name: pulumi.Output<string>;
    declare readonly status: pulumi.Output<"active" | "suspended">;
    /** Name of the owning organization. */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: BillingAccountArgs, opts?: Opts) {
        super("BillingAccount", name, args && {
            organizationId: args.organization.id, organization: args.organization.name, name: args.name, status: args.status,
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): BillingAccount {
        return new BillingAccount(name, undefined as never, { ...opts, id });
    }
}

export interface CommunityArgs {
    /** The organization. Can never change: a change replaces the community. */
    organization: Organization;
    /** Up to 63 characters, no whitespace, unique in the organization. Default: the resource name plus a random suffix. */
    name?: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels. */
    labels?: In<Record<string, In<string>>>;
    /** Availability zone, e.g. ru-central1-a. Can never change; all projects and resources live there. */
    zone: In<string>;
}

/** A team's space, pinned for life to one availability zone; holds projects and receives shared resources. */
export class Community extends PlatformResource {
    declare private readonly __kind: "Community";
    declare readonly name: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string | undefined>;
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Availability zone of the community. */
    declare readonly zone: pulumi.Output<string>;
    /** Name of the owning organization. */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: CommunityArgs, opts?: Opts) {
        super("Community", name, args && {
            organizationId: args.organization.id, organization: args.organization.name,
            name: args.name, description: args.description, labels: args.labels, zone: args.zone,
        }, opts);
    }

    /**
     * Reads an existing community by id, e.g. one another stack manages, to share into it or create
     * projects in it. Its zone and organization are read too, so sharing rules still run in preview.
     */
    static get(name: string, id: In<string>, opts?: Opts): Community {
        return new Community(name, undefined as never, { ...opts, id });
    }
}

/** Communities a BillingLink of this program pays for, as the program declared them (for Project's plan-time check). */
const linkedCommunities = new WeakSet<Community>();
export function hasBillingLink(community: Community): boolean {
    return linkedCommunities.has(community);
}

export interface BillingLinkArgs {
    /** The community to pay for. Can never change. */
    community: Community;
    /** An active billing account of the same organization. Changing it re-links the community. */
    billingAccount: BillingAccount;
}

/**
 * Links a community to a billing account; projects can be created only in a linked community. The platform
 * never removes a link, only re-points it: deleting this resource leaves the link in place until the
 * community itself is deleted.
 */
export class BillingLink extends PlatformResource {
    declare private readonly __kind: "BillingLink";
    declare readonly communityId: pulumi.Output<string>;
    declare readonly billingAccountId: pulumi.Output<string>;
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: BillingLinkArgs, opts?: Opts) {
        super("BillingLink", name, args && {
            communityId: args.community.id, billingAccountId: args.billingAccount.id, organization: args.community.organization,
        }, opts);
        if (args) linkedCommunities.add(args.community);
    }

    static get(name: string, id: In<string>, opts?: Opts): BillingLink {
        return new BillingLink(name, undefined as never, { ...opts, id });
    }
}

export type Role = "viewer" | "developer" | "editor" | "admin";

export interface CommunityMemberArgs {
    /** The community. Can never change. */
    community: Community;
    /** Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`. Can never change. */
    subject: In<string>;
    /** viewer, developer, editor or admin. */
    role: In<Role>;
}

/** One subject's role in a community. Removing it never touches anyone else's role. */
export class CommunityMember extends PlatformResource {
    declare private readonly __kind: "CommunityMember";
    declare readonly communityId: pulumi.Output<string>;
    declare readonly subject: pulumi.Output<string>;
    declare readonly role: pulumi.Output<Role>;

    constructor(name: string, args: CommunityMemberArgs, opts?: Opts) {
        super("CommunityMember", name, args && {
            communityId: args.community.id, organization: args.community.organization, subject: args.subject, role: args.role,
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): CommunityMember {
        return new CommunityMember(name, undefined as never, { ...opts, id });
    }
}
