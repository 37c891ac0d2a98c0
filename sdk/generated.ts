// Generated from provider/model/kinds.ts by `npm run generate` (tools/generate.ts); do not edit.
// One class per kind: typed Args (every value may be an Input), plain outputs, JSDoc from the fields' docs.
import * as pulumi from "@pulumi/pulumi";
import { PlatformResource, PlatformResourceOptions } from "./base";
import { billingFacts, kindOfResource, noteBillingAccount, noteBillingLink, noteProjectCommunity, projectCommunityFacts, repeatedTargets } from "./facts";

type In<T> = pulumi.Input<T>;
type Opts = PlatformResourceOptions;

/** The kinds the platform can publish into a community. */
export type ShareableResource = Dataset | Secret | DockerImage | S3Connector | Node | Alias;

export interface OrganizationArgs {
    /**
     * Unique name of the organization (lowercase letters, digits, hyphens); known during preview, used by plan-time
     * rules. Can never change: a change replaces the resource. Default: the resource name plus a suffix decided
     * once from the resource's URN.
     */
    name?: In<string>;
    /** Display name; the default community is called "<displayName> Team" and follows renames. */
    displayName: In<string>;
    /** Zone of the default community, e.g. ru-central1-a. Can never change: a change replaces the resource. */
    defaultZone: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    labels?: In<Record<string, In<string>>>;
    /** Organization admins (up to 100 subjects): community admins everywhere in the organization. */
    admins?: In<In<string>[]>;
    /** Organization members (up to 1000 subjects): developers in the default community. */
    members?: In<In<string>[]>;
}

/**
 * An organization: owns communities and billing accounts. The platform creates its default community "<displayName>
 * Team" with it; that community cannot be deleted and every member is a developer in it. The acting principal
 * becomes the organization's owner.
 */
export class Organization extends PlatformResource {
    declare private readonly __kind: "Organization";
    /**
     * Unique name of the organization (lowercase letters, digits, hyphens); known during preview, used by plan-time
     * rules.
     */
    declare readonly name: pulumi.Output<string>;
    /** Display name; the default community is called "<displayName> Team" and follows renames. */
    declare readonly displayName: pulumi.Output<string>;
    /** Zone of the default community, e.g. ru-central1-a. */
    declare readonly defaultZone: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Organization admins (up to 100 subjects): community admins everywhere in the organization. */
    declare readonly admins: pulumi.Output<string[] | undefined>;
    /** Organization members (up to 1000 subjects): developers in the default community. */
    declare readonly members: pulumi.Output<string[] | undefined>;
    /** Id of the default community "<displayName> Team". */
    declare readonly defaultCommunityId: pulumi.Output<string>;
    /** Name of the default community. */
    declare readonly defaultCommunityName: pulumi.Output<string>;

    constructor(name: string, args: OrganizationArgs, opts?: Opts) {
        super("Organization", name, { ...args }, opts);
    }

    /** Reads an existing Organization by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Organization {
        return new Organization(name, undefined as never, { ...opts, id });
    }
}

export interface BillingAccountArgs {
    /** The organization that owns the account. Can never change: a change replaces the resource. */
    organization: Organization;
    /**
     * Name unique in the organization. Default: the resource name plus a suffix decided once from the resource's
     * URN.
     */
    name?: In<string>;
    /** `active` or `suspended`. Only active accounts can be linked, and projects need one. */
    status: In<"active" | "suspended">;
}

/** A billing account that pays for the communities of its organization linked to it. */
export class BillingAccount extends PlatformResource {
    declare private readonly __kind: "BillingAccount";
    /** Name unique in the organization. */
    declare readonly name: pulumi.Output<string>;
    /** `active` or `suspended`. Only active accounts can be linked, and projects need one. */
    declare readonly status: pulumi.Output<"active" | "suspended">;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: BillingAccountArgs, opts?: Opts) {
        super("BillingAccount", name, args && {
            organizationId: args.organization.id,
            organization: args.organization.name,
            name: args.name,
            status: args.status,
        }, opts);
    }

    /** Reads an existing BillingAccount by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): BillingAccount {
        return new BillingAccount(name, undefined as never, { ...opts, id });
    }
}

export interface BillingLinkArgs {
    /** The community to pay for. Can never change: a change replaces the resource. */
    community: Community;
    /** An active billing account of the same organization. Changing it re-links the community. */
    billingAccount: BillingAccount;
}

