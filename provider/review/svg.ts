// The picture as a standalone SVG, laid out here without a layout engine: the hierarchy is nesting, so each level
// is a row or a column of boxes inside its parent's box (organizations stacked, zones side by side, communities
// side by side in rows of at most four, projects and resources stacked), sized bottom-up from their labels and
// placed top-down. Share edges are curves from a resource to the header of the community it is shared into,
// leaving by the side that faces it. Text is monospace, so a label's width is known without measuring it.
import type { Level, Mark, Picture, PictureBox, PictureEdge } from "./picture";
import { boxText, MARK_SIGN, MARK_WORD } from "./mermaid";

const FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
const FONT_SIZE = 12;
/** Width of one character at FONT_SIZE: monospace fonts use 0.55-0.61 em; the widest, with a margin. */
export const CHAR_WIDTH = 7.4;
const MAX_LABEL = 48;
const HEADER = 24;
const LEAF_HEIGHT = 22;
const PAD = 10;
const GAP = 8;
/** Between communities: room for the share curves that run between them. */
const COLUMN_GAP = 56;
const ROW_GAP = 24;
const MAX_COLUMNS = 4;
const MARGIN = 16;
/** Right of everything: room for an edge that loops back to a box above or below its start. */
const LOOP_ROOM = 48;

const FILL: Readonly<Record<Mark, string>> = { added: "#dafbe1", changed: "#fff8c5", replaced: "#fbefff", removed: "#ffebe9", unchanged: "#ffffff" };
const STROKE: Readonly<Record<Mark, string>> = { added: "#1a7f37", changed: "#9a6700", replaced: "#8250df", removed: "#cf222e", unchanged: "#8c959f" };
const CONTAINER_FILL: Partial<Record<Level, string>> = { organization: "#f6f8fa", zone: "#eef1f4" };

interface Laid {
    readonly box: PictureBox;
    x: number;
    y: number;
    w: number;
    h: number;
    readonly children: Laid[];
}

function shorten(text: string): string {
    return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

export function textWidth(text: string): number {
    return [...text].length * CHAR_WIDTH;
}

/** Organizations and zones spread sideways; a zone's communities too, in rows; projects and resources stack. */
const SIDEWAYS: ReadonlySet<Level> = new Set(["organization", "zone"]);

/** Each box's size from its label and its children's sizes. */
function measure(box: PictureBox): Laid {
    const children = box.children.map(measure);
    const header = textWidth(shorten(boxText(box))) + 2 * PAD;
    if (box.level === "resource") return { box, x: 0, y: 0, w: textWidth(shorten(boxText(box))) + 16, h: LEAF_HEIGHT, children };
    let innerW = 0;
    let innerH = 0;
    if (children.length > 0 && SIDEWAYS.has(box.level)) {
        const columns = box.level === "zone" ? MAX_COLUMNS : children.length;
        const gap = box.level === "zone" ? COLUMN_GAP : ROW_GAP;
        for (const row of rows(children, columns)) {
            innerW = Math.max(innerW, row.reduce((sum, c) => sum + c.w, 0) + gap * (row.length - 1));
            innerH += Math.max(...row.map((c) => c.h)) + (innerH > 0 ? ROW_GAP : 0);
        }
    } else if (children.length > 0) {
        innerW = Math.max(...children.map((c) => c.w));
        innerH = children.reduce((sum, c) => sum + c.h, 0) + GAP * (children.length - 1);
    }
    return { box, x: 0, y: 0, w: Math.max(header, innerW + 2 * PAD), h: HEADER + innerH + (children.length > 0 ? PAD : 4), children };
}

function rows<T>(items: T[], columns: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += columns) out.push(items.slice(i, i + columns));
    return out;
}

