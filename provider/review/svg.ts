// The picture as a standalone SVG, laid out here without a layout engine. The hierarchy is nesting: organizations
// are stacked, an organization's zones stand side by side, a zone's communities sit on a grid of at most four
// columns, and projects and resources are stacked inside them; sizes come bottom-up from the labels (monospace,
// so a label's width is known without measuring it), places top-down. A share runs between communities of one
// zone (the platform's rule), so its edge is routed on that zone's grid: out of the resource's side into the gap
// beside its community, up that gap to a lane kept free above the target's row, along the lane, and down onto the
// target's top border. Edges thus never cross a label; an edge the grid cannot carry (within one community, or
// across zones, which only a stand-in can draw) is a curve.
import type { Level, Mark, Picture, PictureBox, PictureEdge } from "./picture";
import { boxText, MARK_SIGN, MARK_WORD } from "./mermaid";

const FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
const FONT_SIZE = 12;
/** Width of one character at FONT_SIZE: monospace fonts use 0.55-0.61 em; the widest, with a margin. */
const CHAR_WIDTH = 7.4;
const MAX_LABEL = 48;
const HEADER = 24;
const LEAF_HEIGHT = 22;
const PAD = 10;
const GAP = 8;
/** Between a zone's columns: the vertical tracks of the edges. */
const COLUMN_GAP = 56;
const ROW_GAP = 24;
const MAX_COLUMNS = 4;
/** Between two lanes of edges above a row, and from the lowest lane to the row. */
const LANE = 7;
const MARGIN = 16;
/** Right of everything: room for a curve that loops back into its own community. */
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
    /** A zone's grid: its communities' rows and columns, and the lanes kept above each row. */
    grid?: Grid;
}

interface Grid {
    readonly columns: number;
    readonly columnWidths: number[];
    readonly rowHeights: number[];
    /** Edges arriving in each row, each with its own lane above it. */
    readonly lanes: number[];
    /** Filled when placed. */
    columnLefts: number[];
    rowTops: number[];
}

function shorten(text: string): string {
    return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function textWidth(text: string): number {
    return [...text].length * CHAR_WIDTH;
}

const labelWidth = (box: PictureBox) => textWidth(shorten(boxText(box)));
const laneSpace = (lanes: number) => Math.max(ROW_GAP, LANE * (lanes + 1));

/** Which community and zone each box sits in, and each edge's place on its zone's grid. */
class Placement {
    private readonly parents = new Map<string, PictureBox>();
    private readonly boxes = new Map<string, PictureBox>();

    constructor(picture: Picture) {
        const walk = (box: PictureBox, parent?: PictureBox) => {
            this.boxes.set(box.key, box);
            if (parent) this.parents.set(box.key, parent);
            box.children.forEach((child) => walk(child, box));
        };
        picture.organizations.forEach((o) => walk(o));
    }

    /** The nearest box of `level` holding `key` (itself included). */
    above(key: string, level: Level): PictureBox | undefined {
        let box = this.boxes.get(key);
        while (box && box.level !== level) box = this.parents.get(box.key);
        return box;
    }

    /** Row and column of a community in its zone's grid. */
    cell(community: PictureBox): { row: number; column: number } {
        const index = this.parents.get(community.key)!.children.indexOf(community);
        return { row: Math.floor(index / MAX_COLUMNS), column: index % MAX_COLUMNS };
    }

    /** The communities an edge runs between, when the zone's grid can carry it. */
    gridded(edge: PictureEdge): { zone: PictureBox; from: PictureBox; to: PictureBox } | undefined {
        const from = this.above(edge.from, "community");
        const to = this.above(edge.to, "community");
        if (!from || !to || from === to) return undefined;
        const zone = this.parents.get(from.key);
        if (!zone || zone.level !== "zone" || this.parents.get(to.key) !== zone) return undefined;
        const columns = Math.min(MAX_COLUMNS, zone.children.length);
        // Within one column, an edge needs a gap beside it: none when the zone has one column.
        if (this.cell(from).column === this.cell(to).column && columns === 1) return undefined;
        return { zone, from, to };
    }
}

/** Each box's size from its label and its children's sizes; a zone's grid with room for the lanes its edges need. */
function measure(box: PictureBox, lanesOf: (zone: PictureBox) => number[]): Laid {
    const children = box.children.map((child) => measure(child, lanesOf));
    if (box.level === "resource") return { box, x: 0, y: 0, w: labelWidth(box) + 16, h: LEAF_HEIGHT, children };
    const header = labelWidth(box) + 2 * PAD;
    let innerW = 0;
    let innerH = 0;
    let grid: Grid | undefined;
    if (box.level === "zone" && children.length > 0) {
        const columns = Math.min(MAX_COLUMNS, children.length);
        const columnWidths = Array.from({ length: columns }, (_, c) => Math.max(...children.filter((_, i) => i % columns === c).map((l) => l.w)));
        const rowHeights = rows(children, columns).map((row) => Math.max(...row.map((l) => l.h)));
        const lanes = lanesOf(box);
        grid = { columns, columnWidths, rowHeights, lanes, columnLefts: [], rowTops: [] };
        innerW = columnWidths.reduce((a, b) => a + b, 0) + COLUMN_GAP * (columns - 1);
        innerH = rowHeights.reduce((sum, h, r) => sum + laneSpace(lanes[r] ?? 0) + h, 0) - HEADER_GAP_SAVED;
    } else if (box.level === "organization" && children.length > 0) {
        innerW = children.reduce((sum, c) => sum + c.w, 0) + ROW_GAP * (children.length - 1);
        innerH = Math.max(...children.map((c) => c.h));
    } else if (children.length > 0) {
        innerW = Math.max(...children.map((c) => c.w));
        innerH = children.reduce((sum, c) => sum + c.h, 0) + GAP * (children.length - 1);
    }
    return { box, x: 0, y: 0, w: Math.max(header, innerW + 2 * PAD), h: HEADER + innerH + (children.length > 0 ? PAD : 4), children, grid };
}

/** The first row's lanes sit under the zone's header, which leaves this much of a row gap anyway. */
const HEADER_GAP_SAVED = 4;

function rows<T>(items: readonly T[], columns: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += columns) out.push(items.slice(i, i + columns));
    return out;
}