/**
 * Links a community to an active billing account; projects can be created only in a linked community. The other way
 * to bill a community is its own `billingAccount`, set when it is created: a community has one or the other, never
 * both. The platform never removes a link, only re-points it: deleting this resource leaves the link in place until
 * the community itself is deleted.
 */
export class BillingLink extends PlatformResource {
    declare private readonly __kind: "BillingLink";
    /** Id of the community paid for. */
    declare readonly communityId: pulumi.Output<string>;
    /** Id of the billing account that pays. */
    declare readonly billingAccountId: pulumi.Output<string>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: BillingLinkArgs, opts?: Opts) {
        super("BillingLink", name, args && {
            communityId: args.community.id,
            billingAccountId: args.billingAccount.id,
            organization: args.community.organization,
        }, opts);
        if (args) noteBillingLink(args.community, this);
    }

    /** Reads an existing BillingLink by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): BillingLink {
        return new BillingLink(name, undefined as never, { ...opts, id });
    }
}

/** A Slack or Telegram channel the community's members talk in. */
export type ChatChannel =
    | { service: "slack"; url: In<string> }
    | { service: "telegram"; url: In<string> };

export interface CommunityArgs {
    /** The organization. Can never change: a change replaces the resource. */
    organization: Organization;
    /**
     * Up to 63 characters, no whitespace, unique in the organization. Default: the resource name plus a suffix
     * decided once from the resource's URN.
     */
    name?: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    labels?: In<Record<string, In<string>>>;
    /**
     * Availability zone, e.g. ru-central1-a; all the community's projects and resources live there. Can never
     * change: a change replaces the resource.
     */
    zone: In<string>;
    /**
     * A Slack or Telegram channel linked to the community so that its members can talk: a change re-links it in
     * place, removing it unlinks. A feature of this provider's own control plane (embedded or served): the
     * DataSphere API has no call for it, so the DataSphere backend refuses it.
     */
    chatChannel?: In<ChatChannel>;
    /**
     * An active billing account of the same organization that pays for the community from its creation, instead of
     * a BillingLink (never both). A change re-points the billing of the same community, never replaces it; with
     * mlplatform:backend datasphere it cannot change (the API sets it only at creation).
     */
    billingAccount?: BillingAccount;
}

/**
 * A team's space, pinned for life to one availability zone; holds projects, receives shared resources, and may link
 * a Slack or Telegram channel for its members to talk in.
 */
export class Community extends PlatformResource {
    declare private readonly __kind: "Community";
    /** Up to 63 characters, no whitespace, unique in the organization. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Availability zone, e.g. ru-central1-a; all the community's projects and resources live there. */
    declare readonly zone: pulumi.Output<string>;
    /**
     * A Slack or Telegram channel linked to the community so that its members can talk: a change re-links it in
     * place, removing it unlinks. A feature of this provider's own control plane (embedded or served): the
     * DataSphere API has no call for it, so the DataSphere backend refuses it.
     */
    declare readonly chatChannel: pulumi.Output<{ service: "slack"; url: string } | { service: "telegram"; url: string } | undefined>;
    /**
     * Id of the billing account that pays for the community, set when it is created: its projects then need no
     * BillingLink. A community is billed either this way or by a BillingLink, never both. DataSphere takes it only
     * at creation and cannot read it back or change it.
     */
    declare readonly billingAccountId: pulumi.Output<string | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: CommunityArgs, opts?: Opts) {
        super("Community", name, args && {
            organizationId: args.organization.id,
            organization: args.organization.name,
            name: args.name,
            description: args.description,
            labels: args.labels,
            zone: args.zone,
            chatChannel: args.chatChannel,
            billingAccountId: args.billingAccount?.id,
        }, opts);
        if (args) noteBillingAccount(args.billingAccount, this);
    }

    /** Reads an existing Community by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Community {
        return new Community(name, undefined as never, { ...opts, id });
    }
}

/** A role in a community or a project: viewer, developer, editor or admin. */
export type Role = "viewer" | "developer" | "editor" | "admin";

