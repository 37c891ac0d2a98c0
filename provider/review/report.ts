// The Markdown report for a pull request: a summary line, the replacements and what they take down with them,
// who gains or loses access, every changed property with its old and new value, and the picture after the change.
// No secret value can reach it: objects hold secrets masked from the moment they are read (objects.ts).
import { KINDS } from "../model/kinds";
import { UNKNOWN } from "../model/unknown";
import { roleChanges, shareChanges } from "./access";
import type { Change, ObjectChange, PlannedChange, PropertyChange } from "./changes";
import { toMermaid } from "./mermaid";
import { kindOfUrn, labelOf, ObjectSet, PlatformObject, urnParts } from "./objects";
import type { Picture } from "./picture";
import { showValue } from "./values";

/** GitHub refuses a comment over 65,536 characters: the report stays under this by default. */
export const DEFAULT_MAX_LENGTH = 60_000;
/** Mermaid refuses to draw a diagram longer than this (its default maxTextSize, which GitHub keeps). */
const MERMAID_MAX_TEXT = 50_000;

const VERB: Readonly<Record<Change, string>> = {
    create: "to create", update: "to update", replace: "to replace", delete: "to delete", forget: "to stop reading", read: "to read", same: "unchanged",
};
const SIGN: Readonly<Record<Change, string>> = { create: "+", update: "~", replace: "+-", delete: "-", forget: "-", read: ">", same: "" };
const CHANGING: readonly Change[] = ["create", "update", "replace", "delete", "forget"];

