// The control plane's API, declared once: the requests it takes, the object it returns, and how a malformed
// request is refused. The service parses every request with these schemas (whether it was reached in-process or
// over HTTP, where a request is any JSON), and the clients and the provider host use the types inferred from them.
import { z } from "zod";
import { PlatformError, showValue } from "./errors";
import { ContextField, KIND_NAMES, KindName } from "./kinds";

/** Who is acting: a subject such as `userAccount:alice`. */
export type Principal = string;

/** Owners are Pulumi URNs (ownership in model/ownership.ts); anything else would end up in other stacks' messages. */
export const OWNER_PATTERN = /^urn:pulumi:[^:\s]+::[^:\s]+::[^\s].*$/;

const kind = z.enum(KIND_NAMES, { message: `is not a kind this platform knows. Use one of ${KIND_NAMES.join(", ")}` });
const fields = z.record(z.string(), z.unknown(), { message: "must be an object" });
/** Ids are checked against the store, not a pattern: an id that is no object's id is NOT_FOUND like any other. */
const id = z.string({ message: "must be an object id (a non-empty string)" }).min(1, "must be an object id (a non-empty string)").max(256, "must be at most 256 characters");
const key = z.string({ message: "must be a string" }).max(256, "must be at most 256 characters");
const owner = z.string({ message: "must be the URN of the Pulumi resource that manages the object (urn:pulumi:<stack>::<project>::<type>::<name>)" })
    .max(1024, "must be at most 1024 characters")
    .regex(OWNER_PATTERN, "must be the URN of the Pulumi resource that manages the object (urn:pulumi:<stack>::<project>::<type>::<name>)");
const secretFields = z.array(z.string({ message: "must be a list of field names" }), { message: "must be a list of field names" }).max(64, "must list at most 64 fields");
/** Optional request fields: JSON's null counts as not given. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const CreateRequestSchema = z.strictObject({
    kind,
    spec: fields,
    /** A retried create with the same key and request returns the first result instead of a duplicate. */
    idempotencyKey: optional(key),
    /** The URN of the Pulumi resource that will manage the object. */
    owner: optional(owner),
    /** Take over an existing object: `true` for one no stack manages, its owner's URN for one that owner released. */
    adopt: optional(z.custom<boolean | string>((v) => typeof v === "boolean" || owner.safeParse(v).success, { message: "must be true, false or the URN of the owner that released the object" })),
    /**
     * When an object with the same unique key exists, every field (secrets included) is equal and it may be
     * adopted (the same owner, or `adopt`), return it instead of failing with ALREADY_EXISTS. Lets a provider take
     * over what an interrupted run of the same resource created.
     */
    adoptIdentical: optional(z.boolean({ message: "must be true or false" })),
    /** Fields besides the kind's own secret ones that the program made secret: they are kept sealed too. */
    secretFields: optional(secretFields),
});
export type CreateRequest = z.input<typeof CreateRequestSchema>;
/** A create request as the service reads it: null fields are absent. */
export type ParsedCreateRequest = z.output<typeof CreateRequestSchema>;

export const UpdateRequestSchema = z.strictObject({
    kind,
    id,
    /** Only the fields that change; `null` clears an optional field. */
    patch: fields,
    /** The version the caller read; a newer stored version fails with ABORTED. */
    expectedVersion: optional(z.number({ message: "must be a version number (1 or more)" }).int("must be a version number (1 or more)").min(1, "must be a version number (1 or more)")),
    /** The URN of the resource asking; another stack's object is refused. */
    owner: optional(owner),
    /** The URN the resource's state recorded, when its stack or project was renamed since: still its own object. */
    previousOwner: optional(owner),
    /**
     * Same key, same request: a retry of an update that already landed returns the object as that update left it,
     * instead of failing with ABORTED because the version moved (it moved by our own write).
     */
    idempotencyKey: optional(key),
    /** The fields besides the kind's own secret ones that are secret after this update (absent: as before). */
    secretFields: optional(secretFields),
});
export type UpdateRequest = z.input<typeof UpdateRequestSchema>;

