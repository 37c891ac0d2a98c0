// What `mlplatform review` and `mlplatform graph` read: the JSON the Pulumi CLI writes, parsed once at the boundary
// into plain records, with every problem said by its path. What follows are facts read from the Pulumi sources
// (github.com/pulumi/pulumi at 1b5949891b, August 2026); nothing of Pulumi's code is used.
//
// `pulumi preview --json` (pkg/backend/display/json.go ShowPreviewDigest; types in pkg/display/json.go) prints one
// JSON document, a PreviewDigest, once the preview ends (with PULUMI_ENABLE_STREAMING_JSON_PREVIEW set it streams
// engine events instead, one per line: not this shape, refused with a hint):
//   { "config": { "<project>:<key>": "<value>" },          secure values blinded to "[secret]"
//     "steps": [ PreviewStep, ... ],                          omitted when empty
//     "diagnostics": [ { "urn", "prefix", "message", "severity" } ],   no debug or ephemeral messages
//     "duration": <nanoseconds>, "changeSummary": { "<op>": <count> }, "maybeCorrupt": true? }
// A PreviewStep is { "op", "urn", "provider", "oldState", "newState", "diffReasons", "replaceReasons",
// "detailedDiff" }: every key but "op", "urn" and "detailedDiff" is left out when empty, and "detailedDiff" is null
// when the provider gave none — always so for Node dynamic providers, whose host answers Diff with changes, replaces
// and deleteBeforeReplace only (@pulumi/pulumi cmd/dynamic-provider), so "diffReasons" is absent too and the
// changed properties have to be found by comparing the states. A detailedDiff maps a property path
// ("limits.maxUnitsPerHour", "nodes[0].weight") to { "kind", "inputDiff" }, kind one of add, add-replace, delete,
// delete-replace, update, update-replace (sdk/go/common/resource/plugin/provider.go DiffKind.String).
// Ops (pkg/resource/deploy/step.go): same, create, update, delete, replace, create-replacement, delete-replaced,
// read, read-replacement, refresh, discard, discard-replaced, remove-pending-replace, import, import-replacement.
// Which steps are listed (display.go shouldShow): "same" only with --show-sames (the stack's own step always); the
// default provider's never, nor are they counted in changeSummary (internal steps: pkg/engine update.go isInternalStep);
// a replacement is one logical "replace" step with old and new state, and its create-replacement and
// delete-replaced steps only with --show-replacement-steps.
// oldState and newState are apitype.ResourceV3 (sdk/go/common/apitype/core.go): { "urn", "custom", "delete", "id",
// "type", "inputs", "outputs", "parent", "protect", "external", "dependencies", "provider",
// "propertyDependencies", ... }. Before they are written every secret becomes the plain string "[secret]", at any
// depth (json.go massagePropertyValue), so the preview never holds a secret's signature object; a value not known
// until apply is the string "04da6b54-80e4-46f7-96ec-b56ff0331ba9" (pkg/resource/stack/deployment.go). newState is
// the goal the program registered: its inputs are the provider's checked inputs, and its outputs may or may not
// have arrived when the step is written (pulumi/pulumi#9571), so only inputs are compared. For a dynamic provider
// the inputs and outputs also hold "__provider", the serialized provider's source text.
// The type of a dynamic resource is "pulumi-nodejs:dynamic/<module>:<type>" when the program passes a module and a
// type to dynamic.Resource (SDK 3.52.0 on; the engine records exactly that, tests/integration
// TestCustomResourceTypeNameDynamicNode), "pulumi-nodejs:dynamic:Resource" otherwise. This package's classes pass
// module "mlplatform" and the kind (sdk/base.ts TYPE_MODULE), e.g. "pulumi-nodejs:dynamic/mlplatform:Community".
//
// `pulumi stack export` writes { "version": 3, "deployment": { "manifest", "resources": [ResourceV3], ... } } with
// secrets as { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ... } (or
// "plaintext" with --show-secrets), and the local engine's state file (engine/state.ts) is { "version": 1,
// "project", "stack", "resources": [...] } with the same secret objects and `__provider` stored by reference.
import { z } from "zod";

