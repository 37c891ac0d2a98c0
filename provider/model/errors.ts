// Errors modelled on the platform API's status codes. Messages follow one shape everywhere:
//   <Kind> "<name>": <field> <what is wrong>, got <value>. <how to fix>
// and never contain a secret value.
import { UNKNOWN } from "./unknown";

export const ERROR_CODES = {
    INVALID_ARGUMENT: 400,
    FAILED_PRECONDITION: 400,
    UNAUTHENTICATED: 401,
    PERMISSION_DENIED: 403,
    NOT_FOUND: 404,
    ALREADY_EXISTS: 409,
    ABORTED: 409,
    RESOURCE_EXHAUSTED: 429,
    INTERNAL: 500,
    UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** A check failure in Pulumi's shape: the property path and why it is wrong. */
export interface Failure {
    readonly property: string;
    readonly reason: string;
}

export class PlatformError extends Error {
    override readonly name = "PlatformError";
    constructor(
        readonly code: ErrorCode,
        message: string,
        readonly failures: readonly Failure[] = [],
    ) {
        super(message);
    }
    get httpStatus(): number {
        return ERROR_CODES[this.code];
    }
    toJSON() {
        return { code: this.code, message: this.message, failures: this.failures };
    }
}

export function isPlatformError(e: unknown, code?: ErrorCode): e is PlatformError {
    // Errors crossing a process boundary (HTTP, the dynamic-provider host) arrive as plain objects.
    const named = e instanceof PlatformError || (typeof e === "object" && e !== null && (e as { name?: unknown }).name === "PlatformError");
    return named && (code === undefined || (e as PlatformError).code === code);
}

const MAX_SHOWN = 80;
/** How a value not known yet (in preview) appears in a message, instead of Pulumi's sentinel string. */
const UNKNOWN_SHOWN = "[unknown]";
const UNKNOWN_MARK = `\u0000${UNKNOWN}\u0000`;
/** A value as it appears in a message: JSON, shortened, secrets never shown, unknowns as [unknown]. */
export function showValue(value: unknown, secret = false): string {
    if (secret) return "[secret]";
    if (value === undefined) return "nothing";
    if (value === UNKNOWN) return UNKNOWN_SHOWN;
    // JSON would print NaN and Infinity as null: show them as they are. A BigInt or a cycle, which JSON
    // cannot print at all, must not turn a validation failure into a crash.
    let text: string;
    if (typeof value === "number" && !Number.isFinite(value)) text = String(value);
    else if (typeof value === "bigint") text = `${value}n`;
    else {
        try {
            text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v === UNKNOWN ? UNKNOWN_MARK : v)) ?? String(value);
            text = text.split(JSON.stringify(UNKNOWN_MARK)).join(UNKNOWN_SHOWN);
        } catch {
            text = String(value);
        }
    }
    return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** `Dataset "train"` or `Organization` when the name is not known yet. */
export function subjectOf(kind: string, name: unknown): string {
    return typeof name === "string" && name.length > 0 ? `${kind} "${name}"` : kind;
}

/** One error from several failures, each on its own line. */
export function invalidArgument(kind: string, name: unknown, failures: readonly Failure[]): PlatformError {
    const lines = failures.map((x) => (x.property ? `${x.property} ${x.reason}` : x.reason));
    const message = lines.length === 1
        ? `${subjectOf(kind, name)}: ${lines[0]}`
        : `${subjectOf(kind, name)}: ${lines.length} invalid fields:\n  - ${lines.join("\n  - ")}`;
    return new PlatformError("INVALID_ARGUMENT", message, failures);
}
