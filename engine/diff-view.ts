// The `--diff` display: each step as a block with its properties, old => new, nested ones included, in the layout of
// `pulumi preview --diff` (pkg/backend/display: diff.go renderDiff, object_diff.go; facts read from the Pulumi
// sources, none of their code used). Without color, which is all that tells a changed character apart in the CLI, a
// block reads the same as the CLI's:
//
//     ~ pulumi-nodejs:dynamic/mlplatform:Project: (update)
//         [id=prj5x...]
//         [urn=urn:pulumi:dev::team-setup::pulumi-nodejs:dynamic/mlplatform:Project::training]
//         description           : "Training pipelines"
//       ~ limits                : {
//           ~ maxUnitsPerHour     : 500 => 800
//         }
//
// A level of nesting is four columns; a changed line trades its last two spaces for the step's prefix (`+ `, `- `,
// `~ `, `+-`, ...); keys are padded to the longest key of their object; secrets print as `[secret]` (a changed one as
// `[secret] => [secret]`), values not known before apply as `[unknown]`, null as `<null>`.

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { isListed, isRootStack, type DisplayOp, type StepEvent } from "./steps";
import type { ResourceState } from "./types";
import { parseUrn } from "./urn";
import { compareKeys, diffObjects, isPlainObject, keysOf, type ObjectDiff, type ValueDiff } from "./property-diff";
import { deepEqual, isSecret, type JsonValue, type PropertyMap } from "./values";

/** The operations a line can be marked with: the steps' own, and the three a property change uses. */
type LineOp = DisplayOp | "create-replacement";

/** The two columns in front of a changed line (deploy.RawPrefix). */
const PREFIX: Record<LineOp, string> = {
    same: "  ",
    create: "+ ",
    delete: "- ",
    update: "~ ",
    replace: "+-",
    "create-replacement": "++",
    "delete-replaced": "--",
    read: "> ",
    "read-replacement": ">>",
    refresh: "~ ",
    discard: "< ",
};

/** Internal properties (`__provider`, ...) are never shown (resource.IsInternalPropertyKey). */
function isInternal(key: string): boolean {
    return key.startsWith("__");
}

// ---- printing ---------------------------------------------------------------------------------------------------

/** What a printed line needs: how deep it is, the operation that colors it, and whether it wears the prefix. */
interface Pen {
    indent: number;
    op: LineOp;
    prefixed: boolean;
    /** Shorten long strings as the CLI does unless --show-full-output (which this engine does not have). */
    truncate: boolean;
}

const at = (pen: Pen, change: Partial<Pen>): Pen => ({ ...pen, ...change });

/** Four columns a level; a prefixed line trades the last two for the operation's prefix. */
function indentation(indent: number, op: LineOp, prefixed: boolean): string {
    const spaces = "    ".repeat(indent);
    return prefixed && spaces.length >= 2 ? spaces.slice(0, -2) + PREFIX[op] : spaces;
}

function lead(pen: Pen): string {
    return indentation(pen.indent, pen.op, pen.prefixed);
}

/** A string as Go's %q writes it (close enough: JSON's escapes). */
function quote(text: string): string {
    return JSON.stringify(text);
}

/** Over three lines or 150 characters on a line, a string is cut and ends with "..." (truncatePropertyString). */
function truncated(text: string): string {
    const lines = text.split("\n");
    let cut = lines.length > 3;
    const kept = lines.slice(0, 3).map((line) => {
        if (line.length > 150) {
            cut = true;
            return `${line.slice(0, 150)}...`;
        }
        return line;
    });
    if (!cut) {
        return text;
    }
    return lines.length <= 3 ? kept.join("\n") : `${kept.join("\n")}\n...`;
}

function isPrimitive(v: JsonValue): boolean {
    return v === null || typeof v !== "object" || isSecret(v);
}

function isText(v: JsonValue): v is string {
    return typeof v === "string" && v !== unknownValue;
}

function primitive(pen: Pen, v: JsonValue): string {
    if (v === null) {
        return "<null>";
    }
    if (isSecret(v)) {
        return "[secret]";
    }
    if (v === unknownValue) {
        return "[unknown]";
    }
    if (typeof v === "number") {
        // Integers without an exponent (Go's %.f); the rest as they come.
        return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
    }
    if (typeof v === "string") {
        return quote(pen.truncate ? truncated(v) : v);
    }
    return String(v);
}

/** Nulls, empty strings, lists and objects are clutter and left out (shouldPrintPropertyValue). */
function worthPrinting(v: JsonValue | undefined): boolean {
    if (v === undefined || v === null || v === "") {
        return false;
    }
    if (Array.isArray(v)) {
        return v.length > 0;
    }
    return !isPlainObject(v) || Object.keys(v).length > 0;
}