/** Places a measured box; stacked children are widened to their parent's inner width, so columns line up. */
function place(laid: Laid, x: number, y: number, width?: number): void {
    laid.x = x;
    laid.y = y;
    if (width !== undefined && width > laid.w) laid.w = width;
    if (SIDEWAYS.has(laid.box.level)) {
        const columns = laid.box.level === "zone" ? MAX_COLUMNS : laid.children.length;
        const gap = laid.box.level === "zone" ? COLUMN_GAP : ROW_GAP;
        let top = y + HEADER;
        for (const row of rows(laid.children, columns)) {
            let left = x + PAD;
            for (const child of row) {
                place(child, left, top);
                left += child.w + gap;
            }
            top += Math.max(...row.map((c) => c.h)) + ROW_GAP;
        }
    } else {
        let top = y + HEADER;
        for (const child of laid.children) {
            place(child, x + PAD, top, laid.w - 2 * PAD);
            top += child.h + GAP;
        }
    }
}

function escapeXml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function drawBox(laid: Laid, parent: string | undefined, out: string[]): void {
    const { box } = laid;
    const container = CONTAINER_FILL[box.level];
    // An organization or zone box holds everything else: its mark shows in its border and label, not a fill behind all.
    const fill = container ?? FILL[box.mark];
    const stroke = container && box.mark === "unchanged" ? "#d0d7de" : STROKE[box.mark];
    const text = boxText(box);
    const dash = box.mark === "removed" ? ' stroke-dasharray="6 4"' : box.note ? ' stroke-dasharray="2 3"' : "";
    const textY = box.level === "resource" ? laid.y + 15 : laid.y + 16;
    out.push(
        `<g class="box" data-key="${escapeXml(box.key)}" data-level="${box.level}" data-mark="${box.mark}"${parent ? ` data-parent="${escapeXml(parent)}"` : ""}>`,
        `<title>${escapeXml(text)}</title>`,
        `<rect x="${laid.x}" y="${laid.y}" width="${laid.w}" height="${laid.h}" rx="${box.level === "resource" ? 4 : 6}" fill="${fill}" stroke="${stroke}" stroke-width="${box.mark === "unchanged" ? 1 : 2}"${dash}/>`,
        `<text x="${laid.x + (box.level === "resource" ? 8 : PAD)}" y="${textY}"${box.level === "resource" ? "" : ' font-weight="bold"'}>${escapeXml(shorten(text))}</text>`,
        "</g>",
    );
    for (const child of laid.children) drawBox(child, box.key, out);
}

/** Which side of the target an edge arrives at, and where it leaves its source. */
function route(from: Laid, to: Laid): { x1: number; y1: number; x2: number; side: "left" | "right"; loop: boolean } {
    const y1 = from.y + from.h / 2;
    if (to.x >= from.x + from.w) return { x1: from.x + from.w, y1, x2: to.x, side: "left", loop: false };
    if (to.x + to.w <= from.x) return { x1: from.x, y1, x2: to.x + to.w, side: "right", loop: false };
    return { x1: from.x + from.w, y1, x2: to.x + to.w, side: "right", loop: true };
}

/**
 * A curve from a resource to the box it points at, leaving by the side that faces it (or looping round the right
 * when one is above the other). `slot` spreads the edges arriving at one side of one box down its edge.
 */
function edgePath(from: Laid, to: Laid, slot: number): string {
    const { x1, y1, x2, loop } = route(from, to);
    const arrive = to.box.level === "resource" ? to.h / 2 : HEADER / 2;
    const y2 = to.y + Math.min(arrive + slot * 8, to.h - 4);
    if (!loop) return curve(x1, y1, x2, y2);
    const outside = Math.max(x1, x2) + LOOP_ROOM * 0.75;
    return `M ${x1} ${y1} C ${outside} ${y1}, ${outside} ${y2}, ${x2} ${y2}`;
}

function curve(x1: number, y1: number, x2: number, y2: number): string {
    const bend = Math.max(24, Math.abs(x2 - x1) / 2);
    const direction = x2 >= x1 ? 1 : -1;
    return `M ${x1} ${y1} C ${x1 + direction * bend} ${y1}, ${x2 - direction * bend} ${y2}, ${x2} ${y2}`;
}

