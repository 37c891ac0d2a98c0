// The report and the picture of the probe program's change (test/review/fixtures, in the CLI's shape): the
// summary, the replacement and what goes with it, the access section, nested property changes, the picture's
// marks, and the cases around it (a new stack, no change, no --show-sames, replacement steps, an older SDK's
// generic type, a failed preview, the size limit).
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { reviewPlan, reviewPreview } from "../../provider/review/review";
import { parsePlan } from "../../provider/review/pulumi-json";
import { plannedChange } from "../../provider/review/changes";
import { buildPicture, PictureBox } from "../../provider/review/picture";
import { createEverythingPlan, noChangePlan, previewFixture, stepOf } from "./support";

const review = (document: unknown, maxLength = 0) => reviewPlan(parsePlan(document, "plan.json"), { maxLength });
/** The changes table's rows of one resource, as text. */
const rowsOf = (markdown: string, resource: string) => markdown.split("\n").filter((line) => line.startsWith("|") && line.includes(`| ${resource} |`));

describe("the report of the fixture change", () => {
    const { markdown } = review(previewFixture());

    it("opens with the counts of the plan", () => {
        expect(markdown).toContain("**Plan:** 3 to create, 5 to update, 6 to replace, 2 to delete, 15 unchanged.");
    });

    it("shows nested values old -> new, one row per leaf", () => {
        expect(rowsOf(markdown, "Project training")).toEqual([
            "| ~ | Project training | <code>settings.securityGroupIds</code> |  | <code>[\"sg-training-1\",\"sg-training-2\"]</code> |",
            "| ~ | Project training | <code>settings.staleExecTimeoutMode</code> | <code>\"THREE_HOURS\"</code> | <code>\"ONE_HOUR\"</code> |",
            "| ~ | Project training | <code>limits.maxUnitsPerHour</code> | <code>500</code> | <code>800</code> |",
        ]);
        expect(rowsOf(markdown, "Node classifier-node")).toEqual(["| ~ | Node classifier-node | <code>replicas</code> | <code>1</code> | <code>2</code> |"]);
    });

    it("calls out the replaced community with everything that goes with it, and only once", () => {
        const section = markdown.slice(markdown.indexOf("### Replacements"), markdown.indexOf("### Access"));
        expect(section).toContain("**Community sandbox** is deleted and created again because <code>zone</code> changes from <code>\"ru-central1-a\"</code> to <code>\"ru-central1-b\"</code>, which can never change.");
        for (const going of ["BillingLink sandbox-billing", "Project experiments", "ProjectMember alice-experiments", "Dataset scratch", "Model baseline"]) {
            expect(section).toContain(`**${going}**`);
        }
        // The project is replaced because of the community: said with it, not as a replacement of its own.
        expect(section).not.toContain("- **Project experiments** is deleted");
        expect(rowsOf(markdown, "Project experiments")[0]).toBe(
            "| +- | Project experiments | <code>communityId</code> (replaces) | Community sandbox <code>\"comx2zoc5auo3vpe6ngz\"</code> | Community sandbox <code>(new id)</code> |");
    });

    it("lists roles granted, changed and revoked per subject and place", () => {
        const section = markdown.slice(markdown.indexOf("### Access"), markdown.indexOf("### Changes"));
        expect(section).toContain("| granted | userAccount:carol | viewer | community production (ru-central1-a) |");
        expect(section).toContain("| changed | userAccount:alice | editor → **admin** | community research (ru-central1-a) |");
        expect(section).toContain("| changed | userAccount:alice | member → **admin** | organization acme |");
        expect(section).toContain("| revoked | userAccount:bob | viewer | project training in community research |");
        // The replaced sandbox keeps alice's role in the project: a replacement is not a revoke and a grant.
        expect(section).not.toContain("alice-experiments");
        expect(section).not.toMatch(/experiments/);
    });

    it("lists resources newly shared and unshared, with the community and zone", () => {
        expect(markdown).toContain("| newly shared | S3Connector raw-data | project training in community research | community production | ru-central1-a |");
        expect(markdown).toContain("| unshared | DockerImage trainer | project training in community research | community production | ru-central1-a |");
    });

    it("names a new object's parent by the resource it came from while its id is unknown", () => {
        expect(rowsOf(markdown, "Share raw-data-to-production")).toContain(
            "| + | Share raw-data-to-production | <code>resourceId</code> |  | S3Connector raw-data <code>(new id)</code> |");
    });

    it("says a secret changes without showing it", () => {
        expect(rowsOf(markdown, "Secret api-token")).toEqual([
            "| ~ | Secret api-token | <code>value</code> (a secret: it changes, its value is never shown) | <code>[secret]</code> | <code>[secret]</code> |"]);
        expect(rowsOf(markdown, "S3Connector raw-data")).toContain("| + | S3Connector raw-data | <code>secretAccessKey</code> |  | <code>[secret]</code> |");
    });

    it("draws the organization after the change with each box's mark", () => {
        const mermaid = markdown.slice(markdown.indexOf("```mermaid"));
        expect(mermaid).toContain('subgraph b1["~ Organization acme (changed)"]');
        expect(mermaid).toMatch(/subgraph b\d+\["zone ru-central1-b"\]/);
        expect(mermaid).toMatch(/subgraph b\d+\["\+- Community sandbox \(replaced\)"\]/);
        expect(mermaid).toMatch(/b\d+\["\+ S3Connector raw-data \(new\)"\]/);
        expect(mermaid).toMatch(/b\d+\["DockerImage trainer"\]/);
        expect(mermaid).toMatch(/b\d+ -\.->\|"- shared into"\| b\d+/); // the removed share, dotted
        expect(mermaid).not.toContain("not in this preview");
    });
});