function title(pen: Pen, key: string, width: number): string {
    return `${lead(pen)}${key.padEnd(width)}: `;
}

/** A value and its line break; lists and objects span lines, one level deeper. */
function value(pen: Pen, v: JsonValue): string {
    return `${valueText(pen, v)}\n`;
}

function valueText(pen: Pen, v: JsonValue): string {
    if (isPrimitive(v)) {
        return primitive(pen, v);
    }
    if (Array.isArray(v)) {
        if (v.length === 0) {
            return "[]";
        }
        const items = v.map((e, i) => `${lead(pen)}    [${i}]: ${value(at(pen, { indent: pen.indent + 1 }), e)}`).join("");
        return `[\n${items}${indentation(pen.indent, pen.op, false)}]`;
    }
    const obj = v as PropertyMap;
    if (Object.keys(obj).length === 0) {
        return "{}";
    }
    return `{\n${object(at(pen, { indent: pen.indent + 1 }), obj)}${indentation(pen.indent, pen.op, false)}}`;
}

/** Every property of an object. Internal keys are hidden but count for the alignment, as in the CLI. */
function object(pen: Pen, props: PropertyMap): string {
    const keys = Object.keys(props).sort(compareKeys);
    const width = Math.max(0, ...keys.map((k) => k.length));
    return keys.filter((k) => !isInternal(k)).map((k) => title(pen, k, width) + value(pen, props[k])).join("");
}

type Title = (pen: Pen) => string;

/** A value added (`+ `) or removed (`- `): every line of it carries the mark. */
function marked(pen: Pen, op: "create" | "delete", v: JsonValue, titled: Title): string {
    const p = at(pen, { op, prefixed: true });
    return titled(p) + value(p, v);
}

/** An object's changes; its unchanged properties too unless `changesOnly` (a detailed diff lists only changes). */
function objectDiff(pen: Pen, diff: ObjectDiff, changesOnly: boolean): string {
    const keys = keysOf(diff).filter((k) => !changesOnly || !diff.sames.has(k));
    const width = Math.max(0, ...keys.map((k) => k.length));
    let text = "";
    for (const key of keys) {
        const titled: Title = (p) => title(p, key, width);
        if (diff.adds.has(key)) {
            text += marked(pen, "create", diff.adds.get(key)!, titled);
        } else if (diff.deletes.has(key)) {
            text += marked(pen, "delete", diff.deletes.get(key)!, titled);
        } else if (diff.updates.has(key)) {
            text += valueDiff(pen, titled, diff.updates.get(key)!, changesOnly);
        } else if (worthPrinting(diff.sames.get(key))) {
            const p = at(pen, { op: "same", prefixed: false });
            text += titled(p) + value(p, diff.sames.get(key)!);
        }
    }
    return text;
}

function valueDiff(pen: Pen, titled: Title, diff: ValueDiff, changesOnly: boolean): string {
    const p = at(pen, { op: "update", prefixed: true });
    if (diff.kind === "array") {
        const { array } = diff;
        let text = `${titled(p)}[\n`;
        for (let i = 0; i < array.length; i++) {
            // An element is titled one level in, its value two.
            const item = at(p, { indent: p.indent + 2 });
            const itemTitle: Title = (q) => `${indentation(q.indent - 1, q.op, q.prefixed)}[${i}]: `;
            if (array.adds.has(i)) {
                text += marked(item, "create", array.adds.get(i)!, itemTitle);
            } else if (array.deletes.has(i)) {
                text += marked(item, "delete", array.deletes.get(i)!, itemTitle);
            } else if (array.updates.has(i)) {
                text += valueDiff(item, itemTitle, array.updates.get(i)!, changesOnly);
            } else if (array.sames.has(i) && !changesOnly) {
                const same = at(item, { op: "same", prefixed: false });
                text += itemTitle(same) + value(same, array.sames.get(i)!);
            }
        }
        return `${text}${indentation(p.indent, p.op, false)}]\n`;
    }
    if (diff.kind === "object") {
        return `${titled(p)}{\n${objectDiff(at(p, { indent: p.indent + 1 }), diff.object, changesOnly)}${indentation(p.indent, p.op, false)}}\n`;
    }
    const printOld = worthPrinting(diff.old);
    const printNew = worthPrinting(diff.new);
    if (printOld && printNew && isPrimitive(diff.old) && isPrimitive(diff.new)) {
        if (isText(diff.old) && isText(diff.new)) {
            return titled(p) + textDiff(p, diff.old, diff.new);
        }
        return `${titled(p)}${primitive(p, diff.old)} => ${primitive(p, diff.new)}\n`;
    }
    // Different kinds of value: the old one goes, the new one comes.
    return (printOld ? marked(p, "delete", diff.old, titled) : "") + (printNew ? marked(p, "create", diff.new, titled) : "");
}

