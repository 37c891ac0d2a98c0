// Every kind the platform knows is declared here, once. The control plane, the plan engine, the dynamic
// provider adapters and the SDK all read these declarations; nothing else lists fields or rules per kind.
import { z } from "zod";
import * as f from "./fields";

export const KIND_NAMES = [
    "Organization", "BillingAccount", "BillingLink", "Community", "CommunityMember", "Project", "ProjectMember",
    "Dataset", "Secret", "DockerImage", "S3Connector", "Node", "Alias", "DataProcTemplate", "Model",
    "SparkConnector", "Checkpoint", "Share",
] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** Project resources the platform API can publish into a community. */
export const SHAREABLE_KINDS = ["Dataset", "Secret", "DockerImage", "S3Connector", "Node", "Alias"] as const;
export type ShareableKind = (typeof SHAREABLE_KINDS)[number];

/** Plan-time facts a kind carries as inputs so that rules can decide in `pulumi preview` (see README). */
export type ContextField =
    | "organization" | "zone"
    | "resourceName" | "resourceZone" | "resourceOrganization"
    | "communityName" | "communityZone" | "communityOrganization"
    | "communityBillingLinked";

export const contextSchemas: Record<ContextField, z.ZodType> = {
    organization: f.dnsName,
    zone: f.zone,
    resourceName: z.string().min(1),
    resourceZone: f.zone,
    resourceOrganization: f.dnsName,
    communityName: z.string().min(1),
    communityZone: f.zone,
    communityOrganization: f.dnsName,
    communityBillingLinked: z.boolean({ message: "must be true or false" }),
};

export interface ReferenceDecl {
    /** Dotted path to the id; `[]` marks an array (e.g. `nodes[].nodeId`). */
    readonly path: string;
    readonly kinds: readonly KindName[];
}

export interface KindDecl {
    readonly kind: KindName;
    /** Three letters that start every id of this kind. */
    readonly idPrefix: string;
    /** One line for docs and errors. */
    readonly summary: string;
    /** Everything the control plane stores, including the parent id field. Strict: typos are errors. */
    readonly spec: z.ZodObject<z.ZodRawShape>;
    /** The field holding the parent's id, and which kinds the parent may be. */
    readonly parent?: { readonly field: string; readonly kinds: readonly KindName[] };
    /** Other objects this one points at; the platform refuses to delete an object something points at. */
    readonly references: readonly ReferenceDecl[];
    /** Fields the platform can never change: a change plans a replacement. */
    readonly immutable: readonly string[];
    /** Fields stored encrypted, never returned in plain text, always secret in Pulumi state. */
    readonly secrets: readonly string[];
    /** Whether the kind has a `name` (autonamed by the provider when the program does not set one). */
    readonly named: boolean;
    /** What must be unique among siblings under the same parent (default: the name). */
    readonly uniqueKey: (spec: Record<string, any>) => string;
    /** Human-readable label for messages when the kind has no name. */
    readonly label: (spec: Record<string, any>) => string;
    /** Plan-time facts carried as inputs. */
    readonly context: readonly ContextField[];
    /** Every update keeps the previous state as a numbered version. */
    readonly versioned?: boolean;
}

const common = { description: f.description.optional(), labels: f.labels.optional() };
const projectResource = { projectId: f.objectId, name: f.dnsName, ...common };
const byName = (s: Record<string, any>) => String(s.name);

function declare(d: Omit<KindDecl, "uniqueKey" | "label" | "references" | "secrets" | "context"> &
    Partial<Pick<KindDecl, "uniqueKey" | "label" | "references" | "secrets" | "context">>): KindDecl {
    return {
        uniqueKey: byName,
        label: byName,
        references: [],
        secrets: [],
        context: ["organization", "zone"],
        ...d,
    };
}

