// `--json`: the plan as one JSON document on stdout, in the shape `pulumi preview --json` prints
// (pkg/backend/display/json.go ShowPreviewDigest, types in pkg/display/json.go; read from the Pulumi sources, none
// of their code used), so that one tool reads the output of the CLI and of this engine alike:
//
//   { "config": { "<ns>:<key>": "<value>" },                   secret values as "[secret]"
//     "steps": [ { "op", "urn", "oldState", "newState", "diffReasons", "replaceReasons", "detailedDiff" } ],
//     "diagnostics": [ { "urn", "message", "severity" } ],     the program's stdout too, as "info"
//     "duration": <nanoseconds>, "changeSummary": { "<op>": <count> } }
//
// As the CLI writes it: keys with empty values are left out, except "detailedDiff", which is null unless the engine
// diffed the inputs itself (a provider without diff; a Node dynamic provider's diff never gives one); states are
// apitype.ResourceV3 with every secret the string "[secret]" and unknowns the SDK's unknown sentinel; map keys are
// sorted, the indent is four spaces and <, > and & are escaped as Go's encoder does. Unchanged resources are listed
// only with --show-sames (the root stack always), and a replacement as its one logical "replace" step. Nothing else
// is written to stdout: the engine's notes go to stderr, the program's output into the diagnostics.

import type { Counts, Display, Writer } from "./display";
import { pathContains } from "./planner";
import { changedPaths, compareKeys, diffObjects, pathText } from "./property-diff";
import { isListed, type PropertyDiffKind, type StepEvent } from "./steps";
import type { Diagnostic, ResourceState } from "./types";
import { isObject, isSecret, mapValue, unwrapSecretsMap, type JsonValue, type PropertyMap } from "./values";

interface JsonDiagnostic {
    urn?: string;
    message: string;
    severity: string;
}

/** What the CLI writes in place of every secret in `--json` output (display.MassageSecrets). */
const SECRET = "[secret]";

/** A value as the CLI serializes it: secrets blinded at any depth, object keys sorted (Go's maps). */
function massage(v: JsonValue): JsonValue {
    return mapValue(v, (part) => (isSecret(part) ? SECRET : isObject(part) ? sortedObject(part, massage) : undefined));
}

function sortedObject<T, U>(m: Record<string, T>, each: (v: T) => U): Record<string, U> {
    return Object.fromEntries(Object.keys(m).sort(compareKeys).map((k) => [k, each(m[k])]));
}

function nonEmpty<T>(list: readonly T[] | undefined): T[] | undefined {
    return list && list.length > 0 ? [...list] : undefined;
}

/**
 * A resource as `apitype.ResourceV3`, fields in its order, empty ones left out. `goal`: the state the program asks
 * for (a step's newState), which has no id, outputs or timestamps until the step is applied.
 */
