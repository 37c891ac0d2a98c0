// The plan printer: resource lines, diagnostics, stack outputs and the summary, in the shape of Pulumi's
// non-interactive display (pkg/backend/display: rows.go, diff.go; op prefixes from deploy/step.go).

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { DiffView } from "./diff-view";
import type { DisplayOp, StepEvent, SummaryOp } from "./steps";
import type { Diagnostic } from "./types";
import { parseUrn, ROOT_STACK_TYPE } from "./urn";
import { formatKeyDiff, isSecret, redactSecrets, type JsonValue, type PropertyMap } from "./values";

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
    "read-replacement": { symbol: ">>", plan: "read for replacement", done: "read for replacement", doing: "reading for replacement" },
    discard: { symbol: "<", plan: "discard", done: "discarded", doing: "discarding" },
    refresh: { symbol: "~", plan: "refresh", done: "refreshed", doing: "refreshing" },
};

/** The logical operations counted in the summary, in the display's order (deploy.StepOps). */
const SUMMARY_ORDER: Exclude<SummaryOp, "same">[] = ["create", "update", "delete", "replace"];
const SUMMARY_PREFIX: Record<Exclude<SummaryOp, "same">, string> = { create: "+ ", update: "~ ", delete: "- ", replace: "+-" };
const PAST: Record<Exclude<SummaryOp, "same">, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced" };

export type Counts = Partial<Record<SummaryOp, number>>;

export interface Writer {
    write(text: string): unknown;
}

/** What an operation tells the person (or the tool) running it. The text display and `--json` are the two kinds. */
export interface Display {
    /** e.g. "Previewing update (dev):"; "" for a blank line. */
    header(text: string): void;
    step(e: StepEvent, preview: boolean): void;
    /** Free text from the provider host or the engine itself, kept apart from the plan on stderr. */
    note(text: string): void;
    /** Verbose-only output (the host's stderr, debug messages). */
    debug(text: string): void;
    /** Whether the program's console output is handed to programOutput (else it goes straight to the terminal). */
    readonly capturesProgramOutput: boolean;
    /** One line the program printed on its stdout. */
    programOutput(line: string): void;
    diagnostics(diags: readonly Diagnostic[], stackUrn: string): void;
    outputs(outputs: PropertyMap): void;
    summary(counts: Counts, preview: boolean): void;
    /** How long the run took: the last call of a run. */
    duration(ms: number, preview: boolean): void;
}

/** The text display: Pulumi's resource lines, or with `diff` each step's properties old => new. */
export class Printer implements Display {
    readonly capturesProgramOutput = false;
    private readonly diffView: DiffView | undefined;

    /**
     * @param color whether the diagnostics stream is a terminal: messages from the program may carry ANSI colors
     * (cmd/run colors error stacks), which are noise in a log file.
     * @param view `diff`: show each step's properties (`--diff`); `showSames`: with it, unchanged resources too.
     */
    constructor(
        private readonly out: Writer,
        private readonly err: Writer,
        private readonly verbose: boolean,
        private readonly color = false,
        view: { diff?: boolean; showSames?: boolean } = {},
    ) {
        this.diffView = view.diff ? new DiffView(view.showSames === true) : undefined;
    }

    /** e.g. "Previewing update (dev):", "Updating (dev):", "Destroying (dev):". */
    header(text: string): void {
        this.out.write(`${text}\n`);
    }

    /**
     * One line per resource operation: `    + pulumi-nodejs:dynamic:Resource  name  create [diff: ~a]`; with --diff, a
     * block per step (diff-view.ts).
     */
    step(e: StepEvent, preview: boolean): void {
        if (this.diffView) {
            this.out.write(this.diffView.render(e));
            return;
        }
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

    note(text: string): void {
        this.err.write(`${text}\n`);
    }

    programOutput(line: string): void {
        this.out.write(`${line}\n`);
    }

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

    duration(ms: number, preview: boolean): void {
        if (preview) {
            return;
        }
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