export interface CommunityMemberArgs {
    /** The community. Can never change: a change replaces the resource. */
    community: Community;
    /**
     * Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`. Can never change: a
     * change replaces the resource.
     */
    subject: In<string>;
    /** viewer, developer, editor or admin. */
    role: In<Role>;
}

/** One subject's role in a community. Per member: removing it never touches anyone else's role. */
export class CommunityMember extends PlatformResource {
    declare private readonly __kind: "CommunityMember";
    /** Id of the community. */
    declare readonly communityId: pulumi.Output<string>;
    /** Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`. */
    declare readonly subject: pulumi.Output<string>;
    /** viewer, developer, editor or admin. */
    declare readonly role: pulumi.Output<Role>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: CommunityMemberArgs, opts?: Opts) {
        super("CommunityMember", name, args && {
            communityId: args.community.id,
            organization: args.community.organization,
            subject: args.subject,
            role: args.role,
        }, opts);
    }

    /** Reads an existing CommunityMember by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): CommunityMember {
        return new CommunityMember(name, undefined as never, { ...opts, id });
    }
}

/** Settings of a project's environment. */
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
    /** The IDE: only JUPYTER_LAB. */
    ide?: In<"JUPYTER_LAB">;
    /** When idle executions are stopped. */
    staleExecTimeoutMode?: In<"ONE_HOUR" | "THREE_HOURS" | "NO_TIMEOUT">;
    /** Seconds of inactivity before the VM stops (0 to 604800). */
    vmInactivityTimeoutSeconds?: In<number>;
}

/** Spending limits of a project. */
export interface ProjectLimits {
    /** Most units the project may spend per hour (0 to 1000000). */
    maxUnitsPerHour?: In<number>;
    /** Most units one execution may spend (0 to 1000000). */
    maxUnitsPerExecution?: In<number>;
}

export interface ProjectArgs {
    /**
     * The community; it needs an active billing account: its own `billingAccount`, or a BillingLink. Can never
     * change: a change replaces the resource.
     */
    community: Community;
    /**
     * `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique in the community. Default: the resource name plus a suffix decided
     * once from the resource's URN.
     */
    name?: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    labels?: In<Record<string, In<string>>>;
    /** Settings of the project's environment. */
    settings?: In<ProjectSettings>;
    /** Spending limits. */
    limits?: In<ProjectLimits>;
    /** Units available to the project (0 to 1000000000). */
    unitBalance?: In<number>;
}

/** A workspace in a community, with settings, limits and a unit balance. */
export class Project extends PlatformResource {
    declare private readonly __kind: "Project";
    /** Id of the community. */
    declare readonly communityId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique in the community. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Settings of the project's environment. */
    declare readonly settings: pulumi.Output<{ serviceAccountId?: string; subnetId?: string; dataProcClusterId?: string; securityGroupIds?: string[]; defaultFolderId?: string; ide?: "JUPYTER_LAB"; staleExecTimeoutMode?: "ONE_HOUR" | "THREE_HOURS" | "NO_TIMEOUT"; vmInactivityTimeoutSeconds?: number } | undefined>;
    /** Spending limits. */
    declare readonly limits: pulumi.Output<{ maxUnitsPerHour?: number; maxUnitsPerExecution?: number } | undefined>;
    /** Units available to the project (0 to 1000000000). */
    declare readonly unitBalance: pulumi.Output<number | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: ProjectArgs, opts?: Opts) {
        super("Project", name, args && {
            communityId: args.community.id,
            organization: args.community.organization,
            zone: args.community.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            settings: args.settings,
            limits: args.limits,
            unitBalance: args.unitBalance,
            ...billingFacts(args.community),
        }, opts);
        if (args) noteProjectCommunity(args.community, this);
    }

    /** Reads an existing Project by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Project {
        return new Project(name, undefined as never, { ...opts, id });
    }
}

export interface ProjectMemberArgs {
    /** The project. Can never change: a change replaces the resource. */
    project: Project;
    /**
     * Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`. Can never change: a
     * change replaces the resource.
     */
    subject: In<string>;
    /** viewer, developer, editor or admin. */
    role: In<Role>;
}

