// Every kind the platform knows is declared here, once. The control plane, the plan engine, the dynamic
// provider adapters and the SDK all read these declarations; nothing else lists fields or rules per kind. The
// SDK's classes, the provider modules, the README's model table and docs/reference/ are generated from them
// (tools/generate.ts, `npm run generate`): every field carries its documentation (`.describe`), and the parent
// and references say how a program passes the object they point at.
import { z } from "zod";
import * as f from "./fields";
import { PLATFORM_FIELDS } from "./inputs";

export const KIND_NAMES = [
    "Organization", "BillingAccount", "BillingLink", "Community", "CommunityMember", "Project", "ProjectMember",
    "Dataset", "Secret", "DockerImage", "S3Connector", "Node", "Alias", "DataProcTemplate", "Model",
    "SparkConnector", "Checkpoint", "Share", "SharedResourceUse",
] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** Project resources the platform API can publish into a community. */
export const SHAREABLE_KINDS = ["Dataset", "Secret", "DockerImage", "S3Connector", "Node", "Alias"] as const;
export type ShareableKind = (typeof SHAREABLE_KINDS)[number];
/** The kind of a shared resource: a share's field, and a plan-time fact of a project's use of it. */
const shareableKind = f.withFix(z.enum(SHAREABLE_KINDS, { message: `must be one of ${SHAREABLE_KINDS.join(", ")}` }), `Share only ${SHAREABLE_KINDS.join(", ")}.`)
    .describe("Kind of the shared resource.");

/** Plan-time facts a kind carries as inputs so that rules can decide in `pulumi preview` (see README). */
export type ContextField =
    | "organization" | "zone"
    | "resourceName" | "resourceZone" | "resourceOrganization"
    | "communityName" | "communityZone" | "communityOrganization"
    | "communityBillingLinked"
    | "projectName" | "projectCommunityId" | "projectCommunityName" | "resourceKind" | "shareCommunityId";

export const contextSchemas: Record<ContextField, z.ZodType> = {
    organization: f.dnsName.describe("Name of the organization (known during preview, unlike ids of objects not created yet)."),
    zone: f.zone.describe("Availability zone of the community the object lives in."),
    resourceName: z.string().min(1).describe("Name of the shared resource."),
    resourceZone: f.zone.describe("Zone of the shared resource: a share goes only into a community of this zone."),
    resourceOrganization: f.dnsName.describe("Organization of the shared resource: a share goes only into a community of this organization."),
    communityName: z.string().min(1).describe("Name of the community."),
    communityZone: f.zone.describe("Zone of the community."),
    communityOrganization: f.dnsName.describe("Organization of the community."),
    communityBillingLinked: z.boolean({ message: "must be true or false" }).describe("Whether the program bills the community before this object: it created the community with a billing account, or declared its BillingLink first."),
    projectName: f.dnsName.describe("Name of the project."),
    projectCommunityId: f.objectId.describe("Id of the project's community (known in preview once the community exists)."),
    projectCommunityName: z.string().min(1).describe("Name of the project's community, when the program created the project with that community object."),
    resourceKind: shareableKind,
    shareCommunityId: f.objectId.describe("Id of the community the resource is shared into."),
};

/** What the platform decides about every object (the `platform` output), documented for the reference pages. */
export const PLATFORM_OUTPUT_DOCS: Record<(typeof PLATFORM_FIELDS)[number] | "id", string> = {
    id: "The platform's id of this object.",
    organizationId: "Id of the organization this object belongs to.",
    zone: "Availability zone the object lives in, where it has one.",
    version: "Version of the object on the platform; every update adds one.",
    createdAt: "When the platform created the object (ISO 8601).",
    updatedAt: "When the object last changed (ISO 8601).",
    createdBy: "The subject that created the object.",
};

/**
 * How an SDK program passes an object this one points at: the resource object itself (`project: Project`), whose
 * `id` fills the field and whose outputs carry the plan-time facts.
 */
export interface ObjectArg {
    /** The argument's name in the SDK, e.g. `project`. */
    readonly arg: string;
    /** What the argument is (JSDoc and reference pages). */
    readonly doc: string;
    /** Plan-time facts read from the object: context field -> the object's output, e.g. `{ organization: "name" }`. */
    readonly facts?: Partial<Record<ContextField, string>>;
    /** A field the SDK fills with the object's kind (a share's `resourceKind`). */
    readonly kindField?: string;
    /** The SDK's name of a list item holding the object, when the id is inside a list (`AliasTarget`). */
    readonly itemType?: string;
    /** A function of sdk/facts.ts given the object; its result is spread into the inputs (facts only the SDK knows). */
    readonly moreFacts?: string;
    /** A function of sdk/facts.ts told of the object, and of the resource made with it, once the resource is constructed. */
    readonly constructed?: string;
}