describe("the picture model", () => {
    const planned = plannedChange(parsePlan(previewFixture(), "plan.json"));
    const changeOf = new Map(planned.changes.map((c) => [c.urn, c.change]));
    const picture = buildPicture("after", planned.before, planned.after, (urn) => changeOf.get(urn));
    const find = (boxes: readonly PictureBox[], label: string): PictureBox | undefined =>
        boxes.map((b) => (b.label === label ? b : find(b.children, label))).find(Boolean);

    it("nests organizations, zones, communities, projects and resources, and marks each", () => {
        const [acme] = picture.organizations;
        expect(acme.label).toBe("Organization acme");
        expect(acme.children.map((z) => z.label)).toEqual(["zone ru-central1-a", "zone ru-central1-b"]);
        expect(find([acme], "Community sandbox")?.mark).toBe("replaced");
        expect(find([acme], "Project training")?.children.map((r) => `${r.label}:${r.mark}`).sort()).toEqual([
            "Dataset imagenet-subset:unchanged", "DockerImage trainer:unchanged", "S3Connector raw-data:added", "Secret api-token:changed",
        ]);
    });

    it("draws each share as an edge into its community, the removed one marked removed", () => {
        const edges = picture.edges.map((e) => `${e.title}:${e.mark}`).sort();
        expect(edges).toEqual([
            "Alias classifier shared into community research:unchanged",
            "Dataset imagenet-subset shared into community production:unchanged",
            "DockerImage trainer shared into community production:removed",
            "S3Connector raw-data shared into community production:added",
            "Secret api-token shared into community production:unchanged",
        ]);
    });
});

