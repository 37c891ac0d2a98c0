// The plan printer: resource lines, diagnostics, stack outputs and the summary, in the shape of Pulumi's
// non-interactive display (pkg/backend/display: rows.go, diff.go; op prefixes from deploy/step.go).

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { Diagnostic, ResourceState } from "./types";
import { parseUrn, ROOT_STACK_TYPE } from "./urn";
import { formatKeyDiff, isSecret, redactSecrets, type JsonValue, type KeyDiff, type PropertyMap } from "./values";

export type DisplayOp = "same" | "create" | "update" | "replace" | "delete" | "delete-replaced" | "read" | "discard" | "refresh";

interface OpText {
    symbol: string;
    plan: string;
    done: string;
    doing: string;
}

const OPS: Record<Exclude<DisplayOp, "same">, OpText> = {
    create: { symbol: "+", plan: "create", done: "created", doing: "creating" },
    update: { symbol: "~", plan: "update", done: "updated", doing: "updating" },
    replace: { symbol: "+-", plan: "replace", done: "replaced", doing: "replacing" },
    delete: { symbol: "-", plan: "delete", done: "deleted", doing: "deleting" },
    "delete-replaced": { symbol: "--", plan: "delete original", done: "deleted original", doing: "deleting original" },
    read: { symbol: ">", plan: "read", done: "read", doing: "reading" },
    discard: { symbol: "<", plan: "discard", done: "discarded", doing: "discarding" },
    refresh: { symbol: "~", plan: "refresh", done: "refreshed", doing: "refreshing" },
};

/**
 * What a diff said about a step, as the Pulumi engine's step metadata carries it (StepEventMetadata: Diffs, Keys,
 * DetailedDiff) and `preview --json` prints it (diffReasons, replaceReasons, detailedDiff).
 */
export interface StepReasons {
    /** The changed keys the diff named: none from a dynamic provider's diff, which never names them. */
    diffReasons: readonly string[];
    /** The keys whose change forces the replacement. */
    replaceReasons: readonly string[];
    /** The provider could not say (DIFF_UNKNOWN) and the engine compared the inputs itself: a detailed diff exists. */
    engineDiff: boolean;
}

/**
 * The reasons of an update or replacement from the planner's decision and the provider's answer to Diff (absent when
 * the provider was not asked: a resource that was only read is taken over).
 */
export function stepReasons(
    decision: { changedKeys: readonly string[]; replaceKeys?: readonly string[] },
    providerDiff?: { changes: string },
): StepReasons {
    return {
        diffReasons: decision.changedKeys,
        replaceReasons: decision.replaceKeys ?? [],
        engineDiff: providerDiff?.changes === "unknown",
    };
}

/** One step of a run, with the resource before and after it: what every display (text, --diff, --json) shows. */
export interface StepEvent {
    op: DisplayOp;
    urn: string;
    /** The resource as the state had it; absent for a create. */
    old?: ResourceState;
    /** The resource as the program declares it now (or as a refresh read it); absent for a delete. */
    new?: ResourceState;
    /** The top-level keys that changed, for the one-line `[diff: ~a]`. */
    diff?: KeyDiff;
    reasons?: StepReasons;
    /** What the step counts as in the summary; for a refresh, what it found (same, update or delete). */
    result?: SummaryOp;
    failed?: boolean;
}

/** The logical operations counted in the summary, in the display's order (deploy.StepOps). */
export type SummaryOp = "same" | "create" | "update" | "delete" | "replace";
const SUMMARY_ORDER: Exclude<SummaryOp, "same">[] = ["create", "update", "delete", "replace"];
const SUMMARY_PREFIX: Record<Exclude<SummaryOp, "same">, string> = { create: "+ ", update: "~ ", delete: "- ", replace: "+-" };
const PAST: Record<Exclude<SummaryOp, "same">, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced" };

export type Counts = Partial<Record<SummaryOp, number>>;

interface Writer {
    write(text: string): unknown;
}

export class Printer {
    /**
     * @param color whether the diagnostics stream is a terminal: messages from the program may carry ANSI colors
     * (cmd/run colors error stacks), which are noise in a log file.
     */
    constructor(
        private readonly out: Writer,
        private readonly err: Writer,
        private readonly verbose: boolean,
        private readonly color = false,
    ) {}

    /** e.g. "Previewing update (dev):", "Updating (dev):", "Destroying (dev):". */
    header(text: string): void {
        this.out.write(`${text}\n`);
    }

