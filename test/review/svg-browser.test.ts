// The SVG pictures in a real browser: headless Chromium (Debian's package `chromium`) parses each file as XML, as
// a browser opening the .svg does, draws it, and a script on the page measures what it drew with the browser's
// own fonts: every label's text fits inside its box, every box inside its parent and apart from its siblings,
// everything inside the canvas, every share edge running from its resource to its community. The script writes
// its findings into the page, which Chromium prints with --dump-dom. Without Chromium the test is skipped, loudly,
// on a developer's machine; in CI (CI set) it fails instead.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { graphStack, reviewPreview } from "../../provider/review/review";
import { buildPicture } from "../../provider/review/picture";
import { toSvg } from "../../provider/review/svg";
import { ObjectSet, PlatformObject } from "../../provider/review/objects";
import { FIXTURES } from "./support";

function findChromium(): string | undefined {
    for (const name of [process.env.CHROMIUM, "chromium", "chromium-browser", "google-chrome"]) {
        if (!name) continue;
        const found = spawnSync("sh", ["-c", `command -v "${name}"`], { encoding: "utf8" }).stdout.trim();
        if (found) return found;
    }
    return undefined;
}

const chromium = findChromium();
const inCi = Boolean(process.env.CI);
if (!chromium && !inCi) {
    console.warn("\n*** SKIPPED: the SVG browser test needs Chromium (apt-get install -y chromium); CI installs it and runs this test. ***\n");
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "mlplatform-svg-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Rect { x: number; y: number; width: number; height: number }
interface Measured {
    parsed: boolean;
    parseError?: string;
    width: number;
    height: number;
    rects: number;
    texts: number;
    title: string;
    boxes: { key: string; parent?: string; level: string; mark: string; text: string; rect: Rect; textBox: Rect }[];
    edges: { from: string; to: string; mark: string; start: { x: number; y: number }; end: { x: number; y: number } }[];
}

/** The page's script: parse the SVG text as XML, put it in the page, measure it, write the findings as JSON. */
const MEASURE = `
const out = document.getElementById("result");
const xml = new DOMParser().parseFromString(SVG_TEXT, "image/svg+xml");
const error = xml.querySelector("parsererror");
if (error) {
    out.textContent = JSON.stringify({ parsed: false, parseError: error.textContent });
} else {
    const svg = document.body.appendChild(document.importNode(xml.documentElement, true));
    const box = (r) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
    out.textContent = JSON.stringify({
        parsed: svg instanceof SVGSVGElement,
        width: svg.width.baseVal.value, height: svg.height.baseVal.value,
        rects: svg.querySelectorAll("rect").length, texts: svg.querySelectorAll("text").length,
        title: svg.querySelector("title").textContent,
        boxes: [...svg.querySelectorAll("g.box")].map((g) => ({
            key: g.dataset.key, parent: g.dataset.parent, level: g.dataset.level, mark: g.dataset.mark,
            text: g.querySelector("text").textContent, rect: box(g.querySelector("rect").getBBox()), textBox: box(g.querySelector("text").getBBox()),
        })),
        edges: [...svg.querySelectorAll("g.edge")].map((g) => {
            const p = g.querySelector("path");
            const start = p.getPointAtLength(0), end = p.getPointAtLength(p.getTotalLength());
            return { from: g.dataset.from, to: g.dataset.to, mark: g.dataset.mark, start: { x: start.x, y: start.y }, end: { x: end.x, y: end.y } };
        }),
    });
}`;

function measure(name: string, svg: string): Measured {
    const page = path.join(work, `${name}.html`);
    // The SVG travels as a string, so that the browser's XML parser reads it exactly as the file is written.
    fs.writeFileSync(page, `<!doctype html><html><body><pre id="result">not measured</pre><script>const SVG_TEXT = ${JSON.stringify(svg).replace(/</g, "\\u003c")};${MEASURE}</script></body></html>`);
    const dom = execFileSync(chromium!, [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", `--user-data-dir=${fs.mkdtempSync(path.join(work, "profile-"))}`,
        "--dump-dom", `file://${page}`,
    ], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "ignore"] });
    const found = /<pre id="result">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
    if (!found) throw new Error(`Chromium printed no result: ${dom.slice(0, 500)}`);
    return JSON.parse(found.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
}

const inside = (inner: Rect, outer: Rect, slack = 0.5) =>
    inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** On the rect's border: its left, right or top side (an edge leaves a resource by a side, reaches a community from above). */
const onBorder = (point: { x: number; y: number }, r: Rect) =>
    inside({ x: point.x, y: point.y, width: 0, height: 0 }, r, 1) && (Math.abs(point.x - r.x) < 1 || Math.abs(point.x - r.x - r.width) < 1 || Math.abs(point.y - r.y) < 1);