export interface ParentDecl extends ObjectArg {
    /** The field holding the parent's id. */
    readonly field: string;
    /** Which kinds the parent may be. */
    readonly kinds: readonly KindName[];
}

export interface ReferenceDecl extends ObjectArg {
    /** Dotted path to the id; `[]` marks an array (e.g. `nodes[].nodeId`). */
    readonly path: string;
    readonly kinds: readonly KindName[];
    /** The object pointed at must have the same parent as this one (a node's model, an alias's nodes: one project). */
    readonly sameParent?: boolean;
}

/** What a program asks the platform to do to an object. */
export type Mutation = "create" | "update" | "delete";

/** A role a mutation needs; rules/roles.ts decides whether a principal holds it. */
export interface Requirement {
    /** Where the role is held: the object's organization, community or project. */
    readonly scope: "organization" | "community" | "project";
    readonly role: f.Role | "organization admin" | "organization member";
    /** For messages: what the requirement protects, e.g. "create a project". */
    readonly what: string;
}

/** The same requirement for every mutation, its message saying which. */
const forEvery = (scope: Requirement["scope"], role: Requirement["role"], what: (m: Mutation) => string): Record<Mutation, Requirement> => ({
    create: { scope, role, what: what("create") },
    update: { scope, role, what: what("update") },
    delete: { scope, role, what: what("delete") },
});

/** How objects of a kind block the deletion of what they point at, in the platform's words. */
export interface BlocksDeletion {
    /** What one of them is called: "share". */
    readonly noun: string;
    /** Why their parent stays: "it is shared". */
    readonly ofParent: string;
    /** Why an object they reference stays: "resources are shared into it". */
    readonly ofReferenced: string;
}

/** A kind's fields: a strict object, so a typo is an error rather than a field the platform ignores. */
export type SpecSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/**
 * One kind, declared once. `Spec` is its fields' schema; `SpecOf<"Project">` is the type inferred from it. Its
 * functions are written as methods so that a kind's declaration, typed by its own fields, serves as well where
 * code handles any kind (method parameters are compared both ways).
 */
export interface KindDecl<Spec extends SpecSchema = SpecSchema> {
    readonly kind: KindName;
    /** Three letters that start every id of this kind. */
    readonly idPrefix: string;
    /** What the kind is: the class's JSDoc, the model table and the reference page. */
    readonly summary: string;
    /** Everything the control plane stores, including the parent id field. Strict: typos are errors. Every field is described. */
    readonly spec: Spec;
    /** The field holding the parent's id, which kinds the parent may be, and how a program passes it. */
    readonly parent?: ParentDecl;
    /** Other objects this one points at; the platform refuses to delete an object something points at. */
    readonly references: readonly ReferenceDecl[];
    /** Fields the platform can never change: a change plans a replacement. */
    readonly immutable: readonly string[];
    /** Fields stored encrypted, never returned in plain text, always secret in Pulumi state. */
    readonly secrets: readonly string[];
    /** Whether the kind has a `name` (autonamed by the provider when the program does not set one). */
    readonly named: boolean;
    /** What must be unique among siblings under the same parent (default: the name). */
    uniqueKey(spec: z.output<Spec>): string;
    /** Human-readable label for messages when the kind has no name. */
    label(spec: z.output<Spec>): string;
    /** Plan-time facts carried as inputs. */
    readonly context: readonly ContextField[];
    /** Outputs of this kind, beyond PLATFORM_FIELDS, that the platform decides (in the `platform` output). */
    readonly outputs: Readonly<Record<string, z.ZodType>>;
    /** Every update keeps the previous state as a numbered version. */
    readonly versioned?: boolean;
    /** The root of a tenant: its own id is its organization's, and anyone may found one (and owns it). */
    readonly foundsOrganization?: boolean;
    /** The field that pins the object, and everything below it, to one availability zone. */
    readonly zoneField?: string;
    /** Never removed on its own on the platform, it goes with its parent: why, and what to do instead (a billing link). */
    readonly goesOnlyWithParent?: string;
    /** A boolean field that, while true, blocks the object's deletion (a dataset's `activated`). */
    readonly deletionBlockedWhile?: string;
    /** Removed with its parent rather than blocking its deletion (memberships, a billing link). */
    readonly removedWithParent?: boolean;
    /** Objects of this kind block the deletion of their parent and of what they reference, said so (shares). */
    readonly blocksDeletion?: BlocksDeletion;
    /** The role each mutation needs (default: developer in the project, for project resources). */
    readonly requires: Readonly<Record<Mutation, Requirement>>;
}