/** Places a measured box; stacked children are widened to their parent's inner width, a zone's to their column's. */
function place(laid: Laid, x: number, y: number, width?: number): void {
    laid.x = x;
    laid.y = y;
    if (width !== undefined && width > laid.w) laid.w = width;
    const grid = laid.grid;
    if (grid) {
        let left = x + PAD;
        grid.columnLefts = grid.columnWidths.map((w) => (left += w + COLUMN_GAP) - w - COLUMN_GAP);
        let top = y + HEADER - HEADER_GAP_SAVED;
        grid.rowTops = grid.rowHeights.map((h, r) => (top += laneSpace(grid.lanes[r] ?? 0) + h) - h);
        laid.children.forEach((child, i) => {
            const row = Math.floor(i / grid.columns);
            const column = i % grid.columns;
            place(child, grid.columnLefts[column], grid.rowTops[row], grid.columnWidths[column]);
        });
    } else if (laid.box.level === "organization") {
        let left = x + PAD;
        for (const child of laid.children) {
            place(child, left, y + HEADER);
            left += child.w + ROW_GAP;
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
        `<g class="box" data-key="${escapeXml(box.key)}" data-level="${box.level}"${box.kind ? ` data-kind="${box.kind}"` : ""} data-mark="${box.mark}"${parent ? ` data-parent="${escapeXml(parent)}"` : ""}>`,
        `<title>${escapeXml(text)}</title>`,
        `<rect x="${laid.x}" y="${laid.y}" width="${laid.w}" height="${laid.h}" rx="${box.level === "resource" ? 4 : 6}" fill="${fill}" stroke="${stroke}" stroke-width="${box.mark === "unchanged" ? 1 : 2}"${dash}/>`,
        `<text x="${laid.x + (box.level === "resource" ? 8 : PAD)}" y="${textY}"${box.level === "resource" ? "" : ' font-weight="bold"'}>${escapeXml(shorten(text))}</text>`,
        "</g>",
    );
    for (const child of laid.children) drawBox(child, box.key, out);
}

/** Where the routed edges go: a track in a column gap, a lane above a row and a slot on the target, each its own. */
class Router {
    private readonly tracks = new Map<string, number>();
    private readonly usedTracks = new Map<string, number>();
    private readonly usedLanes = new Map<string, number>();
    private readonly usedSlots = new Map<string, number>();

    constructor(private readonly placement: Placement, edges: readonly PictureEdge[]) {
        // Count each gap's edges first, so that its tracks spread evenly across it.
        for (const edge of edges) {
            const gridded = placement.gridded(edge);
            if (gridded) this.tracks.set(this.gapKey(gridded), (this.tracks.get(this.gapKey(gridded)) ?? 0) + 1);
        }
    }

    /** The gap an edge climbs in: beside its source community, on the side that faces the target. */
    private gap(gridded: { zone: PictureBox; from: PictureBox; to: PictureBox }): number {
        const from = this.placement.cell(gridded.from).column;
        const to = this.placement.cell(gridded.to).column;
        const columns = Math.min(MAX_COLUMNS, gridded.zone.children.length);
        if (to > from) return from;
        if (to < from) return from - 1;
        return from < columns - 1 ? from : from - 1;
    }

    private gapKey(gridded: { zone: PictureBox; from: PictureBox; to: PictureBox }): string {
        return `${gridded.zone.key}\u0000${this.gap(gridded)}`;
    }

    private next(counter: Map<string, number>, key: string): number {
        const n = counter.get(key) ?? 0;
        counter.set(key, n + 1);
        return n;
    }

    path(edge: PictureEdge, laid: ReadonlyMap<string, Laid>): string | undefined {
        const from = laid.get(edge.from);
        const to = laid.get(edge.to);
        if (!from || !to) return undefined;
        const slot = this.next(this.usedSlots, edge.to);
        const gridded = this.placement.gridded(edge);
        const zone = gridded ? laid.get(gridded.zone.key) : undefined;
        if (!gridded || !zone?.grid) return curvePath(from, to, slot);
        const grid = zone.grid;
        const gap = this.gap(gridded);
        const gapLeft = grid.columnLefts[gap] + grid.columnWidths[gap];
        const count = this.tracks.get(this.gapKey(gridded)) ?? 1;
        const trackX = gapLeft + (COLUMN_GAP * (this.next(this.usedTracks, this.gapKey(gridded)) + 1)) / (count + 1);
        const row = this.placement.cell(gridded.to).row;
        const laneY = grid.rowTops[row] - LANE * (this.next(this.usedLanes, `${gridded.zone.key}\u0000${row}`) + 1);
        const startX = trackX > from.x ? from.x + from.w : from.x;
        const startY = from.y + from.h / 2;
        const arriveX = Math.max(to.x + PAD, to.x + to.w - 14 - slot * 10);
        return `M ${startX} ${startY} H ${trackX} V ${laneY} H ${arriveX} V ${to.y}`;
    }
}

/** A curve for what the grid cannot carry: between the facing sides, or looping round the right when one is above the other. */
function curvePath(from: Laid, to: Laid, slot: number): string {
    const y1 = from.y + from.h / 2;
    const y2 = to.y + Math.min((to.box.level === "resource" ? to.h / 2 : HEADER / 2) + slot * 8, to.h - 4);
    const curve = (x1: number, x2: number) => {
        const bend = Math.max(24, Math.abs(x2 - x1) / 2) * (x2 >= x1 ? 1 : -1);
        return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
    };
    if (to.x >= from.x + from.w) return curve(from.x + from.w, to.x);
    if (to.x + to.w <= from.x) return curve(from.x, to.x + to.w);
    const x1 = from.x + from.w;
    const x2 = to.x + to.w;
    const outside = Math.max(x1, x2) + LOOP_ROOM * 0.75;
    return `M ${x1} ${y1} C ${outside} ${y1}, ${outside} ${y2}, ${x2} ${y2}`;
}

function drawEdge(edge: PictureEdge, d: string | undefined, out: string[]): void {
    if (!d) return;
    const dash = edge.mark === "removed" ? ' stroke-dasharray="6 4"' : edge.relation === "used by" ? ' stroke-dasharray="2 3"' : "";
    const sign = MARK_SIGN[edge.mark];
    out.push(
        `<g class="edge" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" data-relation="${edge.relation}" data-mark="${edge.mark}">`,
        `<title>${escapeXml(`${sign ? `${sign} ` : ""}${edge.title}${edge.mark === "unchanged" ? "" : ` (${MARK_WORD[edge.mark]})`}`)}</title>`,
        `<path d="${d}" fill="none" stroke="${STROKE[edge.mark]}" stroke-width="2" stroke-linejoin="round"${dash} marker-end="url(#arrow-${edge.mark})"/>`,
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
    const placement = new Placement(picture);
    // Lanes above each row of a zone: one per routed edge arriving in that row.
    const lanes = new Map<string, number[]>();
    for (const edge of picture.edges) {
        const gridded = placement.gridded(edge);
        if (!gridded) continue;
        const perRow = lanes.get(gridded.zone.key) ?? [];
        const row = placement.cell(gridded.to).row;
        perRow[row] = (perRow[row] ?? 0) + 1;
        lanes.set(gridded.zone.key, perRow);
    }
    const body: string[] = [];
    const titleY = MARGIN + 14;
    const legendY = titleY + 12;
    let right = Math.max(legend(MARGIN, legendY, body), MARGIN + textWidth(picture.title) * (14 / FONT_SIZE));
    let top = legendY + LEAF_HEIGHT + ROW_GAP;
    const laid = new Map<string, Laid>();
    const organizations = picture.organizations.map((o) => measure(o, (zone) => lanes.get(zone.key) ?? []));
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
    const router = new Router(placement, picture.edges);
    for (const edge of picture.edges) drawEdge(edge, router.path(edge, laid), body);
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