/** A changed string: `"old" => "new"` on one line, or for text of several lines the changed lines with some context. */
function textDiff(pen: Pen, old: string, now: string): string {
    if (!old.includes("\n") && !now.includes("\n")) {
        return `${quote(old)} => ${quote(now)}\n`;
    }
    return `\n${lineDiff(at(pen, { indent: pen.indent + 1 }), old, now)}`;
}

type Chunk = { op: "same" | "create" | "delete"; lines: string[] };

/** Above this many line pairs the changed middle of two texts is shown as removed, then added, not matched up. */
const LINE_PAIRS_MATCHED = 250_000;

/**
 * The lines of two texts as runs kept, removed and added, removals first: the lines both start and end with are kept,
 * and the middle is matched up by a longest common subsequence (when small enough to be quick).
 */
function lineChunks(old: string, now: string): Chunk[] {
    const a = old.split("\n");
    const b = now.split("\n");
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let end = 0;
    while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
    const midA = a.slice(start, a.length - end);
    const midB = b.slice(start, b.length - end);

    const chunks: Chunk[] = [];
    const push = (op: Chunk["op"], line: string) => {
        const last = chunks[chunks.length - 1];
        if (last?.op === op) {
            last.lines.push(line);
        } else {
            chunks.push({ op, lines: [line] });
        }
    };
    a.slice(0, start).forEach((line) => push("same", line));
    if (midA.length * midB.length > LINE_PAIRS_MATCHED) {
        midA.forEach((line) => push("delete", line));
        midB.forEach((line) => push("create", line));
    } else {
        // lengths[i][j]: the longest common subsequence of midA[i..] and midB[j..].
        const lengths = Array.from({ length: midA.length + 1 }, () => new Array<number>(midB.length + 1).fill(0));
        for (let i = midA.length - 1; i >= 0; i--) {
            for (let j = midB.length - 1; j >= 0; j--) {
                lengths[i][j] = midA[i] === midB[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
            }
        }
        let i = 0;
        let j = 0;
        while (i < midA.length || j < midB.length) {
            if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
                push("same", midA[i++]);
                j++;
            } else if (i < midA.length && (j >= midB.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
                push("delete", midA[i++]);
            } else {
                push("create", midB[j++]);
            }
        }
    }
    a.slice(a.length - end).forEach((line) => push("same", line));
    return chunks;
}

/**
 * Changed lines marked `- ` and `+ `, and of the unchanged ones only two next to a change, the rest shown as `...`
 * (printLineDiff). Blank lines are left out.
 */
function lineDiff(pen: Pen, old: string, now: string): string {
    const chunks = lineChunks(old, now);
    const line = (op: Chunk["op"], text: string) => `${indentation(pen.indent, op, op !== "same")}${text}\n`;
    const CONTEXT = 2;
    let out = "";
    chunks.forEach((chunk, index) => {
        const lines = chunk.lines.filter((l) => l.trim() !== "");
        if (chunk.op !== "same") {
            out += lines.map((l) => line(chunk.op, l)).join("");
            return;
        }
        const first = index === 0;
        const last = index === chunks.length - 1;
        if (first && lines.length > CONTEXT + 1) {
            out += line("same", "...") + lines.slice(-CONTEXT).map((l) => line("same", l)).join("");
        } else if (last && !first && lines.length > CONTEXT + 1) {
            out += lines.slice(0, CONTEXT).map((l) => line("same", l)).join("") + line("same", "...");
        } else if (!first && !last && lines.length > 2 * CONTEXT + 1) {
            out += [...lines.slice(0, CONTEXT), "...", ...lines.slice(-CONTEXT)].map((l) => line("same", l)).join("");
        } else {
            out += lines.map((l) => line("same", l)).join("");
        }
    });
    return out;
}

// ---- steps ------------------------------------------------------------------------------------------------------

/** The op a block is titled with: a refresh shows what it found. */
function shownOp(e: StepEvent): DisplayOp {
    // A managed object given up for one the program reads: the logical step is its replacement (the read step
    // that takes its place is one of the replacement steps the CLI lists only with --show-replacement-steps).
    if (e.op === "read-replacement") {
        return "replace";
    }
    if (e.op === "refresh" && e.result === "delete") {
        return "delete";
    }
    return e.op === "refresh" && e.result === "update" ? "update" : e.op;
}

/** `+ <type>: (create)`, with the lock of a protected resource and `[retain]` on a deletion that keeps the object. */
function header(e: StepEvent, indent: number): string {
    const op = shownOp(e);
    const type = e.new?.type ?? e.old?.type ?? parseUrn(e.urn).type;
    const retain = e.old?.retainOnDelete && (op === "delete" || op === "replace" || op === "delete-replaced") ? "[retain]" : "";
    const lock = e.new && !e.new.protect && e.old?.protect ? " 🔓" : e.new?.protect || e.old?.protect ? " 🔒" : "";
    let text = `${indentation(indent, op, false)}${PREFIX[op]}${type}: (${op}${retain})${lock}\n`;
    if (e.old?.id) {
        text += `${indentation(indent + 1, op, false)}[id=${e.old.id}]\n`;
    }
    return text + `${indentation(indent + 1, op, false)}[urn=${e.urn}]\n`;
}

/** The properties under a step's header (getResourcePropertiesDetails). */
function details(e: StepEvent, indent: number): string {
    const op = shownOp(e);
    const pen: Pen = { indent: indent + 1, op, prefixed: false, truncate: true };
    const { old, new: now } = e;
    if (op === "same" || e.failed) {
        return "";
    }
    if (!old && now) {
        return object(pen, now.inputs) + (op === "read" ? readOutputs(pen, now) : "");
    }
    if (old && !now) {
        // A deletion lists what the resource had; a refresh that found the object gone says only that.
        return e.op === "refresh" ? "" : object(pen, old.inputs);
    }
    if (!old || !now) {
        return "";
    }
    if (e.op === "refresh") {
        // What the read found against what the state had: outputs (renderDiff with refresh).
        return oldNewDiff(pen, old.outputs, now.outputs, []);
    }
    if (e.reasons?.engineDiff) {
        // The engine's own detailed diff (the provider could not say): the changes only, internal keys included.
        const diff = diffObjects(old.inputs, now.inputs, () => true);
        return diff ? objectDiff(at(pen, { prefixed: true }), diff, true) : "";
    }
    return oldNewDiff(pen, old.inputs, now.inputs, e.reasons?.diffReasons ?? []) + (op === "read" ? readOutputs(pen, now) : "");
}

/** Old against new, internal keys hidden; only `include` when the provider named the changed keys (printOldNewDiffs). */
function oldNewDiff(pen: Pen, olds: PropertyMap, news: PropertyMap, include: readonly string[]): string {
    const diff = diffObjects(olds, news, (k) => !isInternal(k));
    if (!diff) {
        return object(at(pen, { op: "same", prefixed: true }), news);
    }
    if (include.length > 0) {
        for (const map of [diff.adds, diff.deletes, diff.sames, diff.updates]) {
            for (const key of [...map.keys()]) {
                if (!include.includes(key)) {
                    map.delete(key);
                }
            }
        }
    }
    return objectDiff(at(pen, { prefixed: true }), diff, false);
}

/** What a read found, under `--outputs:--`: the outputs that are not simply its inputs (and none before they are known). */
function readOutputs(pen: Pen, r: ResourceState): string {
    const outputs = Object.entries(r.outputs).filter(
        ([k, v]) => !isInternal(k) && v !== unknownValue && worthPrinting(v) && !(k in r.inputs && deepEqual(r.inputs[k], v)),
    );
    if (outputs.length === 0) {
        return "";
    }
    return `${lead(pen)}--outputs:--\n${object(pen, Object.fromEntries(outputs))}`;
}

/**
 * Renders steps as `pulumi preview --diff` and `pulumi up --diff` do, in the order they come. A block is indented
 * one level per ancestor shown before it (getIndent).
 */
export class DiffView {
    private readonly seen = new Map<string, StepEvent>();

    constructor(private readonly showSames: boolean) {}

    /** Whether the step is shown: as in --json, except that a refresh is shown once it found something. */
    private shows(e: StepEvent): boolean {
        if (e.op === "refresh") {
            // renderDiffResourceOutputsEvent: a refresh is drawn with what it found, a change or an object gone.
            return e.result === "update" || e.result === "delete";
        }
        return isListed(e, this.showSames);
    }

    private indentOf(e: StepEvent): number {
        if (e.failed) {
            // A failure names only the resource. Resources are the stack's children unless the program nests them
            // in a component, so the line goes under the stack.
            return [...this.seen.values()].some((s) => isRootStack(s.urn)) ? 1 : 0;
        }
        let indent = 0;
        for (let parent = e.new?.parent ?? e.old?.parent; parent; ) {
            const p = this.seen.get(parent);
            if (!p) {
                // Deletions come children first: the parent is not seen yet (the CLI loses the indent too).
                break;
            }
            if (this.shows(p)) {
                indent++;
            }
            parent = p.new?.parent ?? p.old?.parent;
        }
        return indent;
    }

    /** The block of one step, or "" when it is not shown. */
    render(e: StepEvent): string {
        if (!e.failed) {
            this.seen.set(e.urn, e);
        }
        if (!this.shows(e)) {
            return "";
        }
        const indent = this.indentOf(e);
        return header(e, indent) + details(e, indent);
    }
}