const common = {
    description: f.description.describe("Free text, up to 256 characters.").optional(),
    labels: f.labels.describe("Up to 64 labels: keys `[a-z][-_0-9a-z]*`, values `[-_0-9a-z]*`, up to 63 characters each.").optional(),
};
const projectResource = {
    projectId: f.objectId.describe("Id of the project the resource belongs to."),
    name: f.dnsName.describe("`[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind."),
    ...common,
};
/** A project resource's parent: the project, whose organization and zone travel with it. */
const inProject: ParentDecl = {
    field: "projectId", kinds: ["Project"], arg: "project", doc: "The project.",
    facts: { organization: "organization", zone: "zone" },
};
const byName = (s: { readonly name?: unknown }) => String(s.name);

type Defaulted = "uniqueKey" | "label" | "references" | "secrets" | "context" | "outputs" | "requires";

function declare<Spec extends SpecSchema>(d: Omit<KindDecl<Spec>, Defaulted> & Partial<Pick<KindDecl<Spec>, Defaulted>>): KindDecl<Spec> {
    return {
        requires: forEvery("project", "developer", (m) => `${m} a project resource`),
        uniqueKey: byName,
        label: byName,
        references: [],
        secrets: [],
        context: ["organization", "zone"],
        outputs: {},
        ...d,
    };
}

const projectSettings = z.strictObject({
    serviceAccountId: f.text(50, "a service account id").describe("Service account the project's code runs as.").optional(),
    subnetId: f.text(50, "a subnet id").describe("Subnet for the project's VMs.").optional(),
    dataProcClusterId: f.text(50, "a Data Proc cluster id").describe("Data Proc cluster used by default.").optional(),
    securityGroupIds: z.array(f.text(50, "a security group id")).max(10, "must list at most 10 security groups").describe("Up to 10 security groups.").optional(),
    defaultFolderId: f.text(50, "a folder id").describe("Folder billed for cloud resources the project uses.").optional(),
    ide: f.withFix(z.enum(["JUPYTER_LAB"], { message: "must be JUPYTER_LAB" }), "Set ide to \"JUPYTER_LAB\".").describe("The IDE: only JUPYTER_LAB.").optional(),
    staleExecTimeoutMode: f.withFix(
        z.enum(["ONE_HOUR", "THREE_HOURS", "NO_TIMEOUT"], { message: "must be ONE_HOUR, THREE_HOURS or NO_TIMEOUT" }),
        "Choose ONE_HOUR, THREE_HOURS or NO_TIMEOUT.",
    ).describe("When idle executions are stopped.").optional(),
    vmInactivityTimeoutSeconds: f.nonNegativeInt(7 * 24 * 3600, "seconds").describe("Seconds of inactivity before the VM stops (0 to 604800).").optional(),
}).meta({ typeName: "ProjectSettings", typeDoc: "Settings of a project's environment." });

const projectLimits = z.strictObject({
    maxUnitsPerHour: f.nonNegativeInt(1_000_000, "units").describe("Most units the project may spend per hour (0 to 1000000).").optional(),
    maxUnitsPerExecution: f.nonNegativeInt(1_000_000, "units").describe("Most units one execution may spend (0 to 1000000).").optional(),
}).meta({ typeName: "ProjectLimits", typeDoc: "Spending limits of a project." });

const clusterSpec = z.strictObject({
    version: f.withFix(z.string().regex(/^\d+\.\d+$/, "must be a version like 2.1"), "Use a Data Proc image version such as \"2.1\".").describe("Data Proc image version, e.g. \"2.1\"."),
    masterPreset: f.text(64, "a host preset such as s2.small").describe("Host preset of the master, e.g. s2.small."),
    computePreset: f.text(64, "a host preset such as s2.medium").describe("Host preset of compute hosts, e.g. s2.medium."),
    computeHosts: f.positiveInt(32, "hosts").describe("Number of compute hosts (1 to 32)."),
    diskGb: f.positiveInt(4096, "gigabytes").describe("Disk per host in GB (1 to 4096)."),
}).meta({ typeName: "ClusterSpec", typeDoc: "A Data Proc cluster: image version, host presets, hosts and disk." });