const projectSettings = z.strictObject({
    serviceAccountId: f.text(50, "a service account id").optional(),
    subnetId: f.text(50, "a subnet id").optional(),
    dataProcClusterId: f.text(50, "a Data Proc cluster id").optional(),
    securityGroupIds: z.array(f.text(50, "a security group id")).max(10, "must list at most 10 security groups").optional(),
    defaultFolderId: f.text(50, "a folder id").optional(),
    ide: f.withFix(z.enum(["JUPYTER_LAB"], { message: "must be JUPYTER_LAB" }), "Set ide to \"JUPYTER_LAB\".").optional(),
    staleExecTimeoutMode: f.withFix(
        z.enum(["ONE_HOUR", "THREE_HOURS", "NO_TIMEOUT"], { message: "must be ONE_HOUR, THREE_HOURS or NO_TIMEOUT" }),
        "Choose ONE_HOUR, THREE_HOURS or NO_TIMEOUT.",
    ).optional(),
    vmInactivityTimeoutSeconds: f.nonNegativeInt(7 * 24 * 3600, "seconds").optional(),
});

const projectLimits = z.strictObject({
    maxUnitsPerHour: f.nonNegativeInt(1_000_000, "units").optional(),
    maxUnitsPerExecution: f.nonNegativeInt(1_000_000, "units").optional(),
});

const clusterSpec = z.strictObject({
    version: f.withFix(z.string().regex(/^\d+\.\d+$/, "must be a version like 2.1"), "Use a Data Proc image version such as \"2.1\"."),
    masterPreset: f.text(64, "a host preset such as s2.small"),
    computePreset: f.text(64, "a host preset such as s2.medium"),
    computeHosts: f.positiveInt(32, "hosts"),
    diskGb: f.positiveInt(4096, "gigabytes"),
});

