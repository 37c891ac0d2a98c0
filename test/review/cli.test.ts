// `mlplatform review` and `mlplatform graph` as a user runs them: files and stdin in, the report, the diagram and
// the SVG out, --help, and every mistake (a bad flag, a missing value, an unreadable or wrong input, an unwritable
// output) said in one line with exit code 2; `mlplatform serve`'s help, options and mistakes. The entry point runs
// as a process through ts-node: once for review and graph, once serving.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { afterAll, describe, expect, it } from "vitest";
import { Io, main } from "../../provider/cli";
import { FIXTURES, localStateFixture } from "./support";

const ROOT = path.resolve(__dirname, "../..");
const PREVIEW = path.join(FIXTURES, "pulumi-preview.json");
const STATE = path.join(FIXTURES, "local-engine-state.json");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlplatform-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const input = Object.assign(Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)]), { isTTY: stdin === undefined });
    const io: Io = { stdin: input, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
    const code = await main(argv, io);
    return { code, stdout, stderr };
}

describe("mlplatform review", () => {
    it("writes the report and the SVG to the files named", async () => {
        const report = path.join(dir, "report.md");
        const svg = path.join(dir, "plan.svg");
        const result = await run(["review", PREVIEW, "--out", report, "--svg", svg]);
        expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
        expect(fs.readFileSync(report, "utf8")).toMatch(/^## Platform change\n\n\*\*Plan:\*\* 3 to create/);
        expect(fs.readFileSync(svg, "utf8")).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>\n<title id="picture-title">The organization after the change<\/title>/);
    });

    it("reads stdin when the file is - or left out, and writes the report to stdout", async () => {
        const text = fs.readFileSync(PREVIEW, "utf8");
        const dash = await run(["review", "-"], text);
        const none = await run(["review"], text);
        expect(dash.code).toBe(0);
        expect(dash.stdout).toContain("| ~ | Project training | <code>limits.maxUnitsPerHour</code> | <code>500</code> | <code>800</code> |");
        expect(none.stdout).toBe(dash.stdout);
    });

    it("prints its help", async () => {
        const help = await run(["review", "--help"]);
        expect(help.code).toBe(0);
        expect(help.stdout).toMatch(/^Usage: mlplatform review \[file\|-\] \[--out report\.md\] \[--svg picture\.svg\]/);
        expect((await run(["--help"])).stdout).toContain("review [file|-]");
    });

    it.each([
        [["review", "--bogus"], "mlplatform review: unknown option --bogus. Run `mlplatform review --help` for the options."],
        [["review", PREVIEW, "--out"], "mlplatform review: option --out needs a value, e.g. --out report.md."],
        [["review", "--max-length", "lots", PREVIEW], 'mlplatform review: --max-length must be a whole number of characters (0 for no limit), got "lots".'],
        [["review", "a.json", "b.json"], "mlplatform review: review reads one file, got 2: a.json b.json. Pass one file, or - for stdin."],
        [["review", path.join(dir, "missing.json")], `mlplatform review: cannot read ${path.join(dir, "missing.json")}: no such file.`],
        [["review", dir], `mlplatform review: cannot read ${dir}: it is a folder.`],
        [["review", STATE], `mlplatform review: ${STATE} is a stack's state, not a preview: draw it with \`mlplatform graph\`, or review what \`pulumi preview --json\` prints.`],
        [["review", PREVIEW, "--out", path.join(dir, "no", "such", "dir", "r.md")], `mlplatform review: cannot write ${path.join(dir, "no", "such", "dir", "r.md")}: its folder does not exist.`],
        [["review"], "mlplatform review: review reads JSON from a file or stdin: pass a file, or pipe it in (e.g. `pulumi preview --json | mlplatform review`)."],
        [["reveiw"], 'mlplatform: unknown command "reveiw". Commands: review, graph, serve (`mlplatform --help`).'],
        [["graph", "--svg"], "mlplatform graph: option --svg needs a value, e.g. --svg picture.svg."],
    ])("says what is wrong in one line, exit code 2: %j", async (argv, message) => {
        const result = await run(argv);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(message);
        expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    });

    it("says which field of a wrong document is wrong", async () => {
        const result = await run(["review", "-"], JSON.stringify({ steps: [{ op: "create", urn: "urn:a" }, { op: 7, urn: "urn:b" }] }));
        expect(result).toEqual({ code: 2, stdout: "", stderr: "mlplatform review: stdin: steps[1].op expected string, received number. Pass what `pulumi preview --json` prints (or the local engine's `preview --json`).\n" });
    });
});