/** One subject's role in a project. Per member: removing it never touches anyone else's role. */
export class ProjectMember extends PlatformResource {
    declare private readonly __kind: "ProjectMember";
    /** Id of the project. */
    declare readonly projectId: pulumi.Output<string>;
    /** Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`. */
    declare readonly subject: pulumi.Output<string>;
    /** viewer, developer, editor or admin. */
    declare readonly role: pulumi.Output<Role>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;

    constructor(name: string, args: ProjectMemberArgs, opts?: Opts) {
        super("ProjectMember", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            subject: args.subject,
            role: args.role,
        }, opts);
    }

    /** Reads an existing ProjectMember by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): ProjectMember {
        return new ProjectMember(name, undefined as never, { ...opts, id });
    }
}

/** Arguments every project resource takes. */
export interface ProjectResourceArgs {
    /** The project. Can never change: a change replaces the resource. */
    project: Project;
    /**
     * `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. Default: the resource
     * name plus a suffix decided once from the resource's URN.
     */
    name?: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    labels?: In<Record<string, In<string>>>;
}

export interface DatasetArgs extends ProjectResourceArgs {
    /** Size in GB (1 to 4096). Can never change: a change replaces the resource. */
    sizeGb: In<number>;
    /** Whether the dataset is attached to the project. An activated dataset cannot be deleted. */
    activated?: In<boolean>;
}

/**
 * A fixed-size disk of data for fast access in a project. Its size cannot change; it can be activated. Shareable:
 * see `Share`.
 */
export class Dataset extends PlatformResource {
    declare private readonly __kind: "Dataset";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Size in GB (1 to 4096). */
    declare readonly sizeGb: pulumi.Output<number>;
    /** Whether the dataset is attached to the project. An activated dataset cannot be deleted. */
    declare readonly activated: pulumi.Output<boolean | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: DatasetArgs, opts?: Opts) {
        super("Dataset", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            sizeGb: args.sizeGb,
            activated: args.activated,
        }, opts);
    }

    /** Reads an existing Dataset by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Dataset {
        return new Dataset(name, undefined as never, { ...opts, id });
    }
}

export interface SecretArgs extends ProjectResourceArgs {
    /**
     * The secret value (1 byte to 64 KiB). Secret: encrypted at rest, always secret in state and outputs, never
     * shown in errors.
     */
    value: In<string>;
}