/** Pulumi's signature key and the signature of a secret (sdk/go/common/resource/sig: Key, Secret). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What the CLI writes in place of every secret in `--json` output. */
export const MASKED_SECRET = "[secret]";

/** Bad input to review or graph: said in one line by the command, never a stack trace. */
export class ReviewInputError extends Error {}

/** One resource as a state in the JSON holds it: the parts review and graph read. */
export interface ResourceRecord {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    /** Read with `get`: managed elsewhere. */
    readonly external: boolean;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly outputs: Readonly<Record<string, unknown>>;
    /** For each input, the URNs of the resources its value came from: how a new object names its parent before its id exists. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface PropertyDiff {
    readonly kind: string;
    readonly inputDiff: boolean;
}

export interface PlanStep {
    readonly op: string;
    readonly urn: string;
    readonly old?: ResourceRecord;
    readonly new?: ResourceRecord;
    readonly diffReasons: readonly string[];
    readonly replaceReasons: readonly string[];
    /** Null when the provider gave no detailed diff (every Node dynamic provider). */
    readonly detailedDiff: Readonly<Record<string, PropertyDiff>> | null;
}

export interface Diagnostic {
    readonly severity: string;
    readonly message: string;
    readonly urn?: string;
}

/** A parsed `pulumi preview --json`. */
export interface Plan {
    readonly steps: readonly PlanStep[];
    readonly diagnostics: readonly Diagnostic[];
    readonly changeSummary: Readonly<Record<string, number>>;
}

/** A stack as it stands: `pulumi stack export` or the local engine's state file. */
export interface StackState {
    readonly resources: readonly ResourceRecord[];
    /** Where it came from, for the picture's title. */
    readonly source: "pulumi stack export" | "local engine state";
}

const record = z.record(z.string(), z.unknown());
const resourceSchema = z.object({
    urn: z.string().min(1),
    type: z.string().min(1),
    id: z.string().optional(),
    external: z.boolean().optional(),
    inputs: record.nullish(),
    outputs: record.nullish(),
    propertyDependencies: z.record(z.string(), z.array(z.string()).nullable()).nullish(),
});
const stepSchema = z.object({
    op: z.string().min(1),
    urn: z.string().min(1),
    oldState: resourceSchema.nullish(),
    newState: resourceSchema.nullish(),
    diffReasons: z.array(z.string()).nullish(),
    replaceReasons: z.array(z.string()).nullish(),
    detailedDiff: z.record(z.string(), z.object({ kind: z.string(), inputDiff: z.boolean().optional() })).nullish(),
});
const digestSchema = z.object({
    steps: z.array(stepSchema).nullish(),
    diagnostics: z.array(z.object({ severity: z.string().optional(), message: z.string().optional(), urn: z.string().optional() })).nullish(),
    changeSummary: z.record(z.string(), z.number()).nullish(),
});
const exportSchema = z.object({ version: z.number(), deployment: z.object({ resources: z.array(resourceSchema).nullish() }) });
const localStateSchema = z.object({ version: z.number(), project: z.string(), stack: z.string(), resources: z.array(resourceSchema) });

const PREVIEW_FIX = "Pass what `pulumi preview --json` prints (or the local engine's `preview --json`).";
const STATE_FIX = "Pass what `pulumi stack export` prints, or the local engine's state file <program>/.pulumi-local/<stack>.json.";

