// A TypeScript program runs through cmd/run with ts-node (type-checked), and a dynamic resource registered with a
// module and type shows under its own type token.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { assertBuilt, CLI, collect, pass, planLines } from "./harness";

const PROGRAM = path.resolve(__dirname, "fixtures/ts");

describe("TypeScript programs", () => {
    const stack = `t-${crypto.randomBytes(4).toString("hex")}`;
    beforeAll(assertBuilt);
    afterEach(() => {
        for (const ext of ["json", "key", "lock"]) {
            fs.rmSync(path.join(PROGRAM, ".pulumi-local", `${stack}.${ext}`), { force: true });
        }
    });

    it("runs index.ts and shows the registered type token", async () => {
        const child = spawn(process.execPath, [CLI, "up", PROGRAM, "--stack", stack, "--yes", "--config", "greeting=Hi"], { stdio: ["ignore", "pipe", "pipe"] });
        const r = await collect(child);
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Previewing update"))).toContain("+ pulumi-nodejs:dynamic/demo:Greeting  world  create");
        expect(pass(r.stdout, "Updating")).toContain('    text: "Hi, world!"\n');
    });
});
