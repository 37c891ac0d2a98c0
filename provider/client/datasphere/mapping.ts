// The provider's kinds in DataSphere's words and back: role ids, resource types, the fields of a community and a
// project, the update-mask paths (proto snake_case: ts-proto does not translate FieldMask paths), and the ids the
// provider gives objects the platform has no id for (a member, a share, a resource named by its project).
// Pure: numbers stand for the SDK's enums, named where they are used (reference §1).
import * as crypto from "crypto";
import type { PlatformObject } from "../../model/contract";
import { PlatformError } from "../../model/errors";
import type { ContextField, KindName, ShareableKind } from "../../model/kinds";

export type Role = "viewer" | "developer" | "editor" | "admin";
export const ROLE_ORDER: readonly Role[] = ["viewer", "developer", "editor", "admin"];

/** DataSphere's role id for each of our roles (yandex-cloud docs, en/_roles/datasphere). */
export const ROLE_IDS: Record<"CommunityMember" | "ProjectMember", Record<Role, string>> = {
    CommunityMember: {
        viewer: "datasphere.communities.viewer",
        developer: "datasphere.communities.developer",
        editor: "datasphere.communities.editor",
        admin: "datasphere.communities.admin",
    },
    ProjectMember: {
        viewer: "datasphere.community-projects.viewer",
        developer: "datasphere.community-projects.developer",
        editor: "datasphere.community-projects.editor",
        admin: "datasphere.community-projects.admin",
    },
};

export function roleOfId(kind: "CommunityMember" | "ProjectMember", roleId: string): Role | undefined {
    return ROLE_ORDER.find((role) => ROLE_IDS[kind][role] === roleId);
}

/** `userAccount:aje123` -> the access binding's subject. */
export function subjectOf(subject: string): { type: string; id: string } {
    const at = subject.indexOf(":");
    return { type: subject.slice(0, at), id: subject.slice(at + 1) };
}

/** yandex.cloud.datasphere.v2.ResourceType of each shareable kind (values 1 and 7 were checkpoints, removed). */
export const RESOURCE_TYPES: Record<ShareableKind, number> = {
    Secret: 2, // RESOURCE_TYPE_SECRET
    DockerImage: 3, // RESOURCE_TYPE_DOCKER_IMAGE
    Dataset: 4, // RESOURCE_TYPE_DATASET
    S3Connector: 5, // RESOURCE_TYPE_S3
    Node: 6, // RESOURCE_TYPE_NODE
    Alias: 8, // RESOURCE_TYPE_ALIAS
};

// Ids of what the platform gives no id of its own. `/` cannot occur in a platform id, so the parts stay apart.

/** A member: `<community or project id>/<subject>`. */
export const memberId = (resourceId: string, subject: string) => `${resourceId}/${subject}`;
/** A resource DataSphere made, named by its project: `<project id>/<resource id>`. */
export const referenceId = (projectId: string, resourceId: string) => `${projectId}/${resourceId}`;
/** A share: `<community id>/<kind>/<project id>/<resource id>`. */
export const shareId = (communityId: string, kind: string, reference: string) => `${communityId}/${kind}/${reference}`;

/** A project's use of a shared resource: `<project id>/<share id>`. */
export const useId = (projectId: string, share: string) => `${projectId}/${share}`;

/**
 * A platform id inside the ids above, as the parsers take it: any id the API allows (up to 50 lowercase letters and
 * digits), wider than the 20-character shape the plan-time check asks of new input (DATASPHERE_ID, client/backends.ts,
 * an observation the API does not promise). What is in a state must stay readable and deletable whatever its length:
 * taken for NOT_FOUND, refresh would drop an object that exists and destroy would leave it on the platform.
 */
const PART = "[a-z0-9]{1,50}";

function malformed(kind: string, id: string, shape: string): PlatformError {
    // NOT_FOUND: an id of another shape is no object of this kind (refresh drops it, delete is done), as elsewhere.
    return new PlatformError("NOT_FOUND", `${kind} ${JSON.stringify(id.slice(0, 120))} is no ${kind} id of the datasphere backend (${shape}).`);
}

export function parseMemberId(kind: string, id: string): { resourceId: string; subject: string } {
    const m = new RegExp(`^(${PART})/((?:userAccount|serviceAccount|federatedUser|group):[^/\\s]{1,100})$`).exec(id);
    if (!m) throw malformed(kind, id, "<community or project id>/<subject>");
    return { resourceId: m[1], subject: m[2] };
}

export function parseReferenceId(kind: string, id: string): { projectId: string; resourceId: string } {
    const m = new RegExp(`^(${PART})/(${PART})$`).exec(id);
    if (!m) throw malformed(kind, id, "<project id>/<resource id>");
    return { projectId: m[1], resourceId: m[2] };
}