/** The JSON of a file or of stdin, or an error that says what the text is instead. */
export function parseJsonText(text: string, source: string, fix: string): unknown {
    const trimmed = text.trim();
    if (trimmed === "") throw new ReviewInputError(`${source} is empty. ${fix}`);
    if (/^(Previewing|Updating|Destroying|Refreshing)\b/.test(trimmed)) {
        throw new ReviewInputError(`${source} holds Pulumi's text display, not JSON. ${fix}`);
    }
    if (/^\{[^\n]*"sequence"\s*:/.test(trimmed) && trimmed.includes("\n{")) {
        throw new ReviewInputError(`${source} holds streamed engine events (one JSON object per line, PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set). Unset it and run \`pulumi preview --json\` again.`);
    }
    try {
        return JSON.parse(trimmed);
    } catch (e) {
        throw new ReviewInputError(`${source} is not JSON (${(e as Error).message}). ${fix}`);
    }
}

/** `steps[3].newState.urn`, the way a reader finds it in the file. */
function pathText(path: readonly PropertyKey[]): string {
    return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("") || "(the document)";
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, source: string, fix: string): T {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new ReviewInputError(`${source}: ${pathText(issue.path)} ${issue.message.replace(/^Invalid input: /, "")}. ${fix}`);
}

function toRecord(r: z.output<typeof resourceSchema>): ResourceRecord {
    const dependencies: Record<string, string[]> = {};
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) dependencies[key] = urns ?? [];
    return {
        urn: r.urn, type: r.type, id: r.id || undefined, external: r.external === true,
        inputs: r.inputs ?? {}, outputs: r.outputs ?? {}, propertyDependencies: dependencies,
    };
}

/** A `pulumi preview --json` document, or an error naming the field and the fix. */
export function parsePlan(value: unknown, source: string): Plan {
    if (isStateDocument(value)) {
        throw new ReviewInputError(`${source} is a stack's state, not a preview: draw it with \`mlplatform graph\`, or review what \`pulumi preview --json\` prints.`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new ReviewInputError(`${source} is JSON but not an object (got ${Array.isArray(value) ? "an array" : typeof value}). ${PREVIEW_FIX}`);
    }
    if (!("steps" in value) && !("changeSummary" in value) && !("diagnostics" in value) && !("config" in value)) {
        throw new ReviewInputError(`${source} has none of the keys of a preview (steps, changeSummary, diagnostics, config). ${PREVIEW_FIX}`);
    }
    const digest = parseWith(digestSchema, value, source, PREVIEW_FIX);
    return {
        steps: (digest.steps ?? []).map((s) => ({
            op: s.op, urn: s.urn,
            old: s.oldState ? toRecord(s.oldState) : undefined,
            new: s.newState ? toRecord(s.newState) : undefined,
            diffReasons: s.diffReasons ?? [], replaceReasons: s.replaceReasons ?? [],
            detailedDiff: s.detailedDiff
                ? Object.fromEntries(Object.entries(s.detailedDiff).map(([path, d]) => [path, { kind: d.kind, inputDiff: d.inputDiff === true }]))
                : null,
        })),
        diagnostics: (digest.diagnostics ?? []).map((d) => ({ severity: d.severity ?? "info", message: d.message ?? "", urn: d.urn })),
        changeSummary: digest.changeSummary ?? {},
    };
}

function isStateDocument(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    return "deployment" in value || ("resources" in value && "stack" in value);
}

/** A stack's state (`pulumi stack export` or the local engine's file), or an error naming the field and the fix. */
export function parseStackState(value: unknown, source: string): StackState {
    if (typeof value === "object" && value !== null && "deployment" in value) {
        const exported = parseWith(exportSchema, value, source, STATE_FIX);
        return { resources: (exported.deployment.resources ?? []).map(toRecord), source: "pulumi stack export" };
    }
    if (typeof value === "object" && value !== null && "resources" in value && "stack" in value) {
        const local = parseWith(localStateSchema, value, source, STATE_FIX);
        return { resources: local.resources.map(toRecord), source: "local engine state" };
    }
    throw new ReviewInputError(`${source} is neither \`pulumi stack export\` output nor a local engine state file. ${STATE_FIX}`);
}

/** Whether a document looks like a preview rather than a state (graph accepts both). */
export function isPreviewDocument(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isStateDocument(value)
        && ("steps" in value || "changeSummary" in value);
}