/** Markdown that a name from a program cannot break, mid-line: emphasis, code, links, HTML and cell syntax escaped. */
function md(text: string): string {
    return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

/** A value in a table cell: code, HTML-escaped, pipes as entities (Markdown splits cells at `|` even inside code). */
function cell(text: string): string {
    return `<code>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;")}</code>`;
}

export interface ReportOptions {
    /** Longest report; past it the diagram, then rows of the changes table, are left out and the report says so. */
    readonly maxLength?: number;
    /** Whether an SVG of the picture is written beside the report (then the report points at it when it leaves the diagram out). */
    readonly svgWritten?: boolean;
}

/**
 * The plan's counts: the CLI's own (changeSummary, as its display counts them, the stack included) when it gives
 * them, else the steps'.
 */
function summaryLine(planned: PlannedChange, changeSummary: Readonly<Record<string, number>>): string {
    const counted = new Map<Change, number>();
    for (const c of planned.changes) counted.set(c.change, (counted.get(c.change) ?? 0) + 1);
    const fromCli = Object.keys(changeSummary).some((op) => op in VERB);
    const count = (c: Change) => (fromCli ? changeSummary[c] ?? 0 : counted.get(c) ?? 0);
    const parts = CHANGING.filter((c) => count(c) > 0).map((c) => `${count(c)} ${VERB[c]}`);
    const unchanged = count("same");
    const errors = planned.diagnostics.filter((d) => d.severity === "error").length;
    const failed = errors > 0 ? `**The preview failed** (${errors} error${errors === 1 ? "" : "s"}, below). ` : "";
    if (planned.changes.every((c) => !CHANGING.includes(c.change))) return `${failed}No changes: ${unchanged} resource${unchanged === 1 ? "" : "s"} unchanged.`;
    return `${failed}**Plan:** ${parts.join(", ")}, ${unchanged} unchanged.`;
}

/** The whole report. With no changes and no errors, one line. */
export function renderReport(planned: PlannedChange, picture: Picture, changeSummary: Readonly<Record<string, number>>, options: ReportOptions = {}): string {
    const summary = summaryLine(planned, changeSummary);
    const changing = planned.changes.filter((c) => CHANGING.includes(c.change));
    const errorsAndWarnings = planned.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
    if (changing.length === 0 && errorsAndWarnings.length === 0) return `${summary}\n`;
    const head = [`## Platform change`, "", summary, ""];
    const sections = [replacementsSection(planned), accessSection(planned), diagnosticsSection(planned)].filter((s) => s.length > 0);
    const rows = changeRows(planned);
    const tail = planned.notes.length > 0 ? ["", ...planned.notes.map((n) => `> ${md(n)}`)] : [];
    const diagram = pictureSection(planned, picture);
    const fitsMermaid = diagram.join("\n").length <= MERMAID_MAX_TEXT;
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    const assemble = (tableRows: string[], withDiagram: boolean, leftOut: number) => [
        ...head,
        ...sections.flatMap((s) => [...s, ""]),
        ...changesSection(planned, tableRows, leftOut),
        "",
        ...(withDiagram ? diagram : [`### After the change`, "", `The diagram is too large for ${fitsMermaid ? "this comment" : "Mermaid to draw"}${options.svgWritten ? ": see the SVG picture written beside this report" : ""}.`]),
        ...tail,
        "",
    ].join("\n");
    let report = assemble(rows, fitsMermaid, 0);
    if (maxLength <= 0 || report.length <= maxLength) return report;
    // Over the limit: the diagram goes first (the SVG has it), then rows of the changes table from the end.
    report = assemble(rows, false, 0);
    let kept = rows.length;
    while (report.length > maxLength && kept > 0) {
        kept = Math.max(0, kept - Math.max(1, Math.ceil((report.length - maxLength) / 80)));
        report = assemble(rows.slice(0, kept), false, rows.length - kept);
    }
    return report;
}

function replacementsSection(planned: PlannedChange): string[] {
    // A replacement another one causes is said with its cause, not again on its own.
    const caused = new Set([...planned.takenDown.values()].flat().map((o) => o.urn));
    const replaced = planned.changes.filter((c) => c.change === "replace" && c.kind && !caused.has(c.urn));
    if (replaced.length === 0) return [];
    const lines = ["### Replacements", ""];
    for (const c of replaced) {
        const because = c.properties.filter((p) => p.replaces);
        const reason = because.length > 0
            ? ` because ${because.map((p) => `${cell(p.path)} changes${p.secret ? "" : ` from ${valueCell(planned.before, c, p, "before") || "nothing"} to ${valueCell(planned.after, c, p, "after") || "nothing"}`}`).join(" and ")}, which can never change`
            : "";
        const going = planned.takenDown.get(c.urn) ?? [];
        lines.push(`- **${md(`${c.kind} ${c.name}`)}** is deleted and created again${reason}.`);
        if (going.length > 0) {
            lines.push(`  It takes down with it ${going.map((o) => `**${md(labelOf(o))}**`).join(", ")}: each is deleted and created again${c.kind === "Community" || c.kind === "Project" ? ` in the new ${c.kind.toLowerCase()}` : ""}, and what they hold on the platform (data, settings made outside this program) does not carry over.`);
        }
    }
    return lines;
}

function accessSection(planned: PlannedChange): string[] {
    const roles = roleChanges(planned.before, planned.after);
    const shares = shareChanges(planned.before, planned.after);
    if (roles.length === 0 && shares.length === 0) return [];
    const lines = ["### Access", ""];
    if (roles.length > 0) {
        lines.push("| | subject | role | where |", "|---|---|---|---|");
        for (const r of roles) {
            const role = r.change === "changed" ? `${md(r.before!)} → **${md(r.after!)}**` : md((r.after ?? r.before)!);
            lines.push(`| ${r.change} | ${md(r.subject)} | ${role} | ${md(r.place.label)} |`);
        }
        lines.push("");
    }
    if (shares.length > 0) {
        lines.push("| | resource | from | into | zone |", "|---|---|---|---|---|");
        for (const s of shares) {
            lines.push(`| ${s.change === "shared" ? "newly shared" : "unshared"} | ${md(s.share.resourceLabel)} | ${md(s.share.from)} | ${md(s.share.communityLabel)} | ${md(s.share.zone ?? "?")} |`);
        }
        lines.push("");
    }
    return lines.slice(0, -1);
}

/** One table row per changed property; objects of other packages by their type only. */
function changeRows(planned: PlannedChange): string[] {
    const rows: string[] = [];
    for (const c of planned.changes.filter((x) => CHANGING.includes(x.change))) {
        const who = md(c.kind ? `${c.kind} ${c.name}` : `${c.type} ${c.name}`);
        if (!c.kind || c.properties.length === 0) {
            rows.push(`| ${SIGN[c.change]} | ${who} | | ${c.change === "forget" ? "stops being read (nothing is deleted)" : VERB[c.change]} | |`);
            continue;
        }
        for (const p of c.properties) {
            const note = [p.replaces ? "replaces" : "", p.secret ? "a secret: it changes, its value is never shown" : ""].filter(Boolean).join("; ");
            rows.push(`| ${SIGN[c.change]} | ${who} | ${cell(p.path)}${note ? ` (${note})` : ""} | ${valueCell(planned.before, c, p, "before")} | ${valueCell(planned.after, c, p, "after")} |`);
        }
    }
    return rows;
}

function changesSection(planned: PlannedChange, rows: string[], leftOut: number): string[] {
    if (rows.length === 0 && leftOut === 0) return [];
    return [
        "### Changes",
        "",
        "| | resource | property | before | after |",
        "|---|---|---|---|---|",
        ...rows,
        ...(leftOut > 0 ? ["", `${leftOut} more row${leftOut === 1 ? " is" : "s are"} left out to keep this comment under its size limit: run \`mlplatform review\` on the same preview for all of them.`] : []),
    ];
}

/** A value; an id that names another object of the stack shown as that object, a new object's id as "(new id)". */
function valueCell(side: ObjectSet, c: ObjectChange, p: PropertyChange, which: "before" | "after"): string {
    const value = p[which];
    if (value === undefined) return "";
    const object = which === "before" ? c.before : c.after;
    const target = object ? referenceTarget(side, object, p.path, value) : undefined;
    if (target) return `${md(target)} ${cell(value === UNKNOWN ? "(new id)" : showValue(value))}`;
    return cell(showValue(value));
}

/** What a parent or reference field points at, when the path is one: `Community research`. */
function referenceTarget(side: ObjectSet, object: PlatformObject, path: string, value: unknown): string | undefined {
    const decl = KINDS[object.kind];
    const general = path.replace(/\[\d+\]/g, "[]");
    const field = /^[^.[]+/.exec(path)?.[0] ?? path;
    const kinds = decl.parent?.field === path ? decl.parent.kinds : decl.references.find((r) => r.path === general)?.kinds;
    if (!kinds) return undefined;
    if (typeof value === "string" && value !== UNKNOWN) {
        const urn = side.urnOfId(value);
        const target = side.get(urn);
        if (target) return labelOf(target);
    }
    // A new object's id is unknown in preview: the input came from exactly one resource of the right kind.
    const from = (object.propertyDependencies[field] ?? []).filter((urn) => {
        const kind = side.get(urn)?.kind ?? kindOfUrn(urn);
        return kind !== undefined && kinds.includes(kind);
    });
    if (value === UNKNOWN && from.length === 1) {
        const target = side.get(from[0]);
        return target ? labelOf(target) : `${kindOfUrn(from[0])} ${urnParts(from[0]).name}`;
    }
    return undefined;
}

function pictureSection(planned: PlannedChange, picture: Picture): string[] {
    const lines = ["### After the change", "", "```mermaid", toMermaid(picture), "```"];
    if (!planned.complete) {
        lines.push("", "Objects this change leaves alone are not in this preview, so the picture shows only what changes and its places: run `pulumi preview --json --show-sames` for the whole organization.");
    }
    return lines;
}

function diagnosticsSection(planned: PlannedChange): string[] {
    const shown = planned.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
    if (shown.length === 0) return [];
    const lines = ["<details><summary>Errors and warnings of the preview</summary>", "", "```text"];
    for (const d of shown) {
        const where = d.urn ? `${urnParts(d.urn).type} ${urnParts(d.urn).name}: ` : "";
        lines.push(`${d.severity}: ${where}${d.message.trim()}`.replace(/```/g, "'''"));
    }
    lines.push("```", "", "</details>");
    return lines;
}