/** A named secret value, encrypted at rest; cells read it as an environment variable. Shareable: see `Share`. */
export class Secret extends PlatformResource {
    declare private readonly __kind: "Secret";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /**
     * The secret value (1 byte to 64 KiB). Secret: encrypted at rest, always secret in state and outputs, never
     * shown in errors.
     */
    declare readonly value: pulumi.Output<string>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: SecretArgs, opts?: Opts) {
        super("Secret", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            value: args.value,
        }, opts);
    }

    /** Reads an existing Secret by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Secret {
        return new Secret(name, undefined as never, { ...opts, id });
    }
}

export interface DockerImageArgs extends ProjectResourceArgs {
    /** Image reference, e.g. cr.yandex/crp123/trainer:1.4. */
    image: In<string>;
    /** Registry user name. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    registryUsername?: In<string>;
    /** Registry password. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    registryPassword?: In<string>;
}

/** A Docker image reference a project runs in, with optional registry credentials. Shareable: see `Share`. */
export class DockerImage extends PlatformResource {
    declare private readonly __kind: "DockerImage";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Image reference, e.g. cr.yandex/crp123/trainer:1.4. */
    declare readonly image: pulumi.Output<string>;
    /** Registry user name. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    declare readonly registryUsername: pulumi.Output<string | undefined>;
    /** Registry password. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    declare readonly registryPassword: pulumi.Output<string | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: DockerImageArgs, opts?: Opts) {
        super("DockerImage", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            image: args.image,
            registryUsername: args.registryUsername,
            registryPassword: args.registryPassword,
        }, opts);
    }

    /** Reads an existing DockerImage by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): DockerImage {
        return new DockerImage(name, undefined as never, { ...opts, id });
    }
}

export interface S3ConnectorArgs extends ProjectResourceArgs {
    /** Bucket name, as in object storage. */
    bucket: In<string>;
    /** Object storage endpoint: an https:// or http:// URL. */
    endpoint?: In<string>;
    /** READ_ONLY or READ_WRITE. */
    mountMode?: In<"READ_ONLY" | "READ_WRITE">;
    /** Access key id. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    accessKeyId: In<string>;
    /** Secret access key. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    secretAccessKey: In<string>;
}

/** A saved connection to an object storage bucket, mountable into a project. Shareable: see `Share`. */
export class S3Connector extends PlatformResource {
    declare private readonly __kind: "S3Connector";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Bucket name, as in object storage. */
    declare readonly bucket: pulumi.Output<string>;
    /** Object storage endpoint: an https:// or http:// URL. */
    declare readonly endpoint: pulumi.Output<string | undefined>;
    /** READ_ONLY or READ_WRITE. */
    declare readonly mountMode: pulumi.Output<"READ_ONLY" | "READ_WRITE" | undefined>;
    /** Access key id. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    declare readonly accessKeyId: pulumi.Output<string>;
    /** Secret access key. Secret: encrypted at rest, always secret in state and outputs, never shown in errors. */
    declare readonly secretAccessKey: pulumi.Output<string>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: S3ConnectorArgs, opts?: Opts) {
        super("S3Connector", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            bucket: args.bucket,
            endpoint: args.endpoint,
            mountMode: args.mountMode,
            accessKeyId: args.accessKeyId,
            secretAccessKey: args.secretAccessKey,
        }, opts);
    }

    /** Reads an existing S3Connector by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): S3Connector {
        return new S3Connector(name, undefined as never, { ...opts, id });
    }
}

/** Size of each instance of a node. */
export interface InstanceSpec {
    /** vCPUs per instance (1 to 64). */
    cpu: In<number>;
    /** Memory per instance in GB (1 to 512). */
    memoryGb: In<number>;
    /** GPUs per instance (0 to 8). */
    gpu?: In<number>;
}

export interface NodeArgs extends ProjectResourceArgs {
    /** Docker image the node serves. Set exactly one of image and model. */
    image?: In<string>;
    /** A model of the same project the node serves. Set exactly one of image and model. */
    model?: Model;
    /** Size of each instance. */
    instanceSpec: In<InstanceSpec>;
    /** Zone the instances run in; may differ from the community's zone. */
    instanceZone?: In<string>;
    /** Number of instances (1 to 16). */
    replicas?: In<number>;
}

/**
 * A deployed service running a model or image. Its instances may run in another zone than its community. Shareable:
 * see `Share`.
 */
