// A TypeScript program runs through cmd/run with ts-node (type-checked), and a dynamic resource registered with a
// module and type shows under its own type token. TypeScript is on unless Pulumi.yaml turns it off, as the nodejs
// language host decides (sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions), whatever the entry point is.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { assertBuilt, CLI, collect, pass, planLines } from "./harness";

const PROGRAM = path.resolve(__dirname, "fixtures/ts");
const ROOT = path.resolve(__dirname, "../..");

/**
 * A project folder as `pulumi new typescript` leaves it once `main` is gone: package.json without `main`, index.ts.
 * Inside the repository, so that @pulumi/pulumi resolves from its node_modules as a program's own would.
 */
function packageWithIndexTs(pulumiYaml: string): string {
    const dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-index-ts-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "index-ts", devDependencies: { typescript: "*" } }));
    // A type annotation: only ts-node can run this file.
    fs.writeFileSync(path.join(dir, "index.ts"), 'const greeting: string = "typed";\nexport const said = greeting;\n');
    return dir;
}

describe("TypeScript programs", () => {
    const stack = `t-${crypto.randomBytes(4).toString("hex")}`;
    let dir: string | undefined;
    beforeAll(assertBuilt);
    afterEach(() => {
        for (const ext of ["json", "key", "lock"]) {
            fs.rmSync(path.join(PROGRAM, ".pulumi-local", `${stack}.${ext}`), { force: true });
        }
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        dir = undefined;
    });

    it("runs a folder with package.json and index.ts and no main, TypeScript being the default", async () => {
        // main.go parseOptions: "typescript defaults to true"; execRuntime then sets PULUMI_NODEJS_TYPESCRIPT=true,
        // and cmd/run's require of the folder finds index.ts through ts-node. Off, cmd/run finds no index.js.
        dir = packageWithIndexTs("name: index-ts\nruntime: nodejs\n");
        const up = await collect(spawn(process.execPath, [CLI, "up", dir, "--yes", "--skip-preview"], { stdio: ["ignore", "pipe", "pipe"] }));
        expect(up.code, up.stdout + up.stderr).toBe(0);
        expect(up.stdout).toContain('said: "typed"');
    });

    it("runs it without ts-node when Pulumi.yaml says typescript: false, and names a value that is not a boolean", async () => {
        dir = packageWithIndexTs("name: index-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
        const off = await collect(spawn(process.execPath, [CLI, "preview", dir], { stdio: ["ignore", "pipe", "pipe"] }));
        expect(off.code).not.toBe(0);
        expect(off.stdout + off.stderr).toContain("failed to locate the entry point");

        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: index-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: \"no\"\n");
        const bad = await collect(spawn(process.execPath, [CLI, "preview", dir], { stdio: ["ignore", "pipe", "pipe"] }));
        expect(bad.code).toBe(1);
        expect(bad.stderr).toContain('runtime.options.typescript must be true or false, got "no"');
    });

    it("runs index.ts and shows the registered type token", async () => {
        const child = spawn(process.execPath, [CLI, "up", PROGRAM, "--stack", stack, "--yes", "--config", "greeting=Hi"], { stdio: ["ignore", "pipe", "pipe"] });
        const r = await collect(child);
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Previewing update"))).toContain("+ pulumi-nodejs:dynamic/demo:Greeting  world  create");
        expect(pass(r.stdout, "Updating")).toContain('    text: "Hi, world!"\n');
    });
});