const DECLARATIONS = {
    Organization: declare({
        kind: "Organization", idPrefix: "org", named: true, context: [], foundsOrganization: true,
        requires: forEvery("organization", "organization admin", (m) => `${m} an organization`),
        summary: "An organization: owns communities and billing accounts. The platform creates its default community \"<displayName> Team\" with it; that community cannot be deleted and every member is a developer in it. The acting principal becomes the organization's owner.",
        spec: z.strictObject({
            name: f.dnsName.describe("Unique name of the organization (lowercase letters, digits, hyphens); known during preview, used by plan-time rules."),
            displayName: f.displayName.describe("Display name; the default community is called \"<displayName> Team\" and follows renames."),
            defaultZone: f.zone.describe("Zone of the default community, e.g. ru-central1-a."),
            ...common,
            admins: z.array(f.subject).max(100, "must list at most 100 subjects").describe("Organization admins (up to 100 subjects): community admins everywhere in the organization.").optional(),
            members: z.array(f.subject).max(1000, "must list at most 1000 subjects").describe("Organization members (up to 1000 subjects): developers in the default community.").optional(),
        }),
        immutable: ["name", "defaultZone"],
        outputs: {
            defaultCommunityId: f.objectId.describe("Id of the default community \"<displayName> Team\"."),
            defaultCommunityName: z.string().describe("Name of the default community."),
        },
    }),
    BillingAccount: declare({
        kind: "BillingAccount", idPrefix: "bla", named: true, context: ["organization"],
        requires: forEvery("organization", "organization admin", (m) => `${m} a billing account`),
        summary: "A billing account that pays for the communities of its organization linked to it.",
        spec: z.strictObject({
            organizationId: f.objectId.describe("Id of the organization that owns the account."),
            name: f.dnsName.describe("Name unique in the organization."),
            status: f.withFix(z.enum(["active", "suspended"], { message: "must be active or suspended" }), "Set status to \"active\" or \"suspended\".")
                .describe("`active` or `suspended`. Only active accounts can be linked, and projects need one."),
        }),
        parent: { field: "organizationId", kinds: ["Organization"], arg: "organization", doc: "The organization that owns the account.", facts: { organization: "name" } },
        immutable: ["organizationId"],
    }),
    BillingLink: declare({
        kind: "BillingLink", idPrefix: "bll", named: false, context: ["organization"],
        requires: forEvery("community", "editor", () => "link a billing account"),
        summary: "Links a community to an active billing account; projects can be created only in a linked community. The other way to bill a community is its own `billingAccount`, set when it is created: a community has one or the other, never both. The platform never removes a link, only re-points it: deleting this resource leaves the link in place until the community itself is deleted.",
        spec: z.strictObject({
            communityId: f.objectId.describe("Id of the community paid for."),
            billingAccountId: f.objectId.describe("Id of the billing account that pays."),
        }),
        parent: {
            field: "communityId", kinds: ["Community"], arg: "community", doc: "The community to pay for.",
            facts: { organization: "organization" }, constructed: "noteBillingLink",
        },
        references: [{ path: "billingAccountId", kinds: ["BillingAccount"], arg: "billingAccount", doc: "An active billing account of the same organization. Changing it re-links the community." }],
        immutable: ["communityId"], removedWithParent: true,
        goesOnlyWithParent: "a community's billing link can only be pointed at another active billing account. Change billingAccount instead; deleting the community removes its link.",
        uniqueKey: () => "billing",
        label: (s) => `billing link of ${s.communityId}`,
    }),
    Community: declare({
        kind: "Community", idPrefix: "com", named: true, context: ["organization"], zoneField: "zone",
        requires: {
            ...forEvery("community", "editor", (m) => `${m} a community`),
            create: { scope: "organization", role: "organization member", what: "create a community" },
        },
        summary: "A team's space, pinned for life to one availability zone; holds projects, receives shared resources, and may link a Slack or Telegram channel for its members to talk in.",
        spec: z.strictObject({
            organizationId: f.objectId.describe("Id of the organization."),
            name: f.communityName.describe("Up to 63 characters, no whitespace, unique in the organization."),
            ...common,
            zone: f.zone.describe("Availability zone, e.g. ru-central1-a; all the community's projects and resources live there."),
            chatChannel: f.chatChannel.describe(
                "A Slack or Telegram channel linked to the community so that its members can talk: a change re-links it in place, removing it unlinks. " +
                "A feature of this provider's own control plane (embedded or served): the DataSphere API has no call for it, so the DataSphere backend refuses it.",
            ).optional(),
            // Not immutable: replacing a community deletes its projects, so a new account is never a replacement.
            billingAccountId: f.objectId.describe(
                "Id of the billing account that pays for the community, set when it is created: its projects then need no BillingLink. " +
                "A community is billed either this way or by a BillingLink, never both. DataSphere takes it only at creation and cannot read it back or change it.",
            ).optional(),
        }),
        parent: { field: "organizationId", kinds: ["Organization"], arg: "organization", doc: "The organization.", facts: { organization: "name" } },
        references: [{
            path: "billingAccountId", kinds: ["BillingAccount"], arg: "billingAccount", constructed: "noteBillingAccount",
            doc: "An active billing account of the same organization that pays for the community from its creation, instead of a BillingLink (never both). "
                + "A change re-points the billing of the same community, never replaces it; with mlplatform:backend datasphere it cannot change (the API sets it only at creation).",
        }],
        immutable: ["organizationId", "zone"],
    }),
    CommunityMember: declare({
        kind: "CommunityMember", idPrefix: "cmm", named: false, context: ["organization"],
        requires: forEvery("community", "admin", () => "grant community roles"),
        summary: "One subject's role in a community. Per member: removing it never touches anyone else's role.",
        spec: z.strictObject({
            communityId: f.objectId.describe("Id of the community."),
            subject: f.subject.describe("Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`."),
            role: f.role.describe("viewer, developer, editor or admin."),
        }),
        parent: { field: "communityId", kinds: ["Community"], arg: "community", doc: "The community.", facts: { organization: "organization" } },
        immutable: ["communityId", "subject"], removedWithParent: true,
        uniqueKey: (s) => String(s.subject),
        label: (s) => String(s.subject),
    }),
    Project: declare({
        kind: "Project", idPrefix: "prj", named: true, context: ["organization", "zone", "communityBillingLinked", "communityName"],
        requires: {
            ...forEvery("project", "editor", (m) => `${m === "update" ? "edit" : m} a project`),
            create: { scope: "community", role: "developer", what: "create a project" },
        },
        summary: "A workspace in a community, with settings, limits and a unit balance.",
        spec: z.strictObject({
            communityId: f.objectId.describe("Id of the community."),
            name: f.dnsName.describe("`[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique in the community."),
            ...common,
            settings: projectSettings.describe("Settings of the project's environment.").optional(),
            limits: projectLimits.describe("Spending limits.").optional(),
            unitBalance: f.nonNegativeInt(1_000_000_000, "units").describe("Units available to the project (0 to 1000000000).").optional(),
        }),
        parent: {
            field: "communityId", kinds: ["Community"], arg: "community", doc: "The community; it needs an active billing account: its own `billingAccount`, or a BillingLink.",
            facts: { organization: "organization", zone: "zone" }, moreFacts: "billingFacts", constructed: "noteProjectCommunity",
        },
        immutable: ["communityId"],
    }),
    ProjectMember: declare({
        kind: "ProjectMember", idPrefix: "pjm", named: false, context: ["organization"],
        requires: forEvery("project", "admin", () => "grant project roles"),
        summary: "One subject's role in a project. Per member: removing it never touches anyone else's role.",
        spec: z.strictObject({
            projectId: f.objectId.describe("Id of the project."),
            subject: f.subject.describe("Who: `userAccount:<id>`, `serviceAccount:<id>`, `federatedUser:<id>` or `group:<id>`."),
            role: f.role.describe("viewer, developer, editor or admin."),
        }),
        parent: { field: "projectId", kinds: ["Project"], arg: "project", doc: "The project.", facts: { organization: "organization" } },
        immutable: ["projectId", "subject"], removedWithParent: true,
        uniqueKey: (s) => String(s.subject),
        label: (s) => String(s.subject),
    }),
    Dataset: declare({
        kind: "Dataset", idPrefix: "dts", named: true,
        summary: "A fixed-size disk of data for fast access in a project. Its size cannot change; it can be activated.",
        spec: z.strictObject({
            ...projectResource,
            sizeGb: f.positiveInt(4096, "gigabytes").describe("Size in GB (1 to 4096)."),
            activated: z.boolean({ message: "must be true or false" }).describe("Whether the dataset is attached to the project. An activated dataset cannot be deleted.").optional(),
        }),
        parent: inProject,
        immutable: ["projectId", "sizeGb"], deletionBlockedWhile: "activated",
    }),
    Secret: declare({
        kind: "Secret", idPrefix: "sec", named: true,
        summary: "A named secret value, encrypted at rest; cells read it as an environment variable.",
        spec: z.strictObject({ ...projectResource, value: f.secretText("the secret value").describe("The secret value (1 byte to 64 KiB).") }),
        parent: inProject,
        immutable: ["projectId"],
        secrets: ["value"],
    }),
    DockerImage: declare({
        kind: "DockerImage", idPrefix: "dki", named: true,
        summary: "A Docker image reference a project runs in, with optional registry credentials.",
        spec: z.strictObject({
            ...projectResource,
            image: f.imageReference.describe("Image reference, e.g. cr.yandex/crp123/trainer:1.4."),
            registryUsername: f.secretText("the registry user name").describe("Registry user name.").optional(),
            registryPassword: f.secretText("the registry password").describe("Registry password.").optional(),
        }),
        parent: inProject,
        immutable: ["projectId"],
        secrets: ["registryUsername", "registryPassword"],
    }),
    S3Connector: declare({
        kind: "S3Connector", idPrefix: "s3c", named: true,
        summary: "A saved connection to an object storage bucket, mountable into a project.",
        spec: z.strictObject({
            ...projectResource,
            bucket: f.bucket.describe("Bucket name, as in object storage."),
            endpoint: f.uri("endpoint", ["https", "http"]).describe("Object storage endpoint: an https:// or http:// URL.").optional(),
            mountMode: f.withFix(z.enum(["READ_ONLY", "READ_WRITE"], { message: "must be READ_ONLY or READ_WRITE" }), "Set mountMode to \"READ_ONLY\" or \"READ_WRITE\".")
                .describe("READ_ONLY or READ_WRITE.").optional(),
            accessKeyId: f.secretText("the access key id").describe("Access key id."),
            secretAccessKey: f.secretText("the secret access key").describe("Secret access key."),
        }),
        parent: inProject,
        immutable: ["projectId"],
        secrets: ["accessKeyId", "secretAccessKey"],
    }),
    Node: declare({
        kind: "Node", idPrefix: "nod", named: true,
        summary: "A deployed service running a model or image. Its instances may run in another zone than its community.",
        spec: z.strictObject({
            ...projectResource,
            image: f.imageReference.describe("Docker image the node serves. Set exactly one of image and model.").optional(),
            modelId: f.objectId.describe("Id of the model the node serves.").optional(),
            instanceSpec: z.strictObject({
                cpu: f.positiveInt(64, "vCPUs").describe("vCPUs per instance (1 to 64)."),
                memoryGb: f.positiveInt(512, "gigabytes").describe("Memory per instance in GB (1 to 512)."),
                gpu: f.nonNegativeInt(8, "GPUs").describe("GPUs per instance (0 to 8).").optional(),
            }).meta({ typeName: "InstanceSpec", typeDoc: "Size of each instance of a node." }).describe("Size of each instance."),
            instanceZone: f.zone.describe("Zone the instances run in; may differ from the community's zone.").optional(),
            replicas: f.positiveInt(16, "replicas").describe("Number of instances (1 to 16).").optional(),
        }),
        parent: inProject,
        references: [{ path: "modelId", kinds: ["Model"], arg: "model", doc: "A model of the same project the node serves. Set exactly one of image and model.", sameParent: true }],
        immutable: ["projectId"],
    }),
    Alias: declare({
        kind: "Alias", idPrefix: "als", named: true,
        summary: "Publishes a service and spreads its load over nodes of the same project by weight.",
        spec: z.strictObject({
            ...projectResource,
            nodes: z.array(z.strictObject({
                nodeId: f.objectId.describe("Id of a node of the same project."),
                weight: f.positiveInt(100, "weight points").describe("Share of the traffic (1 to 100), relative to the other targets."),
            })).min(1, "must list at least one node").max(10, "must list at most 10 nodes")
                .describe("1 to 10 nodes of the same project and their weights. Nodes can be switched while the alias runs."),
        }),
        parent: inProject,
        references: [{ path: "nodes[].nodeId", kinds: ["Node"], arg: "node", doc: "A node of the same project.", itemType: "AliasTarget", moreFacts: "repeatedTargets", sameParent: true }],
        immutable: ["projectId"],
    }),
    DataProcTemplate: declare({
        kind: "DataProcTemplate", idPrefix: "dpt", named: true,
        summary: "A ready Data Proc cluster configuration that a project deploys on demand.",
        spec: z.strictObject({ ...projectResource, cluster: clusterSpec.describe("The cluster the template deploys.") }),
        parent: inProject,
        immutable: ["projectId"],
    }),
    Model: declare({
        kind: "Model", idPrefix: "mdl", named: true,
        summary: "A saved trained model.",
        spec: z.strictObject({
            ...projectResource,
            framework: f.withFix(z.enum(["pytorch", "tensorflow", "sklearn", "catboost", "onnx", "other"], { message: "must be pytorch, tensorflow, sklearn, catboost, onnx or other" }), "Choose one of pytorch, tensorflow, sklearn, catboost, onnx, other.")
                .describe("pytorch, tensorflow, sklearn, catboost, onnx or other.").optional(),
            sourceUri: f.uri("sourceUri", ["s3", "https"]).describe("Where the weights are: an s3:// or https:// URL.").optional(),
        }),
        parent: inProject,
        immutable: ["projectId"],
    }),
    SparkConnector: declare({
        kind: "SparkConnector", idPrefix: "spc", named: true,
        summary: "A saved connection to an existing Data Proc cluster, or the spec of a temporary one, for Spark sessions.",
        spec: z.strictObject({
            ...projectResource,
            cluster: z.discriminatedUnion("type", [
                z.strictObject({ type: z.literal("existing"), clusterId: f.text(50, "the Data Proc cluster id").describe("Id of the Data Proc cluster.") }),
                z.strictObject({ type: z.literal("temporary"), spec: clusterSpec.describe("The cluster created per session.") }),
            ], { message: "must be { type: \"existing\", clusterId } or { type: \"temporary\", spec }" })
                .meta({ typeName: "SparkCluster", typeDoc: "An existing Data Proc cluster, or the spec of a temporary one." })
                .describe("An existing Data Proc cluster, or the spec of a temporary one created per session."),
        }),
        parent: inProject,
        immutable: ["projectId"],
    }),
    Checkpoint: declare({
        kind: "Checkpoint", idPrefix: "ckp", named: true, versioned: true,
        summary: "A saved interpreter state. Every change makes a new numbered version (see `version`); earlier versions stay listable.",
        spec: z.strictObject({
            ...projectResource,
            sourceUri: f.uri("sourceUri", ["s3", "https"]).describe("Where the saved state is: an s3:// or https:// URL."),
            notebookPath: f.text(1024, "the notebook path").describe("Notebook the state belongs to.").optional(),
        }),
        parent: inProject,
        immutable: ["projectId"],
    }),
    Share: declare({
        kind: "Share", idPrefix: "shr", named: false,
        // And developer in the target community (rules/roles.ts SHARE_TARGET_REQUIREMENT).
        requires: forEvery("project", "editor", () => "share a project resource"),
        context: ["resourceName", "resourceZone", "resourceOrganization", "communityName", "communityZone", "communityOrganization"],
        summary: "Publishes a project resource into a community of the same organization and availability zone: every member of it can use the resource. Sharing across organizations or zones is refused in `pulumi preview`, naming both sides.",
        spec: z.strictObject({
            resourceId: f.objectId.describe("Id of the shared resource."),
            resourceKind: shareableKind,
            communityId: f.objectId.describe("Id of the community it is published into."),
        }),
        parent: {
            field: "resourceId", kinds: [...SHAREABLE_KINDS], arg: "resource", doc: "The project resource to publish.", kindField: "resourceKind",
            facts: { resourceName: "name", resourceZone: "zone", resourceOrganization: "organization" },
        },
        references: [{
            path: "communityId", kinds: ["Community"], arg: "community", doc: "A community of the same organization and the same availability zone.",
            facts: { communityName: "name", communityZone: "zone", communityOrganization: "organization" },
        }],
        immutable: ["resourceId", "resourceKind", "communityId"],
        blocksDeletion: { noun: "share", ofParent: "it is shared", ofReferenced: "resources are shared into it" },
        uniqueKey: (s) => String(s.communityId),
        label: (s) => `${s.resourceKind} ${s.resourceId} -> community ${s.communityId}`,
    }),
    // ProjectService.AddResource / RemoveResource. Not "ProjectResource" (every kind whose parent is a project is
    // one) nor "Activation" (a dataset's `activated` is that): a project's use of what another team shares.
    SharedResourceUse: declare({
        kind: "SharedResourceUse", idPrefix: "use", named: false,
        requires: {
            create: { scope: "project", role: "developer", what: "add a shared resource to a project" },
            update: { scope: "project", role: "developer", what: "change a project's use of a shared resource" },
            delete: { scope: "project", role: "developer", what: "remove a shared resource from a project" },
        },
        context: [
            "organization", "zone", "projectName", "projectCommunityId", "projectCommunityName",
            "resourceKind", "resourceName", "shareCommunityId", "communityName", "communityZone", "communityOrganization",
        ],
        summary: "Adds a resource shared into a community to a project of that community, so that the project's code can use it (ProjectService.AddResource). Only a project of the community the share publishes into can use it: a project of another community, zone or organization is refused in `pulumi preview`, naming both sides. While a project uses it, the share cannot be deleted.",
        spec: z.strictObject({
            projectId: f.objectId.describe("Id of the project that uses the shared resource."),
            shareId: f.objectId.describe("Id of the share that publishes the resource into the project's community."),
        }),
        parent: {
            field: "projectId", kinds: ["Project"], arg: "project", doc: "A project of the community the resource is shared into.",
            facts: { organization: "organization", zone: "zone", projectName: "name", projectCommunityId: "communityId" },
            moreFacts: "projectCommunityFacts",
        },
        references: [{
            path: "shareId", kinds: ["Share"], arg: "share", doc: "The share that publishes the resource into the project's community.",
            facts: {
                resourceKind: "resourceKind", resourceName: "resourceName", shareCommunityId: "communityId",
                communityName: "communityName", communityZone: "communityZone", communityOrganization: "communityOrganization",
            },
        }],
        immutable: ["projectId", "shareId"],
        // A project using it keeps the share (and so the resource) in place; so does the project itself.
        blocksDeletion: { noun: "use", ofParent: "it uses shared resources", ofReferenced: "projects use it" },
        uniqueKey: (s) => String(s.shareId),
        label: (s) => `share ${s.shareId} in project ${s.projectId}`,
    }),
} satisfies Record<KindName, KindDecl>;