export class Node extends PlatformResource {
    declare private readonly __kind: "Node";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Docker image the node serves. Set exactly one of image and model. */
    declare readonly image: pulumi.Output<string | undefined>;
    /** Id of the model the node serves. */
    declare readonly modelId: pulumi.Output<string | undefined>;
    /** Size of each instance. */
    declare readonly instanceSpec: pulumi.Output<{ cpu: number; memoryGb: number; gpu?: number }>;
    /** Zone the instances run in; may differ from the community's zone. */
    declare readonly instanceZone: pulumi.Output<string | undefined>;
    /** Number of instances (1 to 16). */
    declare readonly replicas: pulumi.Output<number | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: NodeArgs, opts?: Opts) {
        super("Node", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            image: args.image,
            modelId: args.model?.id,
            instanceSpec: args.instanceSpec,
            instanceZone: args.instanceZone,
            replicas: args.replicas,
        }, opts);
    }

    /** Reads an existing Node by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Node {
        return new Node(name, undefined as never, { ...opts, id });
    }
}

/** An item of AliasArgs.nodes. */
export interface AliasTarget {
    /** A node of the same project. */
    node: Node;
    /** Share of the traffic (1 to 100), relative to the other targets. */
    weight: In<number>;
}

export interface AliasArgs extends ProjectResourceArgs {
    /** 1 to 10 nodes of the same project and their weights. Nodes can be switched while the alias runs. */
    nodes: AliasTarget[];
}

/** Publishes a service and spreads its load over nodes of the same project by weight. Shareable: see `Share`. */
export class Alias extends PlatformResource {
    declare private readonly __kind: "Alias";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** 1 to 10 nodes of the same project and their weights. Nodes can be switched while the alias runs. */
    declare readonly nodes: pulumi.Output<{ nodeId: string; weight: number }[]>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: AliasArgs, opts?: Opts) {
        super("Alias", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            nodes: args.nodes.map((item) => ({ nodeId: item.node.id, weight: item.weight })),
            ...repeatedTargets(args.nodes),
        }, opts);
    }

    /** Reads an existing Alias by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Alias {
        return new Alias(name, undefined as never, { ...opts, id });
    }
}

/** A Data Proc cluster: image version, host presets, hosts and disk. */
export interface ClusterSpec {
    /** Data Proc image version, e.g. "2.1". */
    version: In<string>;
    /** Host preset of the master, e.g. s2.small. */
    masterPreset: In<string>;
    /** Host preset of compute hosts, e.g. s2.medium. */
    computePreset: In<string>;
    /** Number of compute hosts (1 to 32). */
    computeHosts: In<number>;
    /** Disk per host in GB (1 to 4096). */
    diskGb: In<number>;
}

export interface DataProcTemplateArgs extends ProjectResourceArgs {
    /** The cluster the template deploys. */
    cluster: In<ClusterSpec>;
}

/** A ready Data Proc cluster configuration that a project deploys on demand. */
export class DataProcTemplate extends PlatformResource {
    declare private readonly __kind: "DataProcTemplate";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** The cluster the template deploys. */
    declare readonly cluster: pulumi.Output<{ version: string; masterPreset: string; computePreset: string; computeHosts: number; diskGb: number }>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: DataProcTemplateArgs, opts?: Opts) {
        super("DataProcTemplate", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            cluster: args.cluster,
        }, opts);
    }

    /** Reads an existing DataProcTemplate by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): DataProcTemplate {
        return new DataProcTemplate(name, undefined as never, { ...opts, id });
    }
}

export interface ModelArgs extends ProjectResourceArgs {
    /** pytorch, tensorflow, sklearn, catboost, onnx or other. */
    framework?: In<"pytorch" | "tensorflow" | "sklearn" | "catboost" | "onnx" | "other">;
    /** Where the weights are: an s3:// or https:// URL. */
    sourceUri?: In<string>;
}