export function parseUseId(id: string): { projectId: string; shareId: string } {
    const at = id.indexOf("/");
    const shareId = id.slice(at + 1);
    if (at < 1 || !new RegExp(`^${PART}$`).test(id.slice(0, at))) throw malformed("SharedResourceUse", id, "<project id>/<share id>");
    parseShareId(shareId, "SharedResourceUse", id);
    return { projectId: id.slice(0, at), shareId };
}

export function parseShareId(id: string, kind = "Share", whole = id): { communityId: string; resourceKind: ShareableKind; projectId: string; resourceId: string } {
    const kinds = Object.keys(RESOURCE_TYPES).join("|");
    const m = new RegExp(`^(${PART})/(${kinds})/(${PART})/(${PART})$`).exec(id);
    if (!m) throw malformed(kind, whole, kind === "Share" ? "<community id>/<kind>/<project id>/<resource id>" : "<project id>/<community id>/<kind>/<project id>/<resource id>");
    return { communityId: m[1], resourceKind: m[2] as ShareableKind, projectId: m[3], resourceId: m[4] };
}

/**
 * The label that marks a community or project as made by one Pulumi resource. The platform has no owner field,
 * so this is how a rerun after a crash finds what its interrupted run created instead of making a second one.
 * The value is a digest of the resource's URN (label values allow only `[-_0-9a-z]`, up to 63 characters).
 */
export const OWNER_LABEL = "mlplatform-owner";
export function ownerLabelValue(owner: string): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    const digest = crypto.createHash("sha256").update(owner).digest();
    let out = "";
    for (let i = 0; i < 32; i++) out += alphabet[digest[i] & 31];
    return out;
}

/** The labels to send: the program's, plus the owner label when there is room (the platform allows 64). */
export function labelsWithOwner(labels: unknown, owner: string | undefined, what: string): Record<string, string> {
    const given = (labels && typeof labels === "object" ? { ...(labels as Record<string, string>) } : {}) as Record<string, string>;
    if (OWNER_LABEL in given) {
        throw new PlatformError("INVALID_ARGUMENT", `${what}: labels.${OWNER_LABEL} is the provider's own label (it marks which Pulumi resource made the object), got ${JSON.stringify(given[OWNER_LABEL])}. Remove it from the program's labels.`);
    }
    if (owner && Object.keys(given).length < 64) given[OWNER_LABEL] = ownerLabelValue(owner);
    return given;
}

/** The labels of an update: the program's, and the owner label this resource's owner gives, else the one the object has. */
export function labelsToKeep(labels: unknown, owner: string | undefined, kept: string | undefined, what: string): Record<string, string> {
    const out = labelsWithOwner(labels, undefined, what);
    const mark = owner ? ownerLabelValue(owner) : kept;
    if (mark && Object.keys(out).length < 64) out[OWNER_LABEL] = mark;
    return out;
}

/** The program's labels as the platform has them: without the owner label; none as undefined. */
export function programLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
    const out = { ...(labels ?? {}) };
    delete out[OWNER_LABEL];
    return Object.keys(out).length ? out : undefined;
}

const orUndefined = <T>(v: T | "" | undefined | null): T | undefined => (v === "" || v === null ? undefined : v);

// ---- Project settings and limits ----

/** Our setting -> its proto field under `settings`, and how values travel. */
const IDE = { JUPYTER_LAB: 1 } as const; // Project_Settings_Ide
const STALE = { ONE_HOUR: 1, THREE_HOURS: 2, NO_TIMEOUT: 3 } as const; // Project_Settings_StaleExecutionTimeoutMode
export const SETTINGS_PATHS: Record<string, string> = {
    serviceAccountId: "settings.service_account_id",
    subnetId: "settings.subnet_id",
    dataProcClusterId: "settings.data_proc_cluster_id",
    securityGroupIds: "settings.security_group_ids",
    defaultFolderId: "settings.default_folder_id",
    ide: "settings.ide",
    staleExecTimeoutMode: "settings.stale_exec_timeout_mode",
    vmInactivityTimeoutSeconds: "settings.vm_inactivity_timeout",
};
export const LIMITS_PATHS: Record<string, string> = {
    maxUnitsPerHour: "limits.max_units_per_hour",
    maxUnitsPerExecution: "limits.max_units_per_execution",
};

/** The API's Project_Settings (as fromPartial takes it) for our settings; unset fields are the proto defaults. */
export function settingsToApi(settings: Record<string, any> | undefined): Record<string, unknown> {
    const s = settings ?? {};
    return {
        serviceAccountId: s.serviceAccountId ?? "",
        subnetId: s.subnetId ?? "",
        dataProcClusterId: s.dataProcClusterId ?? "",
        securityGroupIds: s.securityGroupIds ?? [],
        defaultFolderId: s.defaultFolderId ?? "",
        ide: s.ide ? IDE[s.ide as keyof typeof IDE] ?? 0 : 0,
        staleExecTimeoutMode: s.staleExecTimeoutMode ? STALE[s.staleExecTimeoutMode as keyof typeof STALE] ?? 0 : 0,
        vmInactivityTimeout: s.vmInactivityTimeoutSeconds === undefined ? undefined : { seconds: s.vmInactivityTimeoutSeconds, nanos: 0 },
    };
}

