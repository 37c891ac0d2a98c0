// The package installed the way npm installs it for a user (a copy under node_modules, not a link): Pulumi then
// serializes each kind's provider as a require() of the installed package, a few hundred bytes instead of kilobytes
// of code in every message, and a stack goes up, previews unchanged and is destroyed through the real engine and
// dynamic-provider host.
import * as fs from "fs";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { installPackage } from "../../bench/program";
import { CLI, collect } from "../engine/harness";
import { spawn } from "child_process";
import { createRequire } from "module";
import { KIND_NAMES } from "../../provider/model/kinds";

const ROOT = path.resolve(__dirname, "../..");
let dir: string | undefined;
afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const PROGRAM = `"use strict";
const ml = require("pulumi-mlplatform");
const org = new ml.Organization("acme", { displayName: "Acme", defaultZone: "ru-central1-a" });
const account = new ml.BillingAccount("main", { organization: org, status: "active" });
const research = new ml.Community("research", { organization: org, zone: "ru-central1-a" });
const link = new ml.BillingLink("research-billing", { community: research, billingAccount: account });
const project = new ml.Project("training", { community: research }, { dependsOn: [link] });
const secret = new ml.Secret("token", { project, value: "s3cret-installed" });
const production = new ml.Community("production", { organization: org, zone: "ru-central1-a" });
new ml.Share("token-to-production", { resource: secret, community: production });
// Outputs the resources were not registered with: read from the platform's output, or unset.
exports.defaultCommunity = org.defaultCommunityName;
exports.secretVersion = secret.version;
exports.secretOrganizationId = secret.organizationId;
exports.projectLabels = project.labels;
`;

const engine = (...args: string[]) => collect(spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] }));

describe("the package installed as a copy", () => {
    it("has one provider module per kind, exporting that kind's provider and nothing else", () => {
        const modules = fs.readdirSync(path.join(ROOT, "provider/dynamic/providers")).map((f) => f.replace(/\.ts$/, "")).sort();
        expect(modules).toEqual([...KIND_NAMES].sort());
        // The compiled package, as the SDK loads it.
        const nativeRequire = createRequire(__filename);
        const { KindProvider } = nativeRequire("pulumi-mlplatform/provider/dynamic/provider");
        for (const kind of KIND_NAMES) {
            const exported = nativeRequire(`pulumi-mlplatform/provider/dynamic/providers/${kind}`);
            expect(exported).toBeInstanceOf(KindProvider);
            expect({ ...exported }).toEqual({ kind });
        }
    });

    it("serializes each kind's provider as a require() of the package, and runs a stack end to end", async () => {
        // Inside the repository, so that @pulumi/pulumi resolves from its node_modules as a program's own would.
        dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: installed\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "installed", private: true }));
        fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
        installPackage(dir);

        const up = await engine("up", dir, "--yes", "--skip-preview");
        expect(up.code, up.stdout + up.stderr).toBe(0);
        expect(up.stdout).toContain("+ 9 created");
        const state = JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local", "dev.json"), "utf8"));
        const texts = Object.values(state.providers as Record<string, string>);
        expect(texts).toHaveLength(7); // one per kind in the program
        for (const text of texts) {
            expect(text).toMatch(/require\("pulumi-mlplatform\/(dist\/)?provider\/dynamic\/providers\/[A-Za-z]+(\.js)?"\)/);
            expect(text.length).toBeLessThan(400);
        }
        expect(fs.readFileSync(path.join(dir, ".pulumi-local", "dev.json"), "utf8")).not.toContain("s3cret-installed");
        const stack = state.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack");
        const org = state.resources.find((r: { urn: string }) => r.urn.endsWith("::acme"));
        expect(stack.outputs).toEqual({ defaultCommunity: "Acme Team", secretVersion: 1, secretOrganizationId: org.id });

        const preview = await engine("preview", dir);
        expect(preview.code, preview.stdout + preview.stderr).toBe(0);
        expect(preview.stdout).toContain("9 unchanged");

        const destroy = await engine("destroy", dir, "--yes", "--skip-preview");
        expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
        expect(destroy.stdout).toContain("- 9 deleted");
    });
});