/** A saved trained model. */
export class Model extends PlatformResource {
    declare private readonly __kind: "Model";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** pytorch, tensorflow, sklearn, catboost, onnx or other. */
    declare readonly framework: pulumi.Output<"pytorch" | "tensorflow" | "sklearn" | "catboost" | "onnx" | "other" | undefined>;
    /** Where the weights are: an s3:// or https:// URL. */
    declare readonly sourceUri: pulumi.Output<string | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: ModelArgs, opts?: Opts) {
        super("Model", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            framework: args.framework,
            sourceUri: args.sourceUri,
        }, opts);
    }

    /** Reads an existing Model by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Model {
        return new Model(name, undefined as never, { ...opts, id });
    }
}

/** An existing Data Proc cluster, or the spec of a temporary one. */
export type SparkCluster =
    | { type: "existing"; clusterId: In<string> }
    | { type: "temporary"; spec: In<ClusterSpec> };

export interface SparkConnectorArgs extends ProjectResourceArgs {
    /** An existing Data Proc cluster, or the spec of a temporary one created per session. */
    cluster: In<SparkCluster>;
}

/** A saved connection to an existing Data Proc cluster, or the spec of a temporary one, for Spark sessions. */
export class SparkConnector extends PlatformResource {
    declare private readonly __kind: "SparkConnector";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** An existing Data Proc cluster, or the spec of a temporary one created per session. */
    declare readonly cluster: pulumi.Output<{ type: "existing"; clusterId: string } | { type: "temporary"; spec: { version: string; masterPreset: string; computePreset: string; computeHosts: number; diskGb: number } }>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: SparkConnectorArgs, opts?: Opts) {
        super("SparkConnector", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            cluster: args.cluster,
        }, opts);
    }

    /** Reads an existing SparkConnector by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): SparkConnector {
        return new SparkConnector(name, undefined as never, { ...opts, id });
    }
}

export interface CheckpointArgs extends ProjectResourceArgs {
    /** Where the saved state is: an s3:// or https:// URL. */
    sourceUri: In<string>;
    /** Notebook the state belongs to. */
    notebookPath?: In<string>;
}

/**
 * A saved interpreter state. Every change makes a new numbered version (see `version`); earlier versions stay
 * listable.
 */
export class Checkpoint extends PlatformResource {
    declare private readonly __kind: "Checkpoint";
    /** Id of the project the resource belongs to. */
    declare readonly projectId: pulumi.Output<string>;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. */
    declare readonly name: pulumi.Output<string>;
    /** Free text, up to 256 characters. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each. */
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Where the saved state is: an s3:// or https:// URL. */
    declare readonly sourceUri: pulumi.Output<string>;
    /** Notebook the state belongs to. */
    declare readonly notebookPath: pulumi.Output<string | undefined>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;

    constructor(name: string, args: CheckpointArgs, opts?: Opts) {
        super("Checkpoint", name, args && {
            projectId: args.project.id,
            organization: args.project.organization,
            zone: args.project.zone,
            name: args.name,
            description: args.description,
            labels: args.labels,
            sourceUri: args.sourceUri,
            notebookPath: args.notebookPath,
        }, opts);
    }

    /** Reads an existing Checkpoint by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Checkpoint {
        return new Checkpoint(name, undefined as never, { ...opts, id });
    }
}

export interface ShareArgs {
    /** The project resource to publish. Can never change: a change replaces the resource. */
    resource: ShareableResource;
    /**
     * A community of the same organization and the same availability zone. Can never change: a change replaces the
     * resource.
     */
    community: Community;
}

/**
 * Publishes a project resource into a community of the same organization and availability zone: every member of it
 * can use the resource. Sharing across organizations or zones is refused in `pulumi preview`, naming both sides.
 */
export class Share extends PlatformResource {
    declare private readonly __kind: "Share";
    /** Id of the shared resource. */
    declare readonly resourceId: pulumi.Output<string>;
    /** Kind of the shared resource. */
    declare readonly resourceKind: pulumi.Output<"Dataset" | "Secret" | "DockerImage" | "S3Connector" | "Node" | "Alias">;
    /** Id of the community it is published into. */
    declare readonly communityId: pulumi.Output<string>;
    /** Name of the shared resource. */
    declare readonly resourceName: pulumi.Output<string>;
    /** Zone of the shared resource: a share goes only into a community of this zone. */
    declare readonly resourceZone: pulumi.Output<string>;
    /** Organization of the shared resource: a share goes only into a community of this organization. */
    declare readonly resourceOrganization: pulumi.Output<string>;
    /** Name of the community. */
    declare readonly communityName: pulumi.Output<string>;
    /** Zone of the community. */
    declare readonly communityZone: pulumi.Output<string>;
    /** Organization of the community. */
    declare readonly communityOrganization: pulumi.Output<string>;

