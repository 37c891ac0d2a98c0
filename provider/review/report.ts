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

/**
 * A part of the report whose rows can be left out when the report is too long: its head and tail stay, so that a
 * table keeps its header and a fenced block its fences, and it says how many rows it leaves out.
 */
interface Section {
    readonly head: readonly string[];
    readonly rows: readonly string[];
    readonly tail: readonly string[];
    /** What a row is, for "3 more rows are left out": `row`, `replacement`, `message`. */
    readonly noun: string;
}

function renderSection(section: Section, kept: number): string[] {
    if (section.rows.length === 0) return [];
    const leftOut = section.rows.length - kept;
    const said = leftOut === 0 ? [] : ["", `${leftOut} more ${section.noun}${leftOut === 1 ? " is" : "s are"} left out to keep this comment under its size limit: run \`mlplatform review\` on the same preview for all of them.`];
    return [...section.head, ...section.rows.slice(0, kept), ...section.tail, ...said, ""];
}

/** The whole report. With no changes and no errors, one line. */
export function renderReport(planned: PlannedChange, picture: Picture, changeSummary: Readonly<Record<string, number>>, options: ReportOptions = {}): string {
    const summary = summaryLine(planned, changeSummary);
    const changing = planned.changes.filter((c) => CHANGING.includes(c.change));
    const errorsAndWarnings = planned.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
    if (changing.length === 0 && errorsAndWarnings.length === 0) return `${summary}\n`;
    const [roles, shares] = accessSections(planned);
    const replacements = replacementsSection(planned);
    const changes = changesSection(planned);
    const diagnostics = diagnosticsSection(planned);
    const shown = [replacements, roles, shares, changes, diagnostics];
    // When the report is too long, the details go first and what matters most last.
    const shortenedFirst = [changes, diagnostics, shares, roles, replacements];
    const kept = new Map(shown.map((s) => [s, s.rows.length]));
    const diagram = pictureSection(planned, picture);
    const fitsMermaid = diagram.join("\n").length <= MERMAID_MAX_TEXT;
    const noDiagram = ["### After the change", "", `The diagram is too large for ${fitsMermaid ? "this comment" : "Mermaid to draw"}${options.svgWritten ? ": see the SVG picture written beside this report" : ""}.`];
    const assemble = (withDiagram: boolean) => [
        "## Platform change", "", summary, "",
        ...shown.flatMap((section) => renderSection(section, kept.get(section)!)),
        ...(withDiagram ? diagram : noDiagram),
        ...(planned.notes.length > 0 ? ["", ...planned.notes.map((n) => `> ${md(n)}`)] : []),
        "",
    ].join("\n");
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    const fits = (report: string) => maxLength <= 0 || report.length <= maxLength;
    if (fits(assemble(fitsMermaid))) return assemble(fitsMermaid);
    // Too long: the diagram goes (the SVG has it), then rows, section by section, each keeping as many as fit
    // (a binary search on the count). A section emptied before a later one was shortened gets back what room is left.
    const keepWhatFits = (section: Section, fewest: number) => {
        let low = fewest;
        let high = section.rows.length;
        while (low < high) {
            const middle = Math.ceil((low + high) / 2);
            kept.set(section, middle);
            if (fits(assemble(false))) low = middle;
            else high = middle - 1;
        }
        kept.set(section, low);
    };
    for (const section of shortenedFirst) if (!fits(assemble(false))) keepWhatFits(section, 0);
    for (const section of shortenedFirst) keepWhatFits(section, kept.get(section)!);
    return assemble(false);
}

function replacementsSection(planned: PlannedChange): Section {
    // A replacement another one causes is said with its cause, not again on its own.
    const caused = new Set([...planned.takenDown.values()].flat().map((o) => o.urn));
    const replaced = planned.changes.filter((c) => c.change === "replace" && c.kind && !caused.has(c.urn));
    const rows = replaced.map((c) => {
        const because = c.properties.filter((p) => p.replaces);
        const reason = because.length > 0
            ? ` because ${because.map((p) => `${cell(p.path)} changes${p.secret ? "" : ` from ${valueCell(planned.before, c, p, "before") || "nothing"} to ${valueCell(planned.after, c, p, "after") || "nothing"}`}`).join(" and ")}, which can never change`
            : "";
        const going = planned.takenDown.get(c.urn) ?? [];
        const line = `- **${md(`${c.kind} ${c.name}`)}** is deleted and created again${reason}.`;
        if (going.length === 0) return line;
        return `${line}\n  It takes down with it ${going.map((o) => `**${md(labelOf(o))}**`).join(", ")}: each is deleted and created again${c.kind === "Community" || c.kind === "Project" ? ` in the new ${c.kind.toLowerCase()}` : ""}, and what they hold on the platform (data, settings made outside this program) does not carry over.`;
    });
    return { head: ["### Replacements", ""], rows, tail: [], noun: "replacement" };
}

/** Roles, then shares: one table each, under one heading. */
function accessSections(planned: PlannedChange): [Section, Section] {
    const roles = roleChanges(planned.before, planned.after).map((r) => {
        const role = r.change === "changed" ? `${md(r.before!)} → **${md(r.after!)}**` : md((r.after ?? r.before)!);
        return `| ${r.change} | ${md(r.subject)} | ${role} | ${md(r.place.label)} |`;
    });
    const shares = shareChanges(planned.before, planned.after).map((s) =>
        `| ${s.change === "shared" ? "newly shared" : "unshared"} | ${md(s.share.resourceLabel)} | ${md(s.share.from)} | ${md(s.share.communityLabel)} | ${md(s.share.zone ?? "?")} |`);
    const heading = ["### Access", ""];
    return [
        { head: [...heading, "| | subject | role | where |", "|---|---|---|---|"], rows: roles, tail: [], noun: "role change" },
        { head: [...(roles.length > 0 ? [] : heading), "| | resource | from | into | zone |", "|---|---|---|---|---|"], rows: shares, tail: [], noun: "share" },
    ];
}

/** One table row per changed property; objects of other packages by their type only. */
function changesSection(planned: PlannedChange): Section {
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
    return { head: ["### Changes", "", "| | resource | property | before | after |", "|---|---|---|---|---|"], rows, tail: [], noun: "row" };
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

function diagnosticsSection(planned: PlannedChange): Section {
    const rows = planned.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => {
        const where = d.urn ? `${urnParts(d.urn).type} ${urnParts(d.urn).name}: ` : "";
        // A message cannot close the fence it is shown in.
        return `${d.severity}: ${where}${d.message.trim()}`.replace(/```/g, "'''");
    });
    return { head: ["<details><summary>Errors and warnings of the preview</summary>", "", "```text"], rows, tail: ["```", "", "</details>"], noun: "message" };
}