describe("mlplatform graph", () => {
    it("draws a local engine state as Mermaid, and as SVG", async () => {
        const svg = path.join(dir, "stack.svg");
        const result = await run(["graph", STATE, "--svg", svg]);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^```mermaid\nflowchart LR\n {4}subgraph b1\["Organization acme"\]/);
        expect(result.stdout).toContain('["S3Connector raw-data"]');
        expect(result.stdout).not.toMatch(/\(new\)|\(changed\)|not in this preview/);
        expect(fs.readFileSync(svg, "utf8")).toContain("<title id=\"picture-title\">The organization as the stack stands (local engine state)</title>");
    });

    it("notes an interrupted run's journal beside a local state file", async () => {
        fs.copyFileSync(STATE, path.join(dir, "dev.json"));
        fs.writeFileSync(path.join(dir, "dev.journal"), '{"journal":1,"generation":"x"}\n');
        const result = await run(["graph", path.join(dir, "dev.json")]);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe(`mlplatform graph: note: ${path.join(dir, "dev.journal")} holds the steps of an interrupted run, not in ${path.join(dir, "dev.json")} yet: the picture shows the stack before them. The engine's next up, refresh or destroy folds them in.\n`);
        expect(result.stdout).toContain("```mermaid");
    });

    it("draws `pulumi stack export` from stdin", async () => {
        const exported = JSON.stringify({ version: 3, deployment: { manifest: {}, resources: localStateFixture().resources } });
        const result = await run(["graph", "-", "--out", path.join(dir, "stack.md")], exported);
        expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
        expect(fs.readFileSync(path.join(dir, "stack.md"), "utf8")).toContain('subgraph b3["Community production"]');
    });

    it("draws a preview as the stack would stand after it", async () => {
        const result = await run(["graph", PREVIEW]);
        expect(result.stdout).toMatch(/\["\+ S3Connector raw-data \(new\)"\]/);
    });
});

describe("mlplatform serve", () => {
    it("prints its help without serving", async () => {
        const help = await run(["serve", "--help"]);
        expect(help.code).toBe(0);
        expect(help.stdout).toMatch(/^Usage: mlplatform serve \[--port N\] \[--host ADDR\]\n/);
        expect(help.stdout).toContain("MLPLATFORM_SERVER_TOKENS");
        expect((await run(["--help"])).stdout).toContain("serve ");
    });

    it.each([
        [["serve", "--prot", "8470"], "mlplatform serve: unknown option --prot. Run `mlplatform serve --help` for the options."],
        [["serve", "--port"], "mlplatform serve: option --port needs a value, e.g. --port 8470."],
        [["serve", "8470"], "mlplatform serve: serve takes no arguments, got 8470. Run `mlplatform serve --help` for the options."],
    ])("refuses %j in one line", async (argv, message) => {
        expect(await run(argv)).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
    });
});

describe("the command as a process", () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "provider/cli.ts"), ...args], { cwd: ROOT, encoding: "utf8" });

    it("exits 0 with the report, and 2 with one line for a mistake", () => {
        const ok = cli("review", PREVIEW, "--max-length", "0");
        expect(ok.status, ok.stderr).toBe(0);
        expect(ok.stdout).toContain("### After the change");
        const bad = cli("graph", "--colour");
        expect(bad.status).toBe(2);
        expect(bad.stderr).toBe("mlplatform graph: unknown option --colour. Run `mlplatform graph --help` for the options.\n");
    });

    it("serves the control plane on the port and address given, until stopped", async () => {
        const data = path.join(dir, "served");
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "provider/cli.ts"), "serve", "--port", "0", "--host", "127.0.0.1"], {
            cwd: ROOT, env: { ...process.env, MLPLATFORM_SERVER_TOKENS: "alice-token=userAccount:alice", MLPLATFORM_DATA_DIR: data }, stdio: ["ignore", "pipe", "pipe"],
        });
        try {
            let out = "";
            const url = await new Promise<string>((resolve, reject) => {
                child.stdout.on("data", (chunk: Buffer) => {
                    out += chunk.toString();
                    const found = /on (http:\/\/127\.0\.0\.1:\d+) \(data (.*)\)/.exec(out);
                    if (found) resolve(found[1]);
                });
                child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
                child.on("exit", (code) => reject(new Error(`serve ended (${code}) before listening: ${out}`)));
            });
            expect(out).toContain(`(data ${data})`);
            // It answers, and opened its database in the data folder: a path it does not serve is 404.
            expect((await fetch(`${url}/nowhere`, { headers: { authorization: "Bearer alice-token" } })).status).toBe(404);
            expect(fs.readdirSync(data)).toContain("platform.db");
        } finally {
            child.kill();
        }
    }, 60_000);
});