/** What every drawn picture must satisfy, measured with the browser's fonts. */
function expectReadable(m: Measured): void {
    expect(m.parseError).toBeUndefined();
    expect(m.parsed).toBe(true);
    const byKey = new Map(m.boxes.map((b) => [b.key, b]));
    const canvas = { x: 0, y: 0, width: m.width, height: m.height };
    for (const b of m.boxes) {
        expect(inside(b.textBox, b.rect), `the label "${b.text}" runs out of its box`).toBe(true);
        expect(inside(b.rect, canvas), `${b.text} is outside the canvas`).toBe(true);
        if (b.parent) expect(inside(b.rect, byKey.get(b.parent)!.rect), `${b.text} is outside its parent`).toBe(true);
    }
    for (const a of m.boxes) {
        for (const b of m.boxes) {
            if (a !== b && a.parent === b.parent) expect(overlap(a.rect, b.rect), `${a.text} overlaps ${b.text}`).toBe(false);
        }
    }
    for (const e of m.edges) {
        expect(onBorder(e.start, byKey.get(e.from)!.rect), `an edge leaves ${e.from} elsewhere than its side`).toBe(true);
        expect(onBorder(e.end, byKey.get(e.to)!.rect), `an edge reaches ${e.to} elsewhere than its side`).toBe(true);
    }
}

describe.skipIf(!chromium && !inCi)("the SVG picture in headless Chromium", () => {
    it("has Chromium to run in", () => {
        expect(chromium, "CI is set but Chromium is missing: .ci/run must install it (apt-get install -y chromium)").toBeDefined();
    });

    it("draws the fixture change: every box, label and share edge, readable", () => {
        const { svg } = reviewPreview(fs.readFileSync(path.join(FIXTURES, "pulumi-preview.json"), "utf8"), "plan.json");
        const m = measure("review", svg);
        expectReadable(m);
        expect(m.title).toBe("The organization after the change");
        const labels = m.boxes.map((b) => b.text);
        for (const label of [
            "~ Organization acme (changed)", "zone ru-central1-a", "zone ru-central1-b", "Community production", "Community research",
            "+- Community sandbox (replaced)", "~ Project training (changed)", "+- Project experiments (replaced)",
            "+ S3Connector raw-data (new)", "~ Secret api-token (changed)", "~ Node classifier-node (changed)", "DockerImage trainer",
        ]) expect(labels).toContain(label);
        // One organization, two zones, three communities, three projects, nine resources.
        expect(m.boxes).toHaveLength(18);
        // A rect per box, five in the legend and the background; a text per box, five legend labels, the legend's arrow and the title.
        expect(m.rects).toBe(18 + 5 + 1);
        expect(m.texts).toBe(18 + 6 + 1);
        expect(m.edges.map((e) => e.mark).sort()).toEqual(["added", "removed", "unchanged", "unchanged", "unchanged"]);
        expect(m.boxes.find((b) => b.text === "+ S3Connector raw-data (new)")?.mark).toBe("added");
    });

    it("draws a stack as it stands, from the local engine's state", () => {
        const { svg } = graphStack(fs.readFileSync(path.join(FIXTURES, "local-engine-state.json"), "utf8"), "dev.json");
        const m = measure("graph", svg);
        expectReadable(m);
        expect(m.boxes.every((b) => b.mark === "unchanged")).toBe(true);
        expect(m.edges).toHaveLength(4);
    });

    it("keeps a crowded organization readable: long names cut short, communities in rows", () => {
        const objects: PlatformObject[] = [];
        const make = (kind: PlatformObject["kind"], name: string, fields: Record<string, unknown>, deps: Record<string, string[]> = {}): PlatformObject => {
            const object = { urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`, kind, name, fields, facts: {}, secretFields: [], external: false, propertyDependencies: deps, platform: {} };
            objects.push(object);
            return object;
        };
        const org = make("Organization", "crowded", { name: "crowded" });
        const communities = Array.from({ length: 9 }, (_, i) =>
            make("Community", `team-${i}-${"x".repeat(i * 9)}`, { zone: i % 2 ? "ru-central1-b" : "ru-central1-a" }, { organizationId: [org.urn] }));
        communities.forEach((community, i) => {
            const project = make("Project", `project-of-team-${i}`, {}, { communityId: [community.urn] });
            make("Dataset", `a-dataset-with-a-name-far-longer-than-any-box-should-be-${i}`, {}, { projectId: [project.urn] });
            // Into a community two along, of the same zone (9 is odd: the last ones wrap round to the other zone's).
            make("Share", `share-${i}`, {}, { resourceId: [objects[objects.length - 1].urn], communityId: [communities[(i + 2) % communities.length].urn] });
        });
        const picture = buildPicture("A crowded organization", new ObjectSet([]), new ObjectSet(objects), () => "create");
        const m = measure("crowded", toSvg(picture));
        expectReadable(m);
        expect(m.boxes.filter((b) => b.level === "community")).toHaveLength(9);
        expect(m.edges).toHaveLength(9);
        expect(m.boxes.some((b) => b.text.endsWith("…"))).toBe(true);
    });
});