export const KINDS: Record<KindName, KindDecl> = {
    Organization: declare({
        kind: "Organization", idPrefix: "org", named: true, context: [],
        summary: "An organization; owns communities and billing accounts. Its default community \"<displayName> Team\" is created with it.",
        spec: z.strictObject({
            name: f.dnsName,
            displayName: f.displayName,
            defaultZone: f.zone,
            ...common,
            admins: z.array(f.subject).max(100, "must list at most 100 subjects").optional(),
            members: z.array(f.subject).max(1000, "must list at most 1000 subjects").optional(),
        }),
        immutable: ["name", "defaultZone"],
    }),
    BillingAccount: declare({
        kind: "BillingAccount", idPrefix: "bla", named: true, context: ["organization"],
        summary: "A billing account that pays for communities of its organization.",
        spec: z.strictObject({
            organizationId: f.objectId,
            name: f.dnsName,
            status: f.withFix(z.enum(["active", "suspended"], { message: "must be active or suspended" }), "Set status to \"active\" or \"suspended\"."),
        }),
        parent: { field: "organizationId", kinds: ["Organization"] },
        immutable: ["organizationId"],
    }),
    BillingLink: declare({
        kind: "BillingLink", idPrefix: "bll", named: false, context: ["organization"],
        summary: "Links a community to an active billing account. Cannot be removed, only pointed at another active account.",
        spec: z.strictObject({ communityId: f.objectId, billingAccountId: f.objectId }),
        parent: { field: "communityId", kinds: ["Community"] },
        references: [{ path: "billingAccountId", kinds: ["BillingAccount"] }],
        immutable: ["communityId"],
        uniqueKey: () => "billing",
        label: (s) => `billing link of ${s.communityId}`,
    }),
    Community: declare({
        kind: "Community", idPrefix: "com", named: true, context: ["organization"],
        summary: "A team's space in one availability zone; holds projects and receives shared resources.",
        spec: z.strictObject({ organizationId: f.objectId, name: f.communityName, ...common, zone: f.zone }),
        parent: { field: "organizationId", kinds: ["Organization"] },
        immutable: ["organizationId", "zone"],
    }),
    CommunityMember: declare({
        kind: "CommunityMember", idPrefix: "cmm", named: false, context: ["organization"],
        summary: "One subject's role in a community. Per member: removing it never touches anyone else's role.",
        spec: z.strictObject({ communityId: f.objectId, subject: f.subject, role: f.role }),
        parent: { field: "communityId", kinds: ["Community"] },
        immutable: ["communityId", "subject"],
        uniqueKey: (s) => String(s.subject),
        label: (s) => String(s.subject),
    }),
    Project: declare({
        kind: "Project", idPrefix: "prj", named: true, context: ["organization", "zone", "communityBillingLinked", "communityName"],
        summary: "A workspace in a community, with settings, limits and a unit balance.",
        spec: z.strictObject({
            communityId: f.objectId, name: f.dnsName, ...common,
            settings: projectSettings.optional(),
            limits: projectLimits.optional(),
            unitBalance: f.nonNegativeInt(1_000_000_000, "units").optional(),
        }),
        parent: { field: "communityId", kinds: ["Community"] },
        immutable: ["communityId"],
    }),
    ProjectMember: declare({
        kind: "ProjectMember", idPrefix: "pjm", named: false, context: ["organization"],
        summary: "One subject's role in a project. Per member: removing it never touches anyone else's role.",
        spec: z.strictObject({ projectId: f.objectId, subject: f.subject, role: f.role }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId", "subject"],
        uniqueKey: (s) => String(s.subject),
        label: (s) => String(s.subject),
    }),
    Dataset: declare({
        kind: "Dataset", idPrefix: "dts", named: true,
        summary: "A fixed-size disk of data for fast access in a project. Its size cannot change; it can be activated.",
        spec: z.strictObject({ ...projectResource, sizeGb: f.positiveInt(4096, "gigabytes"), activated: z.boolean({ message: "must be true or false" }).optional() }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId", "sizeGb"],
    }),
    Secret: declare({
        kind: "Secret", idPrefix: "sec", named: true,
        summary: "A named secret value, encrypted at rest; cells read it as an environment variable.",
        spec: z.strictObject({ ...projectResource, value: f.secretText("the secret value") }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
        secrets: ["value"],
    }),
    DockerImage: declare({
        kind: "DockerImage", idPrefix: "dki", named: true,
        summary: "A Docker image reference a project runs in, with optional registry credentials.",
        spec: z.strictObject({
            ...projectResource, image: f.imageReference,
            registryUsername: f.secretText("the registry user name").optional(),
            registryPassword: f.secretText("the registry password").optional(),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
        secrets: ["registryUsername", "registryPassword"],
    }),
    S3Connector: declare({
        kind: "S3Connector", idPrefix: "s3c", named: true,
        summary: "A saved connection to an object storage bucket, mountable into a project.",
        spec: z.strictObject({
            ...projectResource, bucket: f.bucket,
            endpoint: f.uri("endpoint", ["https", "http"]).optional(),
            mountMode: f.withFix(z.enum(["READ_ONLY", "READ_WRITE"], { message: "must be READ_ONLY or READ_WRITE" }), "Set mountMode to \"READ_ONLY\" or \"READ_WRITE\".").optional(),
            accessKeyId: f.secretText("the access key id"),
            secretAccessKey: f.secretText("the secret access key"),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
        secrets: ["accessKeyId", "secretAccessKey"],
    }),
    Node: declare({
        kind: "Node", idPrefix: "nod", named: true,
        summary: "A deployed service running a model or image. Its instances may run in another zone than its community.",
        spec: z.strictObject({
            ...projectResource,
            image: f.imageReference.optional(),
            modelId: f.objectId.optional(),
            instanceSpec: z.strictObject({
                cpu: f.positiveInt(64, "vCPUs"),
                memoryGb: f.positiveInt(512, "gigabytes"),
                gpu: f.nonNegativeInt(8, "GPUs").optional(),
            }),
            instanceZone: f.zone.optional(),
            replicas: f.positiveInt(16, "replicas").optional(),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        references: [{ path: "modelId", kinds: ["Model"] }],
        immutable: ["projectId"],
    }),
    Alias: declare({
        kind: "Alias", idPrefix: "als", named: true,
        summary: "Publishes a service and spreads its load over nodes of the same project by weight.",
        spec: z.strictObject({
            ...projectResource,
            nodes: z.array(z.strictObject({ nodeId: f.objectId, weight: f.positiveInt(100, "weight points") }))
                .min(1, "must list at least one node").max(10, "must list at most 10 nodes"),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        references: [{ path: "nodes[].nodeId", kinds: ["Node"] }],
        immutable: ["projectId"],
    }),
    DataProcTemplate: declare({
        kind: "DataProcTemplate", idPrefix: "dpt", named: true,
        summary: "A ready Data Proc cluster configuration that a project deploys on demand.",
        spec: z.strictObject({ ...projectResource, cluster: clusterSpec }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
    }),
    Model: declare({
        kind: "Model", idPrefix: "mdl", named: true,
        summary: "A saved trained model.",
        spec: z.strictObject({
            ...projectResource,
            framework: f.withFix(z.enum(["pytorch", "tensorflow", "sklearn", "catboost", "onnx", "other"], { message: "must be pytorch, tensorflow, sklearn, catboost, onnx or other" }), "Choose one of pytorch, tensorflow, sklearn, catboost, onnx, other.").optional(),
            sourceUri: f.uri("sourceUri", ["s3", "https"]).optional(),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
    }),
    SparkConnector: declare({
        kind: "SparkConnector", idPrefix: "spc", named: true,
        summary: "A saved connection to an existing Data Proc cluster, or the spec of a temporary one.",
        spec: z.strictObject({
            ...projectResource,
            cluster: z.discriminatedUnion("type", [
                z.strictObject({ type: z.literal("existing"), clusterId: f.text(50, "the Data Proc cluster id") }),
                z.strictObject({ type: z.literal("temporary"), spec: clusterSpec }),
            ], { message: "must be { type: \"existing\", clusterId } or { type: \"temporary\", spec }" }),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
    }),
    Checkpoint: declare({
        kind: "Checkpoint", idPrefix: "ckp", named: true, versioned: true,
        summary: "A saved interpreter state. Every change makes a new numbered version; earlier versions stay listable.",
        spec: z.strictObject({
            ...projectResource,
            sourceUri: f.uri("sourceUri", ["s3", "https"]),
            notebookPath: f.text(1024, "the notebook path").optional(),
        }),
        parent: { field: "projectId", kinds: ["Project"] },
        immutable: ["projectId"],
    }),
    Share: declare({
        kind: "Share", idPrefix: "shr", named: false,
        context: ["resourceName", "resourceZone", "resourceOrganization", "communityName", "communityZone", "communityOrganization"],
        summary: "Publishes a project resource into a community of the same organization and availability zone.",
        spec: z.strictObject({
            resourceId: f.objectId,
            resourceKind: f.withFix(z.enum(SHAREABLE_KINDS, { message: `must be one of ${SHAREABLE_KINDS.join(", ")}` }),
                `Share only ${SHAREABLE_KINDS.join(", ")}.`),
            communityId: f.objectId,
        }),
        parent: { field: "resourceId", kinds: [...SHAREABLE_KINDS] },
        references: [{ path: "communityId", kinds: ["Community"] }],
        immutable: ["resourceId", "resourceKind", "communityId"],
        uniqueKey: (s) => String(s.communityId),
        label: (s) => `${s.resourceKind} ${s.resourceId} -> community ${s.communityId}`,
    }),
};

export function kindOf(name: string): KindDecl {
    const decl = (KINDS as Record<string, KindDecl>)[name];
    if (!decl) throw new Error(`unknown kind "${name}"; expected one of ${KIND_NAMES.join(", ")}`);
    return decl;
}

export function isKindName(name: unknown): name is KindName {
    return typeof name === "string" && (KIND_NAMES as readonly string[]).includes(name);
}

/** Kinds whose parent is a project. */
export const PROJECT_RESOURCE_KINDS = KIND_NAMES.filter((k) => KINDS[k].parent?.kinds.includes("Project") && k !== "ProjectMember");

/** The values a reference path points at, e.g. `nodes[].nodeId` -> every node id. */
export function referencedIds(spec: Record<string, any>, path: string): string[] {
    const walk = (value: any, parts: string[]): string[] => {
        if (value === undefined || value === null) return [];
        if (parts.length === 0) return typeof value === "string" ? [value] : [];
        const [head, ...rest] = parts;
        if (head.endsWith("[]")) {
            const list = value[head.slice(0, -2)];
            return Array.isArray(list) ? list.flatMap((item) => walk(item, rest)) : [];
        }
        return walk(value[head], rest);
    };
    return walk(spec, path.split("."));
}

export type Spec = Record<string, unknown>;
