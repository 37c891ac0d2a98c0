// The picture as a Mermaid flowchart, which GitHub, GitLab and most code hosts render inside Markdown: nested
// subgraphs for organizations, zones, communities and projects, nodes for resources, arrows for shares. What the
// change does is said twice, in colour and in the label's leading sign (+ ~ +- -, as Pulumi's display writes them),
// so it reads without colour too.
import type { Mark, Picture, PictureBox } from "./picture";

/** Pulumi's display signs: create, update, replace, delete. */
export const MARK_SIGN: Readonly<Record<Mark, string>> = { added: "+", changed: "~", replaced: "+-", removed: "-", unchanged: "" };
export const MARK_WORD: Readonly<Record<Mark, string>> = { added: "new", changed: "changed", replaced: "replaced", removed: "removed", unchanged: "unchanged" };

const MARK_STYLE: Readonly<Record<Mark, string>> = {
    added: "fill:#dafbe1,stroke:#1a7f37,color:#0d2818",
    changed: "fill:#fff8c5,stroke:#9a6700,color:#3b2300",
    replaced: "fill:#fbefff,stroke:#8250df,color:#2e1065",
    removed: "fill:#ffebe9,stroke:#cf222e,color:#5c0a10,stroke-dasharray:5 3",
    unchanged: "fill:#ffffff,stroke:#8c959f,color:#1f2328",
};
const CONTAINER_STYLE = "fill:#f6f8fa,stroke:#d0d7de,color:#57606a";
const EDGE_COLOR: Readonly<Record<Mark, string>> = { added: "#1a7f37", changed: "#9a6700", replaced: "#8250df", removed: "#cf222e", unchanged: "#57606a" };

/** Mermaid reads `"`, `#`, `<`, `>` and backticks in a label as syntax: each as an entity code instead. */
function escapeLabel(text: string): string {
    return text.replace(/[#"<>`&]/g, (c) => `#${c.charCodeAt(0)};`);
}

export function boxText(box: Pick<PictureBox, "label" | "mark" | "note">): string {
    const sign = MARK_SIGN[box.mark];
    const note = box.note ? ` (${box.note})` : box.mark === "unchanged" ? "" : ` (${MARK_WORD[box.mark]})`;
    return `${sign ? `${sign} ` : ""}${box.label}${note}`;
}

/** The flowchart text, without the fence. */
export function toMermaid(picture: Picture): string {
    const lines = ["flowchart LR"];
    const ids = new Map<string, string>();
    const styles: string[] = [];
    const idOf = (box: PictureBox) => {
        let id = ids.get(box.key);
        if (!id) ids.set(box.key, (id = `b${ids.size + 1}`));
        return id;
    };
    const draw = (box: PictureBox, depth: number) => {
        const indent = "    ".repeat(depth);
        const id = idOf(box);
        const label = escapeLabel(boxText(box));
        if (box.level === "resource") {
            lines.push(`${indent}${id}["${label}"]`);
        } else {
            lines.push(`${indent}subgraph ${id}["${label}"]`);
            for (const child of box.children) draw(child, depth + 1);
            lines.push(`${indent}end`);
        }
        const container = box.level === "organization" || box.level === "zone";
        styles.push(`    style ${id} ${container && box.mark === "unchanged" ? CONTAINER_STYLE : MARK_STYLE[box.mark]}`);
    };
    for (const organization of picture.organizations) draw(organization, 1);
    const links: string[] = [];
    for (const edge of picture.edges) {
        const from = ids.get(edge.from);
        const to = ids.get(edge.to);
        if (!from || !to) continue;
        // linkStyle counts the links in the order they are written.
        const index = links.length;
        const sign = MARK_SIGN[edge.mark];
        const text = escapeLabel(`${sign ? `${sign} ` : ""}${edge.relation}`);
        lines.push(`    ${from} ${edge.mark === "removed" ? "-.->" : "-->"}|"${text}"| ${to}`);
        links.push(`    linkStyle ${index} stroke:${EDGE_COLOR[edge.mark]},stroke-width:2px${edge.mark === "removed" ? ",stroke-dasharray:5 3" : ""}`);
    }
    return [...lines, ...styles, ...links].join("\n");
}