    /** One line per resource operation: `    + pulumi-nodejs:dynamic:Resource  name  create [diff: ~a]`. */
    step(e: StepEvent, preview: boolean): void {
        // Unchanged resources get no line, nor does a refresh that found nothing new (the CLI's default display).
        if (e.op === "same" || (e.op === "refresh" && e.result === "same")) {
            return;
        }
        // A refresh that found the object gone reads as its deletion.
        const op = OPS[e.op === "refresh" && e.result === "delete" ? "delete" : e.op];
        const { type, name } = parseUrn(e.urn);
        const what = e.failed ? `**${op.doing} failed**` : preview ? op.plan : op.done;
        const diff = e.diff ? formatKeyDiff(e.diff) : "";
        this.out.write(`    ${op.symbol} ${type}  ${name}  ${what}${diff ? ` [diff: ${diff}]` : ""}\n`);
    }

    /** Free text from the provider host or the engine itself, kept apart from the plan on stderr. */
    note(text: string): void {
        this.err.write(`${text}\n`);
    }

    /** Verbose-only output (the host's stderr, debug messages). */
    debug(text: string): void {
        if (this.verbose) {
            this.err.write(`${text}\n`);
        }
    }

    /** The "Diagnostics:" section, grouped by resource; messages about the whole run go under the stack. */
    diagnostics(diags: readonly Diagnostic[], stackUrn: string): void {
        const shown = diags.filter((d) => d.severity !== "debug" || this.verbose);
        if (shown.length === 0) {
            return;
        }
        const groups = new Map<string, Diagnostic[]>();
        for (const d of shown) {
            const urn = d.urn || stackUrn;
            groups.set(urn, [...(groups.get(urn) ?? []), d]);
        }
        let text = "Diagnostics:\n";
        for (const [urn, list] of groups) {
            const { type, name } = parseUrn(urn);
            text += `  ${type} (${name}):\n`;
            for (const d of list) {
                const prefix = d.severity === "info" ? "" : `${d.severity}: `;
                const message = this.color ? d.message : stripAnsi(d.message);
                text += `    ${prefix}${message.trimEnd().replace(/\n/g, "\n    ")}\n`;
            }
            text += "\n";
        }
        this.err.write(text);
    }

    outputs(outputs: PropertyMap): void {
        const keys = Object.keys(outputs).sort();
        if (keys.length === 0) {
            return;
        }
        const width = Math.max(...keys.map((k) => k.length));
        let text = "Outputs:\n";
        for (const key of keys) {
            text += `    ${key.padEnd(width)}: ${renderOutput(outputs[key], "    ")}\n`;
        }
        this.out.write(text + "\n");
    }

    summary(counts: Counts, preview: boolean): void {
        let text = "Resources:\n";
        let kinds = 0;
        let total = 0;
        for (const op of SUMMARY_ORDER) {
            const n = counts[op] ?? 0;
            if (n > 0) {
                kinds++;
                total += n;
                text += `    ${SUMMARY_PREFIX[op]}${n} ${preview ? `to ${op}` : PAST[op]}\n`;
            }
        }
        const pieces: string[] = [];
        if (kinds >= 2) {
            pieces.push(`${total} ${total === 1 ? "change" : "changes"}`);
        }
        if (counts.same) {
            pieces.push(`${counts.same} unchanged`);
        }
        if (pieces.length) {
            text += `    ${pieces.join(". ")}\n`;
        }
        this.out.write(text + "\n");
    }

    duration(ms: number): void {
        this.out.write(`Duration: ${formatDuration(ms)}\n\n`);
    }
}

function stripAnsi(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/\x1b\[[0-9;]*m/g, "");
}

function renderOutput(v: JsonValue, indent: string): string {
    if (isSecret(v)) {
        return "[secret]";
    }
    if (v === unknownValue) {
        return "output<string>";
    }
    const text = JSON.stringify(redactSecrets(v), null, 4);
    return text.replace(/\n/g, `\n${indent}`);
}

function formatDuration(ms: number): string {
    const s = Math.round(ms / 1000);
    return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** The name under which Pulumi files diagnostics that belong to no resource. */
export function stackUrnFor(stack: string, project: string): string {
    return `urn:pulumi:${stack}::${project}::${ROOT_STACK_TYPE}::${project}-${stack}`;
}