/**
 * Our settings from the API's. Fields the platform leaves at their defaults are unset, so a program that does not
 * set them sees no difference; the fields we do not model (earlyAccess, defaultDedicatedSpec) are left alone.
 */
export function settingsFromApi(api: Record<string, any> | undefined): Record<string, unknown> | undefined {
    if (!api) return undefined;
    const name = <T extends Record<string, number>>(table: T, n: unknown) => Object.keys(table).find((k) => table[k] === n);
    const out: Record<string, unknown> = {
        serviceAccountId: orUndefined(api.serviceAccountId),
        subnetId: orUndefined(api.subnetId),
        dataProcClusterId: orUndefined(api.dataProcClusterId),
        securityGroupIds: Array.isArray(api.securityGroupIds) && api.securityGroupIds.length ? [...api.securityGroupIds] : undefined,
        defaultFolderId: orUndefined(api.defaultFolderId),
        ide: name(IDE, api.ide),
        staleExecTimeoutMode: name(STALE, api.staleExecTimeoutMode),
        vmInactivityTimeoutSeconds: api.vmInactivityTimeout ? Number(api.vmInactivityTimeout.seconds) : undefined,
    };
    for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
    return Object.keys(out).length ? out : undefined;
}

export function limitsToApi(limits: Record<string, any> | undefined): Record<string, unknown> {
    return { maxUnitsPerHour: limits?.maxUnitsPerHour, maxUnitsPerExecution: limits?.maxUnitsPerExecution };
}

export function limitsFromApi(api: Record<string, any> | undefined): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = {};
    if (typeof api?.maxUnitsPerHour === "number") out.maxUnitsPerHour = api.maxUnitsPerHour;
    if (typeof api?.maxUnitsPerExecution === "number") out.maxUnitsPerExecution = api.maxUnitsPerExecution;
    return Object.keys(out).length ? out : undefined;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The update mask from what the platform has to what the program wants: one path per field that differs,
 * `settings.*` and `limits.*` per sub-field, so nothing the program does not change is sent (and nothing set
 * elsewhere that we do not model is cleared).
 */
export function updateMask(current: Record<string, any>, desired: Record<string, any>, fields: readonly ("name" | "description" | "labels" | "settings" | "limits")[]): string[] {
    const paths: string[] = [];
    for (const field of fields) {
        if (field === "settings" || field === "limits") {
            const table = field === "settings" ? SETTINGS_PATHS : LIMITS_PATHS;
            for (const [sub, path] of Object.entries(table)) if (!same(current[field]?.[sub], desired[field]?.[sub])) paths.push(path);
        } else if (!same(current[field], desired[field])) {
            paths.push(field);
        }
    }
    return paths;
}

/** The fields a patch leaves the object with: `null` clears. */
export function applyPatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
    const out = { ...current };
    for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined) delete out[key];
        else out[key] = value;
    }
    return out;
}

// ---- Objects as the provider returns them ----

export interface Facts {
    readonly organizationId?: string;
    readonly zone?: string;
    readonly createdAt?: Date;
    readonly createdBy?: string;
    readonly context?: Partial<Record<ContextField, string>>;
    readonly extra?: Record<string, unknown>;
}

/**
 * A platform object in the contract's shape. DataSphere keeps no versions or update times: every object is
 * version 1 and "updated" when created. Secrets: none of these kinds has any.
 */
export function platformObject(kind: KindName, id: string, spec: Record<string, unknown>, facts: Facts): PlatformObject {
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(spec)) if (value !== undefined && value !== "") clean[key] = value;
    const created = facts.createdAt instanceof Date && !Number.isNaN(facts.createdAt.getTime()) ? facts.createdAt.toISOString() : new Date(0).toISOString();
    const context: Partial<Record<ContextField, string>> = {};
    for (const [key, value] of Object.entries(facts.context ?? {})) if (typeof value === "string" && value) context[key as ContextField] = value;
    return {
        id,
        kind,
        version: 1,
        ...(facts.organizationId ? { organizationId: facts.organizationId } : {}),
        ...(facts.zone ? { zone: facts.zone } : {}),
        system: false,
        createdAt: created,
        updatedAt: created,
        createdBy: facts.createdBy || "",
        spec: clean,
        secretDigests: {},
        context,
        extra: facts.extra ?? {},
    };
}