function drawEdge(edge: PictureEdge, laid: ReadonlyMap<string, Laid>, slots: Map<string, number>, out: string[]): void {
    const from = laid.get(edge.from);
    const to = laid.get(edge.to);
    if (!from || !to) return;
    const arrival = `${edge.to}\u0000${route(from, to).side}`;
    const slot = slots.get(arrival) ?? 0;
    slots.set(arrival, slot + 1);
    const dash = edge.mark === "removed" ? ' stroke-dasharray="6 4"' : edge.relation === "used by" ? ' stroke-dasharray="2 3"' : "";
    out.push(
        `<g class="edge" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" data-relation="${edge.relation}" data-mark="${edge.mark}">`,
        `<title>${escapeXml(`${MARK_SIGN[edge.mark] ? `${MARK_SIGN[edge.mark]} ` : ""}${edge.title}${edge.mark === "unchanged" ? "" : ` (${MARK_WORD[edge.mark]})`}`)}</title>`,
        `<path d="${edgePath(from, to, slot)}" fill="none" stroke="${STROKE[edge.mark]}" stroke-width="2"${dash} marker-end="url(#arrow-${edge.mark})"/>`,
        "</g>",
    );
}

const LEGEND: readonly Mark[] = ["added", "changed", "replaced", "removed", "unchanged"];

function legend(x: number, y: number, out: string[]): number {
    let left = x;
    for (const mark of LEGEND) {
        const text = `${MARK_SIGN[mark] ? `${MARK_SIGN[mark]} ` : ""}${MARK_WORD[mark]}`;
        out.push(
            `<g class="legend" data-mark="${mark}">`,
            `<rect x="${left}" y="${y}" width="${textWidth(text) + 16}" height="${LEAF_HEIGHT}" rx="4" fill="${FILL[mark]}" stroke="${STROKE[mark]}" stroke-width="${mark === "unchanged" ? 1 : 2}"${mark === "removed" ? ' stroke-dasharray="6 4"' : ""}/>`,
            `<text x="${left + 8}" y="${y + 15}">${escapeXml(text)}</text>`,
            "</g>",
        );
        left += textWidth(text) + 16 + GAP;
    }
    const arrow = "shared into";
    out.push(
        '<g class="legend" data-mark="edge">',
        `<path d="M ${left} ${y + 11} L ${left + 32} ${y + 11}" stroke="${STROKE.unchanged}" stroke-width="2" marker-end="url(#arrow-unchanged)"/>`,
        `<text x="${left + 40}" y="${y + 15}">${arrow}</text>`,
        "</g>",
    );
    return left + 40 + textWidth(arrow);
}

/** The whole picture as an SVG document. */
export function toSvg(picture: Picture): string {
    const body: string[] = [];
    const titleY = MARGIN + 14;
    const legendY = titleY + 12;
    const legendRight = legend(MARGIN, legendY, body);
    let top = legendY + LEAF_HEIGHT + ROW_GAP;
    const laid = new Map<string, Laid>();
    let right = legendRight;
    const organizations = picture.organizations.map(measure);
    for (const organization of organizations) {
        place(organization, MARGIN, top);
        top += organization.h + ROW_GAP;
        right = Math.max(right, organization.x + organization.w);
        drawBox(organization, undefined, body);
    }
    const index = (l: Laid) => {
        laid.set(l.box.key, l);
        l.children.forEach(index);
    };
    organizations.forEach(index);
    if (organizations.length === 0) {
        body.push(`<text x="${MARGIN}" y="${top + 14}">No organizations, communities or projects of this provider.</text>`);
        top += LEAF_HEIGHT + ROW_GAP;
    }
    const slots = new Map<string, number>();
    for (const edge of picture.edges) drawEdge(edge, laid, slots, body);
    const width = Math.ceil(right + LOOP_ROOM + MARGIN);
    const height = Math.ceil(top - ROW_GAP + MARGIN);
    const markers = LEGEND.map((mark) =>
        `<marker id="arrow-${mark}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${STROKE[mark]}"/></marker>`);
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="picture-title" font-family="${escapeXml(FONT)}" font-size="${FONT_SIZE}" fill="#1f2328">`,
        `<title id="picture-title">${escapeXml(picture.title)}</title>`,
        `<defs>${markers.join("")}</defs>`,
        `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
        `<text x="${MARGIN}" y="${titleY}" font-size="14" font-weight="bold">${escapeXml(picture.title)}</text>`,
        ...body,
        "</svg>",
        "",
    ].join("\n");
}
