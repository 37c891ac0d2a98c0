import * as pulumi from "@pulumi/pulumi";
import { isRead, PlatformResource, PlatformResourceOptions } from "./base";
import { Community, hasBillingLink, Role } from "./organization";

type In<T> = pulumi.Input<T>;
type Opts = PlatformResourceOptions;

export interface ProjectSettings {
    /** Service account the project's code runs as. */
    serviceAccountId?: In<string>;
    /** Subnet for the project's VMs. */
    subnetId?: In<string>;
    /** Data Proc cluster used by default. */
    dataProcClusterId?: In<string>;
    /** Up to 10 security groups. */
    securityGroupIds?: In<In<string>[]>;
    /** Folder billed for cloud resources the project uses. */
    defaultFolderId?: In<string>;
    /** Only JUPYTER_LAB. */
    ide?: In<"JUPYTER_LAB">;
    /** When idle executions are stopped. */
    staleExecTimeoutMode?: In<"ONE_HOUR" | "THREE_HOURS" | "NO_TIMEOUT">;
    /** Seconds of inactivity before the VM stops (0 to 604800). */
    vmInactivityTimeoutSeconds?: In<number>;
}

export interface ProjectLimits {
    /** Most units the project may spend per hour. */
    maxUnitsPerHour?: In<number>;
    /** Most units one execution may spend. */
    maxUnitsPerExecution?: In<number>;
}

export interface ProjectArgs {
    /** The community. Can never change: a change replaces the project. The community needs an active billing link. */
    community: Community;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique in the community. Default: the resource name plus a random suffix. */
    name?: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels. */
    labels?: In<Record<string, In<string>>>;
    settings?: In<ProjectSettings>;
    limits?: In<ProjectLimits>;
    /** Units available to the project. */
    unitBalance?: In<number>;
}

/**
 * A plan-time fact: a community this program creates needs its BillingLink declared before any project in it, or
 * up would create the project first and fail (rules/billing.ts); the community's name is sent only then, for the
 * message. A community read with `get` has whatever link the platform has: that is decided at apply time.
 */
function billingFacts(community: Community): { communityBillingLinked?: boolean; communityName?: pulumi.Output<string> } {
    if (isRead(community)) return {};
    return hasBillingLink(community) ? { communityBillingLinked: true } : { communityBillingLinked: false, communityName: community.name };
}

/** A workspace in a community, with settings, limits and a unit balance. */
export class Project extends PlatformResource {
    declare private readonly __kind: "Project";
    declare readonly communityId: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string | undefined>;
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    declare readonly settings: pulumi.Output<ProjectSettings | undefined>;
    declare readonly limits: pulumi.Output<ProjectLimits | undefined>;
    declare readonly unitBalance: pulumi.Output<number | undefined>;
    /** Zone of the project's community. */
    declare readonly zone: pulumi.Output<string>;
    /** Name of the organization. */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: ProjectArgs, opts?: Opts) {
        super("Project", name, args && {
            communityId: args.community.id, organization: args.community.organization, zone: args.community.zone,
            name: args.name, description: args.description, labels: args.labels,
            settings: args.settings, limits: args.limits, unitBalance: args.unitBalance,
            ...billingFacts(args.community),
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Project {
        return new Project(name, undefined as never, { ...opts, id });
    }
}

export interface ProjectMemberArgs {
    /** The project. Can never change. */
    project: Project;
    /** Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`. Can never change. */
    subject: In<string>;
    /** viewer, developer, editor or admin. */
    role: In<Role>;
}

/** One subject's role in a project. Removing it never touches anyone else's role. */
export class ProjectMember extends PlatformResource {
    declare private readonly __kind: "ProjectMember";
    declare readonly projectId: pulumi.Output<string>;
    declare readonly subject: pulumi.Output<string>;
    declare readonly role: pulumi.Output<Role>;

    constructor(name: string, args: ProjectMemberArgs, opts?: Opts) {
        super("ProjectMember", name, args && {
            projectId: args.project.id, organization: args.project.organization, subject: args.subject, role: args.role,
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): ProjectMember {
        return new ProjectMember(name, undefined as never, { ...opts, id });
    }
}
