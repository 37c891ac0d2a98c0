// The example workflow (examples/ci/github-preview-review.yml) stays in step with the command: its preview writes
// what `review` reads, and its `mlplatform review` line, run as written on a preview in the CLI's shape, writes the
// report and the picture the next steps upload and post.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../provider/cli";
import { FIXTURES } from "./support";

// js-yaml comes with @pulumi/pulumi (the local engine reads Pulumi.yaml with it too).
const yaml: { load(text: string): any } = require("js-yaml");

const WORKFLOW = path.resolve(__dirname, "../../examples/ci/github-preview-review.yml");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlplatform-ci-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the example CI workflow", () => {
    const workflow = yaml.load(fs.readFileSync(WORKFLOW, "utf8"));
    const steps: { name?: string; run?: string; uses?: string; with?: any }[] = workflow.jobs.preview.steps;
    const run = (name: string) => steps.find((s) => s.name === name)?.run ?? "";

    it("runs on pull requests with the right to comment on them", () => {
        expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
        expect(workflow.permissions["pull-requests"]).toBe("write");
    });

    it("previews as JSON with the unchanged resources, into the file the report reads", () => {
        expect(run("Preview")).toMatch(/^pulumi preview .*--json --show-sames > plan\.json$/);
    });

    it("makes the report and the SVG with the command line it shows, and posts and uploads them", async () => {
        const line = run("Report").split("\n").find((l) => l.startsWith("npx mlplatform "))!;
        expect(line).toBe("npx mlplatform review plan.json --out report.md --svg plan.svg");
        fs.copyFileSync(path.join(FIXTURES, "pulumi-preview.json"), path.join(dir, "plan.json"));
        const argv = line.split(" ").slice(2).map((arg) => (/\.(json|md|svg)$/.test(arg) ? path.join(dir, arg) : arg));
        let stderr = "";
        const code = await main(argv, { stdin: process.stdin, stdout: () => undefined, stderr: (t) => void (stderr += t) });
        expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
        expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toContain("### Access");
        expect(fs.readFileSync(path.join(dir, "plan.svg"), "utf8")).toContain("<svg");
        expect(run("Comment")).toContain("--body-file report.md");
        expect(steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))?.with.path).toContain("plan.svg");
    });
});