/** Every kind's declaration, for code over all kinds; `SpecOf` keeps one kind's own field types. */
export const KINDS: Readonly<Record<KindName, KindDecl>> = DECLARATIONS;

/** The fields of one kind as its schema infers them, e.g. `SpecOf<"Share">["communityId"]` is a string. */
export type SpecOf<K extends KindName> = z.output<(typeof DECLARATIONS)[K]["spec"]>;


export function kindOf(name: string): KindDecl {
    const decl = (KINDS as Record<string, KindDecl>)[name];
    if (!decl) throw new Error(`unknown kind "${name}"; expected one of ${KIND_NAMES.join(", ")}`);
    return decl;
}

export function isKindName(name: unknown): name is KindName {
    return typeof name === "string" && (KIND_NAMES as readonly string[]).includes(name);
}

/** Kinds whose parent is a project and that have a name there: its resources, not its members or shared resources it uses. */
export const PROJECT_RESOURCE_KINDS = KIND_NAMES.filter((k) => KINDS[k].parent?.kinds.includes("Project") && KINDS[k].named);

/** The plan-time facts that hold an object's id, and the kind of that object. */
const CONTEXT_ID_KINDS: Partial<Record<ContextField, KindName>> = { projectCommunityId: "Community", shareCommunityId: "Community" };