    constructor(name: string, args: ShareArgs, opts?: Opts) {
        super("Share", name, args && {
            resourceId: args.resource.id,
            resourceKind: kindOfResource(args.resource),
            communityId: args.community.id,
            resourceName: args.resource.name,
            resourceZone: args.resource.zone,
            resourceOrganization: args.resource.organization,
            communityName: args.community.name,
            communityZone: args.community.zone,
            communityOrganization: args.community.organization,
        }, opts);
    }

    /** Reads an existing Share by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): Share {
        return new Share(name, undefined as never, { ...opts, id });
    }
}

export interface SharedResourceUseArgs {
    /** A project of the community the resource is shared into. Can never change: a change replaces the resource. */
    project: Project;
    /**
     * The share that publishes the resource into the project's community. Can never change: a change replaces the
     * resource.
     */
    share: Share;
}

/**
 * Adds a resource shared into a community to a project of that community, so that the project's code can use it
 * (ProjectService.AddResource). Only a project of the community the share publishes into can use it: a project of
 * another community, zone or organization is refused in `pulumi preview`, naming both sides. While a project uses
 * it, the share cannot be deleted.
 */
export class SharedResourceUse extends PlatformResource {
    declare private readonly __kind: "SharedResourceUse";
    /** Id of the project that uses the shared resource. */
    declare readonly projectId: pulumi.Output<string>;
    /** Id of the share that publishes the resource into the project's community. */
    declare readonly shareId: pulumi.Output<string>;
    /** Name of the organization (known during preview, unlike ids of objects not created yet). */
    declare readonly organization: pulumi.Output<string>;
    /** Availability zone of the community the object lives in. */
    declare readonly zone: pulumi.Output<string>;
    /** Name of the project. */
    declare readonly projectName: pulumi.Output<string>;
    /** Id of the project's community (known in preview once the community exists). */
    declare readonly projectCommunityId: pulumi.Output<string>;
    /** Kind of the shared resource. */
    declare readonly resourceKind: pulumi.Output<"Dataset" | "Secret" | "DockerImage" | "S3Connector" | "Node" | "Alias">;
    /** Name of the shared resource. */
    declare readonly resourceName: pulumi.Output<string>;
    /** Id of the community the resource is shared into. */
    declare readonly shareCommunityId: pulumi.Output<string>;
    /** Name of the community. */
    declare readonly communityName: pulumi.Output<string>;
    /** Zone of the community. */
    declare readonly communityZone: pulumi.Output<string>;
    /** Organization of the community. */
    declare readonly communityOrganization: pulumi.Output<string>;

    constructor(name: string, args: SharedResourceUseArgs, opts?: Opts) {
        super("SharedResourceUse", name, args && {
            projectId: args.project.id,
            shareId: args.share.id,
            organization: args.project.organization,
            zone: args.project.zone,
            projectName: args.project.name,
            projectCommunityId: args.project.communityId,
            resourceKind: args.share.resourceKind,
            resourceName: args.share.resourceName,
            shareCommunityId: args.share.communityId,
            communityName: args.share.communityName,
            communityZone: args.share.communityZone,
            communityOrganization: args.share.communityOrganization,
            ...projectCommunityFacts(args.project),
        }, opts);
    }

    /** Reads an existing SharedResourceUse by id (nothing is created or changed), e.g. one another stack manages. */
    static get(name: string, id: In<string>, opts?: Opts): SharedResourceUse {
        return new SharedResourceUse(name, undefined as never, { ...opts, id });
    }
}