function resourceJson(r: ResourceState, goal: boolean): Record<string, unknown> {
    const dependencies = Object.keys(r.propertyDependencies).length > 0 ? sortedObject(r.propertyDependencies, (urns) => [...urns]) : undefined;
    const fields: Record<string, unknown> = {
        urn: r.urn,
        custom: r.custom,
        delete: r.delete || undefined,
        id: goal ? undefined : r.id || undefined,
        type: r.type,
        inputs: Object.keys(r.inputs).length > 0 ? massage(r.inputs) : undefined,
        outputs: !goal && Object.keys(r.outputs).length > 0 ? massage(r.outputs) : undefined,
        parent: r.parent || undefined,
        protect: r.protect || undefined,
        external: r.external || undefined,
        dependencies: nonEmpty(r.dependencies),
        propertyDependencies: dependencies,
        additionalSecretOutputs: nonEmpty(r.additionalSecretOutputs),
        retainOnDelete: r.retainOnDelete || undefined,
        created: goal ? undefined : r.created,
        modified: goal ? undefined : r.modified,
        ignoreChanges: nonEmpty(r.ignoreChanges),
        replaceOnChanges: nonEmpty(r.replaceOnChanges),
    };
    return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/**
 * The detailed diff the engine makes when the provider could not say (step_generator.go diffResource): every changed
 * leaf of the inputs, secrets compared by their contents, internal keys included; a path under one of the resource's
 * replaceOnChanges is a replacing change (applyReplaceOnChanges).
 */
function engineDetailedDiff(old: PropertyMap, now: PropertyMap, replaceOnChanges: readonly string[]): Record<string, { kind: PropertyDiffKind; inputDiff: boolean }> {
    const diff = diffObjects(unwrapSecretsMap(old), unwrapSecretsMap(now), () => true);
    const entries = (diff ? changedPaths(diff) : []).map(({ path, kind }) => {
        const text = pathText(path);
        const replaces = replaceOnChanges.some((p) => pathContains(p, text));
        return [text, { kind: replaces ? (`${kind}-replace` as PropertyDiffKind) : kind, inputDiff: true }] as const;
    });
    return Object.fromEntries(entries.sort(([a], [b]) => compareKeys(a, b)));
}

/** The op a step is listed with: a refresh that found the object gone is its deletion (json.go swaps the step in). */
function listedOp(e: StepEvent): string {
    // A managed object given up for one the program reads is listed as its logical step, the replacement.
    if (e.op === "read-replacement") return "replace";
    return e.op === "refresh" && e.result === "delete" ? "delete" : e.op;
}

/** One step as a PreviewStep. */
function stepJson(e: StepEvent): Record<string, unknown> {
    const op = listedOp(e);
    // A read, and a refresh, report what the provider found; any other step's new state is the program's goal.
    const goal = e.op !== "read" && e.op !== "read-replacement";
    const withNew = e.new && e.op !== "refresh";
    const step: Record<string, unknown> = {
        op,
        urn: e.urn,
        ...(e.old ? { oldState: resourceJson(e.old, false) } : {}),
        ...(withNew ? { newState: resourceJson(e.new!, goal) } : {}),
        ...(e.reasons?.diffReasons.length ? { diffReasons: [...e.reasons.diffReasons] } : {}),
        ...(e.reasons?.replaceReasons.length ? { replaceReasons: [...e.reasons.replaceReasons] } : {}),
    };
    step.detailedDiff =
        e.reasons?.engineDiff && e.old && e.new ? engineDetailedDiff(e.old.inputs, e.new.inputs, e.new.replaceOnChanges ?? []) : null;
    return step;
}

/** Go's encoder escapes these inside strings (json.Marshal's HTML escaping); they appear nowhere else in JSON text. */
export function escapeLikeGo(text: string): string {
    return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The diagnostics' message as the CLI writes it: `error: ` or `warning: ` in front, a line break at the end. */
function diagnosticMessage(d: Diagnostic): string {
    const prefix = d.severity === "error" || d.severity === "warning" ? `${d.severity}: ` : "";
    return `${prefix}${d.message.replace(/\n?$/, "\n")}`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** The `--json` display: collects the run and writes it as one document when the run ends. */
export class JsonDigest implements Display {
    readonly capturesProgramOutput = true;
    private readonly steps: Record<string, unknown>[] = [];
    private readonly messages: JsonDiagnostic[] = [];
    private changeSummary: Counts = {};

    /**
     * @param config the stack's configuration, namespaced keys, as the CLI shows it: secret values (and the secure
     * parts of structured ones) as "[secret]" (events.go preludeEvent decrypts with a blinding decrypter)
     */
    constructor(
        private readonly out: Writer,
        private readonly err: Writer,
        private readonly verbose: boolean,
        private readonly config: Readonly<Record<string, string>>,
        private readonly showSames: boolean,
    ) {}

    header(): void {
        // The document has no headings.
    }

    step(e: StepEvent): void {
        // A failure is reported among the diagnostics; the steps list what the plan is.
        if (!e.failed && isListed(e, this.showSames)) {
            // Serialized now: a resource's record may change as the run goes on (a component's outputs arrive later).
            this.steps.push(stepJson(e));
        }
    }

    note(text: string): void {
        this.err.write(`${text}\n`);
    }

    debug(text: string): void {
        if (this.verbose) {
            this.err.write(`${text}\n`);
        }
    }

    programOutput(line: string): void {
        // Program output is appended as an informational message about no resource (StdoutColorEvent).
        this.messages.push({ message: `${line.replace(ANSI, "")}\n`, severity: "info" });
    }

    diagnostics(diags: readonly Diagnostic[]): void {
        for (const d of diags) {
            // Debug messages are left out, and colors (json.go: colors.Never).
            if (d.severity !== "debug") {
                this.messages.push({ ...(d.urn ? { urn: d.urn } : {}), message: diagnosticMessage(d).replace(ANSI, ""), severity: d.severity });
            }
        }
    }

    outputs(): void {
        // The stack's outputs are not part of a preview's digest.
    }

    summary(counts: Counts): void {
        this.changeSummary = counts;
    }

    duration(ms: number): void {
        const config = sortedObject(this.config, (v) => v);
        const counts = Object.entries(this.changeSummary).filter(([, n]) => (n ?? 0) > 0);
        const digest: Record<string, unknown> = {
            ...(Object.keys(config).length ? { config } : {}),
            ...(this.steps.length ? { steps: this.steps } : {}),
            ...(this.messages.length ? { diagnostics: this.messages } : {}),
            // A Go time.Duration: nanoseconds.
            duration: Math.round(ms * 1e6),
            ...(counts.length ? { changeSummary: Object.fromEntries(counts.sort(([a], [b]) => compareKeys(a, b))) } : {}),
        };
        this.out.write(`${escapeLikeGo(JSON.stringify(digest, null, 4))}\n`);
    }
}