/**
 * Every field of a kind that holds an object's id, and the kinds that object may be: its parent, its references and
 * the plan-time facts naming an object. The check validates these against the id shape of the backend in use (ids.ts).
 */
export function idFields(decl: KindDecl): { readonly path: string; readonly kinds: readonly KindName[] }[] {
    return [
        ...(decl.parent ? [{ path: decl.parent.field, kinds: decl.parent.kinds }] : []),
        ...decl.references.map((r) => ({ path: r.path, kinds: r.kinds })),
        ...decl.context.flatMap((field) => (CONTEXT_ID_KINDS[field] ? [{ path: field, kinds: [CONTEXT_ID_KINDS[field]!] }] : [])),
    ];
}

/** The values a reference path points at, e.g. `nodes[].nodeId` -> every node id. */
export function referencedIds(spec: Readonly<Record<string, unknown>>, path: string): string[] {
    const walk = (value: unknown, parts: string[]): string[] => {
        if (parts.length === 0) return typeof value === "string" ? [value] : [];
        if (typeof value !== "object" || value === null) return [];
        const [head, ...rest] = parts;
        const fields = value as Record<string, unknown>;
        if (head.endsWith("[]")) {
            const list = fields[head.slice(0, -2)];
            return Array.isArray(list) ? list.flatMap((item) => walk(item, rest)) : [];
        }
        return walk(fields[head], rest);
    };
    return walk(spec, path.split("."));
}

export type Spec = Record<string, unknown>;