export const DeleteRequestSchema = z.strictObject({
    kind,
    id,
    /** The URN of the resource asking; another stack's object is refused. */
    owner: optional(owner),
});
export type DeleteRequest = z.input<typeof DeleteRequestSchema>;

export const GetRequestSchema = z.strictObject({ kind, id });
export const LookupRequestSchema = z.strictObject({ kind, spec: fields });
export const ListVersionsRequestSchema = z.strictObject({ id });
export const IdentityRequestSchema = z.strictObject({});

const MAX_PAGE = 1000;
export const ListRequestSchema = z.strictObject({
    kind,
    parentId: optional(id),
    pageSize: optional(z.number({ message: `must be a whole number from 1 to ${MAX_PAGE}` }).int(`must be a whole number from 1 to ${MAX_PAGE}`)
        .min(1, `must be a whole number from 1 to ${MAX_PAGE}`).max(MAX_PAGE, `must be a whole number from 1 to ${MAX_PAGE}`)),
    pageToken: optional(z.string({ message: "must be a string" }).max(256, "must be at most 256 characters")),
});
export type ListRequest = z.input<typeof ListRequestSchema>;

/** An object as the control plane returns it. Secret fields are never included, only their digests. */
export interface PlatformObject {
    readonly id: string;
    readonly kind: KindName;
    readonly version: number;
    readonly parentId?: string;
    readonly organizationId?: string;
    readonly zone?: string;
    /** Made by the platform itself (an organization's default community). */
    readonly system: boolean;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly createdBy: string;
    readonly spec: Record<string, unknown>;
    readonly secretDigests: Record<string, string>;
    /** The plan-time facts (organization name, zones, names of both ends of a share) as stored. */
    readonly context: Partial<Record<ContextField, string>>;
    /** Kind-specific read-only facts, e.g. an organization's default community. */
    readonly extra: Record<string, unknown>;
    /** The URN of the Pulumi resource that manages it; absent for objects made outside any stack. */
    readonly owner?: string;
}

/** Marks secret digests bound to their object and field; digests in state written before have no such mark. */
export const SECRET_DIGEST_VERSION = "v2:";

export interface Page<T> {
    readonly items: T[];
    readonly nextPageToken?: string;
}

export interface CheckpointVersion {
    readonly version: number;
    readonly spec: Record<string, unknown>;
    readonly createdAt: string;
    readonly createdBy: string;
}

/** Which control plane this is (each object's state records it, so a stack pointed elsewhere is refused), and who the caller is on it. */
export interface Identity {
    readonly id: string;
    /** The subject the caller acts as. */
    readonly principal?: string;
}

/** The operations, by the name they are served under (`POST /v1/<name>`). */
export const OPERATIONS = ["create", "get", "lookup", "update", "delete", "list", "listVersions", "identity"] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * A request as the schema reads it, or INVALID_ARGUMENT naming each wrong field, its value and what it must be:
 * `spec must be an object, got null.`
 */
export function parseRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
    const result = schema.safeParse(request);
    if (result.success) return result.data;
    const lines = result.error.issues.map((issue) => {
        const field = issue.path.length ? issue.path.map(String).join(".") : "request";
        let value: unknown = request;
        for (const part of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
        if (issue.code === "unrecognized_keys") {
            const names = issue.keys.map((k) => JSON.stringify(k)).join(", ");
            return `${field} has unknown ${issue.keys.length === 1 ? "field" : "fields"} ${names}. Remove ${issue.keys.length === 1 ? "it" : "them"} (check the spelling).`;
        }
        // "kind "Notebook" is not a kind ..." reads better with the value first.
        return issue.message.startsWith("is not") ? `${field} ${showValue(value)} ${issue.message}.` : `${field} ${issue.message}, got ${showValue(value)}.`;
    });
    throw new PlatformError("INVALID_ARGUMENT", lines.join(" "), result.error.issues.map((issue, i) => ({
        property: issue.path.map(String).join("."),
        reason: lines[i],
    })));
}
