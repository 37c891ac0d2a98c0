// What went wrong on Yandex Cloud, told like every other error of the provider: the kind and name, what the
// provider tried, the platform's own code and words, the ids support asks for (request id, operation id), and how
// to fix it. The SDK's errors come in three shapes: nice-grpc's ClientError (with a numeric `code`), the SDK's
// ApiError that replaces it when response headers arrived (no `code`; the status only inside the message, "<path>
// <STATUS>: <details>"), and a finished operation's `error` (a google.rpc.Status). Pure: no SDK import.
import { ErrorCode, PlatformError, subjectOf } from "../../model/errors";

/** gRPC status names by number (google.rpc.Code). */
export const STATUS_NAMES = [
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/** The provider's code for each platform status. */
const PROVIDER_CODE: Record<StatusName, ErrorCode> = {
    OK: "INTERNAL", CANCELLED: "UNAVAILABLE", UNKNOWN: "INTERNAL", INVALID_ARGUMENT: "INVALID_ARGUMENT", DEADLINE_EXCEEDED: "UNAVAILABLE",
    NOT_FOUND: "NOT_FOUND", ALREADY_EXISTS: "ALREADY_EXISTS", PERMISSION_DENIED: "PERMISSION_DENIED", RESOURCE_EXHAUSTED: "RESOURCE_EXHAUSTED",
    FAILED_PRECONDITION: "FAILED_PRECONDITION", ABORTED: "ABORTED", OUT_OF_RANGE: "INVALID_ARGUMENT", UNIMPLEMENTED: "FAILED_PRECONDITION",
    INTERNAL: "INTERNAL", UNAVAILABLE: "UNAVAILABLE", DATA_LOSS: "INTERNAL", UNAUTHENTICATED: "UNAUTHENTICATED",
};

/** Statuses worth another attempt of a read, or of a mutation that carries an idempotency key. */
export const RETRYABLE: readonly StatusName[] = ["UNAVAILABLE", "RESOURCE_EXHAUSTED", "INTERNAL", "DEADLINE_EXCEEDED"];

/** One failure of the platform, whatever shape it came in. */
export interface CloudFailure {
    readonly status: StatusName;
    readonly details: string;
    readonly requestId?: string;
    readonly operationId?: string;
}

/** The status of a number or a name; UNKNOWN for anything else. */
function statusOf(code: unknown): StatusName {
    if (typeof code === "number" && Number.isInteger(code) && code >= 0 && code < STATUS_NAMES.length) return STATUS_NAMES[code];
    if (typeof code === "string" && (STATUS_NAMES as readonly string[]).includes(code)) return code as StatusName;
    return "UNKNOWN";
}

/** Reads any thrown value; never throws itself (a getter that throws, a cyclic object, a string). */
export function failureOf(e: unknown): CloudFailure {
    try {
        const err = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
        const message = typeof err.message === "string" ? err.message : typeof e === "string" ? e : "";
        let status = statusOf(err.code);
        let details = typeof err.details === "string" ? err.details : message;
        // ApiError (and ClientError's message): "/yandex.cloud.x.Service/Method STATUS: details".
        const named = /^\S*\s([A-Z_]+):\s?([\s\S]*)$/.exec(message);
        if (named && (STATUS_NAMES as readonly string[]).includes(named[1])) {
            if (typeof err.code !== "number") status = named[1] as StatusName;
            if (typeof err.details !== "string") details = named[2];
        } else if (typeof err.code !== "number" && /^[A-Z_]+$/.test(String(err.code ?? ""))) {
            status = statusOf(err.code);
        }
        let requestId: string | undefined;
        const rid = err.requestId;
        if (typeof rid === "string" && rid) requestId = rid;
        return { status, details: details.trim(), ...(requestId ? { requestId } : {}) };
    } catch {
        return { status: "UNKNOWN", details: "an error that could not be read" };
    }
}

/** What the provider was doing, for the message. */
export interface Attempt {
    readonly kind: string;
    /** The object's name (or label) when known. */
    readonly name?: string;
    /** "create", "update", "delete", "read", "share", ... */
    readonly action: string;
    /** Attempts made, when more than one. */
    readonly attempts?: number;
    /** The call that failed, e.g. CommunityService.Create. */
    readonly method?: string;
    /** What to do when the platform refuses the credential, naming which one was used (credentials.ts). */
    readonly credentialAdvice?: string;
}

/** The role the acting account needs for an action, in DataSphere's role ids (reference §1.6). */
function neededRole(kind: string, action: string): string {
    const reading = action === "read" || action === "look up";
    switch (kind) {
        case "Community":
            return reading ? "datasphere.communities.viewer on the community" : action === "create"
                ? "membership in the organization (and billing.accounts.editor on the billing account, when the community is created with billingAccount)"
                : "datasphere.communities.editor on the community";
        case "Project":
            return reading ? "datasphere.community-projects.viewer on the project" : action === "create" ? "datasphere.communities.developer on the community" : "datasphere.community-projects.editor on the project";
        case "CommunityMember":
            return reading ? "datasphere.communities.viewer on the community" : "datasphere.communities.admin on the community";
        case "ProjectMember":
            return reading ? "datasphere.community-projects.viewer on the project" : "datasphere.community-projects.admin on the project";
        case "Share":
            return "datasphere.community-projects.editor on the resource's project and datasphere.communities.developer on the community";
        case "Organization":
            return "organization-manager.viewer on the organization";
        case "BillingAccount":
            return "billing.accounts.viewer on the billing account";
        default:
            return "a DataSphere role that allows it";
    }
}

/** How to fix it, by status. */
function fixFor(f: CloudFailure, at: Attempt): string {
    switch (f.status) {
        case "UNAUTHENTICATED":
            return at.credentialAdvice ?? "Yandex Cloud refused the credentials: an IAM token lives at most 12 hours (get a new one with `yc iam create-token` into YC_TOKEN or mlplatform:iamToken), "
                + "or check the key in mlplatform:serviceAccountKeyFile (YC_SERVICE_ACCOUNT_KEY_FILE).";
        case "PERMISSION_DENIED":
            return `The account the provider acts as needs ${neededRole(at.kind, at.action)}; grant it (yc or the DataSphere UI) and run pulumi up again.`;
        case "NOT_FOUND":
            return "It was deleted outside Pulumi, or the id is wrong: run `pulumi refresh` to drop what is gone from the state, then `pulumi up`.";
        case "ALREADY_EXISTS":
            return "Give the resource another name, or adopt the existing object with the resource option `adopt`.";
        case "INVALID_ARGUMENT":
        case "OUT_OF_RANGE":
            return "Fix the value DataSphere names and run pulumi up again.";
        case "FAILED_PRECONDITION":
            return at.kind === "Community" && at.action === "delete"
                ? "A community is deleted only when it has no projects left: delete or move them first."
                : "Bring the platform into the state DataSphere asks for, then run pulumi up again.";
        case "RESOURCE_EXHAUSTED":
            return "A quota or rate limit of Yandex Cloud: wait and run pulumi up again, or ask for a larger quota.";
        case "UNIMPLEMENTED":
            return "The endpoint does not serve this call: check mlplatform:dataSphereEndpoint and the other endpoint settings.";
        case "UNAVAILABLE":
        case "DEADLINE_EXCEEDED":
        case "CANCELLED":
            return /certificate|self.signed|SSL|TLS/i.test(f.details)
                ? "The server's TLS certificate is not trusted: for a private installation set mlplatform:tlsRootCertFile to its CA certificate."
                : "DataSphere could not be reached or did not answer: check the network and mlplatform:dataSphereEndpoint, then run pulumi up again (a mutation is resent with the same idempotency key, so it is not made twice).";
        default:
            return "An error inside Yandex Cloud: run pulumi up again later; if it persists, give Yandex Cloud support the request id.";
    }
}

/**
 * The provider's error for a platform failure: `<Kind> "<name>": DataSphere refused to <action> it: <STATUS>:
 * <details> (<call>, request id …, operation …). <fix>`. `scrub` takes out what must never be shown (the credentials).
 */
export function cloudError(f: CloudFailure, at: Attempt, scrub: (text: string) => string = (t) => t): PlatformError {
    const ids = [at.method ?? "", f.requestId ? `request id ${f.requestId}` : "", f.operationId ? `operation ${f.operationId}` : "", at.attempts && at.attempts > 1 ? `${at.attempts} attempts` : ""].filter(Boolean);
    const details = scrub(f.details || "no details").replace(/\s+$/, "");
    const verb = at.action === "read" ? "could not read it" : `refused to ${at.action} it`;
    const message = `${subjectOf(at.kind, at.name)}: DataSphere ${verb}: ${f.status}: ${details}${ids.length ? ` (${ids.join(", ")})` : ""}. ${fixFor(f, at)}`;
    return new PlatformError(PROVIDER_CODE[f.status], scrub(message));
}

export function providerCodeOf(status: StatusName): ErrorCode {
    return PROVIDER_CODE[status];
}
