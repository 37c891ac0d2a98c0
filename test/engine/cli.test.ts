// The command line: flags as util.parseArgs reads them, each mistake named in one line; and the command npm links
// (node_modules/.bin/mlplatform-engine) running the built CLI.
import { spawn } from "child_process";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../../engine/cli";
import { defaultParallel } from "../../engine/limiter";
import { assertBuilt, CLI, collect } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
const run = (command: string, args: string[]) => collect(spawn(process.execPath, [command, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
const FLAGS = ["--stack", "--config", "--yes", "--skip-preview", "--preview-only", "--diff", "--json", "--show-sames", "--parallel", "--clear-pending-creates", "--skip-pending-creates", "--import-pending-creates", "--verbose", "--help"];

describe("CLI arguments", () => {
    it("parses commands, flags and repeated config", () => {
        expect(parseArgs(["up", "dir", "--stack=prod", "-c", "a=1", "--config", "b=2", "--yes", "--skip-preview"])).toEqual({
            command: "up",
            programDir: "dir",
            stack: "prod",
            config: ["a=1", "b=2"],
            yes: true,
            skipPreview: true,
            previewOnly: false,
            diff: false,
            json: false,
            showSames: false,
            verbose: false,
            parallel: defaultParallel(),
            pendingCreates: { clear: false, skip: false, imports: new Map() },
        });
        expect(parseArgs(["preview", "dir"])).toMatchObject({ stack: "dev", config: [], yes: false });
    });

    it("reads the display's flags: --diff, --json (with a preview) and --show-sames", () => {
        expect(parseArgs(["preview", "dir", "--diff", "--show-sames"])).toMatchObject({ diff: true, json: false, showSames: true });
        expect(parseArgs(["preview", "dir", "--json"])).toMatchObject({ json: true });
        expect(parseArgs(["up", "dir", "--json", "--preview-only"])).toMatchObject({ command: "up", json: true, previewOnly: true });
    });

    it("reads refresh's flags about pending creates, an import's URN and ID as two values or one pair", () => {
        const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic:Resource::a";
        expect(parseArgs(["refresh", "dir", "--clear-pending-creates"]).pendingCreates).toMatchObject({ clear: true, skip: false });
        expect(parseArgs(["refresh", "dir", "--skip-pending-creates"]).pendingCreates).toMatchObject({ clear: false, skip: true });
        expect(parseArgs(["refresh", "dir", "--import-pending-creates", urn, "--import-pending-creates", "id-1"]).pendingCreates.imports).toEqual(new Map([[urn, "id-1"]]));
        expect(parseArgs(["refresh", "dir", `--import-pending-creates=${urn},id-2`]).pendingCreates.imports).toEqual(new Map([[urn, "id-2"]]));
    });

    it("reads short flags as util.parseArgs does: grouped, with the value attached, and values after --", () => {
        expect(parseArgs(["refresh", "-yv", "-sprod", "dir", "--preview-only"])).toMatchObject({
            command: "refresh", programDir: "dir", stack: "prod", yes: true, verbose: true, previewOnly: true,
        });
        // A value that starts with '-' is taken when it is given inline; a program directory that does, after --.
        expect(parseArgs(["up", "dir", "--config=k=-1", "-c", "a=-2"]).config).toEqual(["k=-1", "a=-2"]);
        expect(parseArgs(["destroy", "--", "-dir"]).programDir).toBe("-dir");
    });

    it.each([
        [["deploy", "dir"], "unknown command 'deploy'; the commands are preview, up, refresh, destroy, config"],
        [[], "missing command"],
        [["up"], "missing program directory"],
        [["up", "dir", "other"], "unexpected argument 'other'"],
        [["up", "dir", "--stack"], "--stack needs a value"],
        [["up", "dir", "-s"], "-s needs a value"],
        // The next flag is not taken for a forgotten value.
        [["up", "dir", "--stack", "--yes"], "--stack needs a value"],
        [["up", "dir", "--yes=no"], "--yes takes no value"],
        [["up", "dir", "--stack", "a/b"], "invalid stack name 'a/b': use letters, digits, '-', '_' and '.'"],
        // The CLI's `up --json` streams engine events; only a preview's plan is written here.
        [["up", "dir", "--json", "--yes"], "--json prints a preview's plan: use it with preview, or with up --preview-only"],
        [["destroy", "dir", "--json"], "--json prints a preview's plan: use it with preview, or with destroy --preview-only"],
        // As pulumi refresh checks them (pkg/cmd/pulumi/operations/refresh.go).
        [["refresh", "dir", "--clear-pending-creates", "--skip-pending-creates"], "cannot set both --skip-pending-creates and --clear-pending-creates"],
        [["refresh", "dir", "--import-pending-creates", "urn:pulumi:dev::p::t::a"], "--import-pending-creates: each URN must be followed by an ID: found an odd number of entries"],
        [["refresh", "dir", "--import-pending-creates=a,b"], "--import-pending-creates takes a resource's URN and the id of its object, got 'a' and 'b'"],
        [["up", "dir", "--clear-pending-creates"], "--clear-pending-creates, --skip-pending-creates and --import-pending-creates are options of refresh"],
    ])("rejects %j: %s", (argv, message) => {
        expect(() => parseArgs(argv)).toThrow(new Error(message));
    });

    it.each([
        [["up", "dir", "--force"], "--force"],
        [["up", "dir", "--no-yes"], "--no-yes"],
        // In a group of short flags, the one that is unknown.
        [["up", "dir", "-yx"], "-x"],
    ])("names the unknown flag in %j and lists the known ones", (argv, flag) => {
        expect(() => parseArgs(argv)).toThrow(
            new Error(`unknown option ${flag}; the options are --stack (-s), --config (-c), --yes (-y), --skip-preview, --preview-only, --diff, --json, --show-sames, --parallel (-p), --clear-pending-creates, --skip-pending-creates, --import-pending-creates, --verbose (-v), --help (-h)`),
        );
    });
});

describe("the command", () => {
    beforeAll(assertBuilt);

    it("prints the usage with every flag on --help, to stdout, and succeeds", async () => {
        const result = await run(CLI, ["--help"]);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe("");
        expect(result.stdout).toMatch(/^usage: mlplatform-engine <preview\|up\|refresh\|destroy> <programDir> \[options\]\n/);
        for (const flag of FLAGS) expect(result.stdout).toContain(flag);
        expect(result.stdout).toContain("\n       mlplatform-engine config <set|get|rm> <programDir> <key> [value] [--secret] [--stack NAME]\n");
    });

    it("fails with exit code 2, what is wrong in one line and the synopsis, on a mistaken flag", async () => {
        const result = await run(CLI, ["up", "dir", "--force"]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        const lines = result.stderr.trimEnd().split("\n");
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(/^error: unknown option --force; the options are --stack \(-s\), /);
        expect(lines[1]).toBe("usage: mlplatform-engine <preview|up|refresh|destroy> <programDir> [options] (--help lists the options)");
    });

    it("is linked by npm as the executable mlplatform-engine, which runs the built CLI", async () => {
        // Run as a shell runs it: through its #! line, with this Node.js first on the PATH.
        const PATH = [path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
        const bin = spawn(path.join(ROOT, "node_modules/.bin/mlplatform-engine"), ["--help"], { env: { ...process.env, PATH }, stdio: ["ignore", "pipe", "pipe"] });
        const result = await collect(bin);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^usage: mlplatform-engine /);
    });
});