describe("other plans", () => {
    it("reviews a new stack: everything new, roles granted, shares made", () => {
        const { markdown } = review(createEverythingPlan());
        expect(markdown).toContain("**Plan:** 29 to create, 0 unchanged."); // the CLI's own counts (changeSummary), the stack included
        expect(markdown).toContain("| granted | userAccount:platform-lead | admin | organization acme |");
        expect(markdown).toContain("| newly shared | Dataset imagenet-subset | project training in community research | community production | ru-central1-a |");
        expect(markdown).toMatch(/b\d+\["\+ Dataset scratch \(new\)"\]/);
        expect(markdown).not.toContain("### Replacements");
    });

    it("says in one line that nothing changes", () => {
        const { markdown } = review(noChangePlan());
        expect(markdown).toBe("No changes: 29 resources unchanged.\n");
    });

    it("without --show-sames, draws the places of what changes as stand-ins and says how to see everything", () => {
        const plan = previewFixture();
        plan.steps = plan.steps.filter((s: any) => s.op !== "same" || s.urn.includes("pulumi:pulumi:Stack"));
        const { markdown } = review(plan);
        expect(markdown).toContain("**Plan:** 3 to create, 5 to update, 6 to replace, 2 to delete, 15 unchanged.");
        expect(markdown).toContain("run `pulumi preview --json --show-sames` for the whole organization");
        // The unchanged community production, which carol joins, is drawn from the URN her membership came from.
        expect(markdown).toMatch(/subgraph b\d+\["Community production \(not in this preview\)"\]/);
        expect(markdown).toContain("| granted | userAccount:carol | viewer | community production |");
    });

    it("without --show-sames, draws a new share of an unchanged resource from a stand-in of that resource", () => {
        const plan = previewFixture();
        const share = stepOf(plan, "alias-to-research");
        Object.assign(share, { op: "create", oldState: undefined });
        plan.steps = plan.steps.filter((s: any) => s.op !== "same" || s.urn.includes("pulumi:pulumi:Stack"));
        const { markdown } = review(plan);
        const stand = /(b\d+)\["Alias classifier \(not in this preview\)"\]/.exec(markdown);
        expect(stand).not.toBeNull();
        expect(markdown).toMatch(new RegExp(`${stand![1]} -->\\|"\\+ shared into"\\| b\\d+`));
        expect(markdown).toContain("| newly shared | Alias classifier |");
    });

    it("folds --show-replacement-steps into one replacement", () => {
        const plan = previewFixture();
        plan.steps = plan.steps.flatMap((s: any) => s.op !== "replace" ? [s] : [
            { ...s, op: "create-replacement" }, s, { op: "delete-replaced", urn: s.urn, provider: s.provider, oldState: s.oldState, detailedDiff: null },
        ]);
        expect(review(plan).markdown).toBe(review(previewFixture()).markdown);
    });

    it("knows this provider's resources under an older SDK's generic dynamic type, by their serialized provider", () => {
        // Under the generic type a Model and an Alias both named "classifier" would share a URN (Pulumi refuses that): leave the alias out.
        const plan = previewFixture();
        plan.steps = plan.steps.filter((s: any) => !/(Alias::classifier|::alias-to-research)$/.test(s.urn));
        const generic = JSON.parse(JSON.stringify(plan).replace(/pulumi-nodejs:dynamic\/mlplatform:[A-Za-z0-9]+/g, "pulumi-nodejs:dynamic:Resource"));
        expect(JSON.stringify(generic)).not.toContain("dynamic/mlplatform");
        const { markdown } = review(generic);
        expect(markdown).toContain("| ~ | Project training | <code>limits.maxUnitsPerHour</code> | <code>500</code> | <code>800</code> |");
        expect(markdown).toContain("| granted | userAccount:carol | viewer | community production (ru-central1-a) |");
        expect(markdown).toMatch(/subgraph b\d+\["\+- Community sandbox \(replaced\)"\]/);
    });

    it("reports a failed preview with its errors", () => {
        const plan = previewFixture();
        plan.diagnostics = [{
            urn: stepOf(plan, "acme").urn, severity: "error",
            message: "pulumi-nodejs:dynamic/mlplatform:Organization resource 'acme': property members.0 value null has a problem: repeats the subject of admins.1\n",
        }];
        const { markdown } = review(plan);
        expect(markdown.split("\n")[2]).toMatch(/^\*\*The preview failed\*\* \(1 error, below\)\. \*\*Plan:\*\*/);
        expect(markdown).toContain("error: pulumi-nodejs:dynamic/mlplatform:Organization acme: pulumi-nodejs:dynamic/mlplatform:Organization resource 'acme': property members.0");
    });

    it("keeps under its size limit: the diagram goes first, then rows, each said", () => {
        const full = review(createEverythingPlan()).markdown;
        const short = reviewPlan(parsePlan(createEverythingPlan(), "plan.json"), { maxLength: 6000, svgWritten: true }).markdown;
        expect(full.length).toBeGreaterThan(6000);
        expect(short.length).toBeLessThanOrEqual(6000);
        expect(short).toContain("The diagram is too large for this comment: see the SVG picture written beside this report.");
        expect(short).toMatch(/\d+ more rows are left out to keep this comment under its size limit/);
        expect(short).not.toContain("```mermaid");
    });

    it("leaves out a diagram longer than Mermaid draws, even without a size limit", () => {
        // Thirty copies of the new stack, each under its own names: some 800 boxes.
        const one = JSON.stringify(createEverythingPlan().steps);
        const steps = Array.from({ length: 30 }, (_, i) => JSON.parse(one.replace(/::([a-z][-a-z0-9]*)"/g, `::$1-${i}"`).replace(/"name":"([^"]+)"/g, `"name":"$1-${i}"`))).flat();
        const { markdown } = review({ steps, changeSummary: { create: steps.length } });
        expect(markdown).toContain("The diagram is too large for Mermaid to draw.");
        expect(markdown).not.toContain("```mermaid");
        expect(markdown).toContain("| + | Dataset scratch-29 |");
    });

    it("shortens every list to fit, keeping each table's header and saying what it leaves out", () => {
        const one = JSON.stringify(createEverythingPlan().steps);
        const steps = Array.from({ length: 30 }, (_, i) => JSON.parse(one.replace(/::([a-z][-a-z0-9]*)"/g, `::$1-${i}"`).replace(/"name":"([^"]+)"/g, `"name":"$1-${i}"`))).flat();
        const markdown = review({ steps, changeSummary: { create: steps.length } }, 15_000).markdown;
        expect(markdown.length).toBeLessThanOrEqual(15_000);
        expect(markdown).toMatch(/\n\| \| subject \| role \| where \|\n\|---\|---\|---\|---\|\n\| granted \|/);
        expect(markdown).toMatch(/\d+ more (rows|role changes|shares) are left out to keep this comment under its size limit/);
        // What is kept of a table is whole rows.
        for (const line of markdown.split("\n").filter((l) => l.startsWith("|"))) expect(line).toMatch(/\|$/);
    });

    it("keeps names from breaking the Markdown table or the Mermaid text", () => {
        // The community's logical name, everywhere its URN appears, made of Markdown, HTML and Mermaid syntax.
        const text = JSON.stringify(createEverythingPlan()).split('::research"').join('::re|se<b>\\"arch`"');
        const { markdown } = reviewPreview(text, "plan.json", { maxLength: 0 });
        expect(markdown).toContain('| granted | userAccount:alice | admin | community re\\|se\\<b\\>"arch\\` (ru-central1-a) |');
        expect(markdown).toMatch(/subgraph b\d+\["\+ Community re\|se#60;b#62;#34;arch#96; \(new\)"\]/);
        expect(markdown).not.toContain("<b>");
    });
});

describe("the README's excerpt of the fixture's report", () => {
    it("quotes the report as it is (its code written as Markdown code): each paragraph whole, the access tables whole, the changes' rows in order", () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Reviewing a change"), readme.indexOf("## The model"));
        const quoted = section.split("\n").filter((line) => line.startsWith(">")).map((line) => line.replace(/^> ?/, ""));
        const report = review(previewFixture()).markdown.replace(/<code>(.*?)<\/code>/g, "`$1`");
        const reportLines = report.split("\n");
        // README wraps prose at its width; the report writes a paragraph on one line (a bullet's continuation on the next).
        const flat = (text: string) => text.replace(/\s+/g, " ").trim();
        const blocks = quoted.join("\n").split(/\n\s*\n/).filter((block) => block.trim() !== "");
        const tables = blocks.filter((block) => block.startsWith("|"));
        expect(blocks).toHaveLength(5);
        expect(tables).toHaveLength(3);
        for (const block of blocks.filter((b) => !b.startsWith("|"))) expect(flat(report)).toContain(flat(block));
        for (const table of tables) {
            const rows = table.split("\n");
            // The report's table with the same header, from it to the first line that is not a row.
            const at = reportLines.indexOf(rows[0]);
            expect(at, `the report has no table headed ${rows[0]}`).toBeGreaterThan(-1);
            const end = reportLines.findIndex((line, i) => i > at && !line.startsWith("|"));
            const reportRows = reportLines.slice(at, end);
            if (rows[0].includes("| property |")) {
                // Part of the changes: every quoted row is the report's, in the report's order.
                const positions = rows.map((row) => reportRows.indexOf(row));
                expect(positions.filter((p) => p < 0), `rows not in the report: ${rows.filter((_, i) => positions[i] < 0).join("\n")}`).toEqual([]);
                expect(positions).toEqual([...positions].sort((a, b) => a - b));
            } else {
                expect(rows).toEqual(reportRows);
            }
        }
    });
});
