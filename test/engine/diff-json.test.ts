// The --diff and --json displays fed steps as the operations feed them: the layout of `pulumi preview --diff`
// (nested values, arrays, multi-line text, prefixes, padding, which steps are shown) and the document of
// `pulumi preview --json` (field order, secrets, detailed diffs, diagnostics, config, escaping), with secrets planted
// in every place a value can sit and looked for in the whole output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Printer, type Counts } from "../../engine/display";
import { JsonDigest } from "../../engine/json";
import type { StepEvent } from "../../engine/steps";
import type { ResourceState } from "../../engine/types";
import { makeSecret, type PropertyMap } from "../../engine/values";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertBuilt, CLI, collect, FIXTURE, pass, TestStack, type ProgramSpec } from "./harness";

const STACK = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const TYPE = "pulumi-nodejs:dynamic/mlplatform:Project";
const urn = (name: string) => `urn:pulumi:dev::proj::${TYPE}::${name}`;
const PLANTED = ["planted-old-token-1f9e", "planted-new-token-77c2", "planted-nested-4a0b", "planted-list-9d3e", "planted-whole-object-5e21"];

function resource(name: string, inputs: PropertyMap, extra: Partial<ResourceState> = {}): ResourceState {
    return {
        urn: urn(name),
        type: TYPE,
        custom: true,
        id: `prj-${name}`,
        parent: STACK,
        inputs: { __provider: "exports.handler = __f0; // a provider's source text", ...inputs },
        outputs: { __provider: "exports.handler = __f0;", ...inputs, generated: "out" },
        dependencies: [],
        propertyDependencies: Object.fromEntries(Object.keys(inputs).map((k) => [k, []])),
        created: "2026-12-01T10:00:00.000Z",
        modified: "2026-12-01T10:00:00.000Z",
        ...extra,
    };
}

const stack: ResourceState = { urn: STACK, type: "pulumi:pulumi:Stack", custom: false, inputs: {}, outputs: { out: 1 }, dependencies: [], propertyDependencies: {} };

const before = resource("training", {
    description: "Training pipelines",
    limits: { maxUnitsPerHour: 500, maxUnitsPerExecution: 100 },
    settings: { ide: "JUPYTER_LAB", staleExecTimeoutMode: "THREE_HOURS", hooks: makeSecret({ token: PLANTED[4] }) },
    nodes: [{ weight: 100, key: makeSecret(PLANTED[3]) }, { weight: 50 }],
    token: makeSecret(PLANTED[0]),
    nested: { deeper: { secret: makeSecret(PLANTED[2]) } },
    notes: "line one\nline two\nline three\nline four\nline five\nline six\nline seven",
    gone: "soon",
    empty: "",
});
const after = resource("training", {
    description: "Training pipelines",
    limits: { maxUnitsPerHour: 800, maxUnitsPerExecution: 100 },
    settings: { ide: "JUPYTER_LAB", staleExecTimeoutMode: "ONE_HOUR", securityGroupIds: ["sg-1", "sg-2"], hooks: makeSecret({ token: PLANTED[4] }) },
    nodes: [{ weight: 70, key: makeSecret(PLANTED[3]) }],
    token: makeSecret(PLANTED[1]),
    nested: { deeper: { secret: makeSecret(PLANTED[2]) } },
    notes: "line one\nline two\nline three\nline four\nline FIVE\nline six\nline seven",
    communityId: unknownValue,
    nothing: null,
    empty: "",
});

const steps: StepEvent[] = [
    { op: "same", urn: STACK, old: stack, new: stack, result: "same" },
    { op: "update", urn: after.urn, old: before, new: after, reasons: { diffReasons: [], replaceReasons: [], engineDiff: false }, result: "update" },
];

function diffOf(events: StepEvent[], showSames = false): string {
    const out: string[] = [];
    const printer = new Printer({ write: (t: string) => out.push(t) }, { write: (t: string) => out.push(t) }, false, false, { diff: true, showSames });
    for (const e of events) printer.step(e, true);
    return out.join("");
}

describe("--diff", () => {
    const text = diffOf(steps);

    it("shows the stack, then each changed resource under it with its properties old => new, nested ones included", () => {
        expect(text).toBe(
            [
                "  pulumi:pulumi:Stack: (same)",
                `    [urn=${STACK}]`,
                `    ~ ${TYPE}: (update)`,
                "        [id=prj-training]",
                `        [urn=${urn("training")}]`,
                "      + communityId: [unknown]",
                "        description: \"Training pipelines\"",
                "      - gone       : \"soon\"",
                "      ~ limits     : {",
                "            maxUnitsPerExecution: 100",
                "          ~ maxUnitsPerHour     : 500 => 800",
                "        }",
                "        nested     : {",
                "            deeper: {",
                "                secret: [secret]",
                "            }",
                "        }",
                "      ~ nodes      : [",
                "          ~ [0]: {",
                "                    key   : [secret]",
                "                  ~ weight: 100 => 70",
                "                }",
                "          - [1]: {",
                "                  - weight: 50",
                "                }",
                "        ]",
                "      ~ notes      : ",
                "            ...",
                "            line three",
                "            line four",
                "          - line five",
                "          + line FIVE",
                "            line six",
                "            line seven",
                "      ~ settings   : {",
                "            hooks               : [secret]",
                "            ide                 : \"JUPYTER_LAB\"",
                "          + securityGroupIds    : [",
                "          +     [0]: \"sg-1\"",
                "          +     [1]: \"sg-2\"",
                "            ]",
                "          ~ staleExecTimeoutMode: \"THREE_HOURS\" => \"ONE_HOUR\"",
                "        }",
                "      ~ token      : [secret] => [secret]",
                "",
            ].join("\n"),
        );
    });

    it("never prints a secret's value: a changed one is [secret] => [secret], in objects and lists too", () => {
        for (const secret of PLANTED) expect(text).not.toContain(secret);
    });

    it("prints a created resource's inputs and a deleted one's, padded to the longest key (internal keys count, as in the CLI)", () => {
        const created = resource("serving", { zone: "ru-central1-a", token: makeSecret(PLANTED[0]) });
        const out = diffOf([steps[0], { op: "create", urn: created.urn, new: created, result: "create" }, { op: "delete", urn: created.urn, old: created, result: "delete" }]);
        expect(out).toContain(`    + ${TYPE}: (create)\n        [urn=${urn("serving")}]\n        token     : [secret]\n        zone      : "ru-central1-a"\n`);
        expect(out).toContain(`    - ${TYPE}: (delete)\n        [id=prj-serving]\n        [urn=${urn("serving")}]\n        token     : [secret]\n`);
        expect(out).not.toContain(PLANTED[0]);
        expect(out).not.toContain("exports.handler");
    });

    it("shows a change in a long text by its changed lines, however long the text (no table of every pair of lines)", () => {
        const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
        const changed = [...lines];
        changed[10_000] = "line ten thousand";
        const unrelated = Array.from({ length: 1_000 }, (_, i) => `other ${i}`);
        const old = resource("big", { text: lines.join("\n"), other: lines.slice(0, 1_000).join("\n") });
        const now = resource("big", { text: changed.join("\n"), other: unrelated.join("\n") });
        const out = diffOf([steps[0], { op: "update", urn: now.urn, old, new: now, result: "update" }]);
        expect(out).toContain(["      ~ text : ", "            ...", "            line 9998", "            line 9999", "          - line 10000", "          + line ten thousand", "            line 10001", "            line 10002", "            ...", ""].join("\n"));
        // Nothing in common: every old line removed, every new one added.
        expect(out.match(/^ {10}- line \d+$/gm)).toHaveLength(1_001);
        expect(out.match(/^ {10}\+ other \d+$/gm)).toHaveLength(1_000);
    });

    it("marks a replacement with +- and the change that forces it; a protected resource with a lock; a kept object with [retain]", () => {
        const old = resource("sandbox", { zone: "a" }, { protect: true, retainOnDelete: true });
        const now = resource("sandbox", { zone: "b" }, { protect: true });
        const out = diffOf([steps[0], { op: "replace", urn: now.urn, old, new: now, reasons: { diffReasons: [], replaceReasons: ["zone"], engineDiff: false }, result: "replace" }]);
        expect(out).toContain(`    +-${TYPE}: (replace[retain]) 🔒\n`);
        expect(out).toContain(`      ~ zone: "a" => "b"\n`);
    });

    it("lists unchanged resources only with --show-sames, and never a replaced object's deletion", () => {
        const same = resource("serving", { zone: "a" });
        const events: StepEvent[] = [steps[0], { op: "same", urn: same.urn, old: same, new: same, result: "same" }, { op: "delete-replaced", urn: same.urn, old: same }];
        expect(diffOf(events)).not.toContain(urn("serving"));
        const shown = diffOf(events, true);
        expect(shown).toContain(`      ${TYPE}: (same)\n        [id=prj-serving]\n        [urn=${urn("serving")}]\n`);
        expect(shown).not.toContain("delete-replaced");
    });

    it("with the engine's own detailed diff (a provider without diff) shows only what changed", () => {
        const out = diffOf([steps[0], { ...steps[1], reasons: { diffReasons: ["limits"], replaceReasons: [], engineDiff: true } }]);
        expect(out).toContain("      ~ limits     : {\n          ~ maxUnitsPerHour: 500 => 800\n        }\n");
        expect(out).not.toContain("description");
        for (const secret of PLANTED) expect(out).not.toContain(secret);
    });

    it("shows a refresh once it found something: old outputs => new ones", () => {
        const refreshed = { ...before, outputs: { ...before.outputs, generated: "drifted" } };
        const out = diffOf([
            { op: "refresh", urn: before.urn, old: before, new: before, result: "same" },
            { op: "refresh", urn: before.urn, old: before, new: refreshed, result: "update" },
        ]);
        expect(out.match(/\(update\)/g)).toHaveLength(1);
        expect(out).toContain(`~ generated  : "out" => "drifted"`);
        const gone = resource("gone", { zone: "a" });
        expect(diffOf([{ op: "refresh", urn: gone.urn, old: gone, result: "delete" }])).toBe(`- ${TYPE}: (delete)\n    [id=prj-gone]\n    [urn=${gone.urn}]\n`);
        for (const secret of PLANTED) expect(out).not.toContain(secret);
    });
});

/** `config` is the stack config as the CLI shows it (StackConfig.shown: secrets blinded by loadStackConfig, secret-config.test.ts). */
function digestOf(events: StepEvent[], opts: { showSames?: boolean; config?: Record<string, string>; counts?: Counts } = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const digest = new JsonDigest({ write: (t: string) => out.push(t) }, { write: (t: string) => err.push(t) }, false, opts.config ?? {}, opts.showSames ?? false);
    digest.header();
    for (const e of events) digest.step(e);
    digest.note("a note from the provider host");
    digest.programOutput("\u001b[32mhello from the program\u001b[39m");
    digest.diagnostics([
        { severity: "warning", urn: after.urn, message: "a <warning> & more" },
        { severity: "debug", urn: "", message: "noise" },
        { severity: "error", urn: "", message: "it failed\n" },
    ]);
    digest.outputs();
    digest.summary(opts.counts ?? { update: 1, same: 1 });
    digest.duration(1234.5);
    return { text: out.join(""), err: err.join("") };
}

describe("--json", () => {
    const { text, err } = digestOf(steps, { config: { "proj:zone": "a", "proj:apiToken": "[secret]" } });
    const doc = JSON.parse(text);

    it("writes one document, in the fields and order of `pulumi preview --json`, and nothing else on stdout", () => {
        expect(text.endsWith("}\n")).toBe(true);
        expect(Object.keys(doc)).toEqual(["config", "steps", "diagnostics", "duration", "changeSummary"]);
        expect(doc.duration).toBe(1_234_500_000);
        expect(doc.changeSummary).toEqual({ same: 1, update: 1 });
        expect(Object.keys(doc.changeSummary)).toEqual(["same", "update"]);
        expect(err).toBe("a note from the provider host\n");
        // Four spaces, as Go's MarshalIndent.
        expect(text.split("\n")[1]).toBe('    "config": {');
    });

    it("lists the stack and the update with old and new state; the new state is the goal: no id, outputs or timestamps", () => {
        expect(doc.steps.map((s: { op: string }) => s.op)).toEqual(["same", "update"]);
        const update = doc.steps[1];
        expect(Object.keys(update)).toEqual(["op", "urn", "oldState", "newState", "detailedDiff"]);
        expect(update.detailedDiff).toBeNull();
        expect(Object.keys(update.oldState)).toEqual(["urn", "custom", "id", "type", "inputs", "outputs", "parent", "propertyDependencies", "created", "modified"]);
        expect(Object.keys(update.newState)).toEqual(["urn", "custom", "type", "inputs", "parent", "propertyDependencies"]);
        expect(update.newState.inputs.limits).toEqual({ maxUnitsPerExecution: 100, maxUnitsPerHour: 800 });
        expect(Object.keys(update.newState.inputs)).toEqual([...Object.keys(update.newState.inputs)].sort());
        expect(update.newState.inputs.communityId).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    });

    it("writes every secret as \"[secret]\", at any depth, and a secret config value too", () => {
        for (const secret of PLANTED) expect(text).not.toContain(secret);
        const update = doc.steps[1];
        expect(update.oldState.inputs.token).toBe("[secret]");
        expect(update.newState.inputs.nodes[0].key).toBe("[secret]");
        expect(update.newState.inputs.settings.hooks).toBe("[secret]");
        expect(update.oldState.outputs.nested.deeper.secret).toBe("[secret]");
        expect(doc.config).toEqual({ "proj:apiToken": "[secret]", "proj:zone": "a" });
    });

    it("files diagnostics as the CLI does: severity prefix, a line break, no colors, no debug, the program's output as info", () => {
        expect(doc.diagnostics).toEqual([
            { message: "hello from the program\n", severity: "info" },
            { urn: after.urn, message: "warning: a <warning> & more\n", severity: "warning" },
            { message: "error: it failed\n", severity: "error" },
        ]);
        // Go's encoder escapes <, > and &.
        expect(text).toContain("warning: a \\u003cwarning\\u003e \\u0026 more");
    });

    it("has the engine's detailed diff when the provider could not say, a replaceOnChanges path marked as replacing", () => {
        const replacing = { ...after, replaceOnChanges: ["settings.staleExecTimeoutMode"] };
        const { text: t } = digestOf([{ ...steps[1], new: replacing, reasons: { diffReasons: ["limits", "settings"], replaceReasons: [], engineDiff: true } }]);
        const step = JSON.parse(t).steps[0];
        expect(step.diffReasons).toEqual(["limits", "settings"]);
        expect(step.detailedDiff).toEqual({
            communityId: { kind: "add", inputDiff: true },
            gone: { kind: "delete", inputDiff: true },
            "limits.maxUnitsPerHour": { kind: "update", inputDiff: true },
            "nodes[0].weight": { kind: "update", inputDiff: true },
            "nodes[1]": { kind: "delete", inputDiff: true },
            notes: { kind: "update", inputDiff: true },
            "settings.securityGroupIds": { kind: "add", inputDiff: true },
            "settings.staleExecTimeoutMode": { kind: "update-replace", inputDiff: true },
            token: { kind: "update", inputDiff: true },
        });
        for (const secret of PLANTED) expect(t).not.toContain(secret);
    });

    it("lists unchanged resources only with --show-sames (the stack always) and a replacement as its one replace step", () => {
        const same = resource("serving", { zone: "a" });
        const events: StepEvent[] = [steps[0], { op: "same", urn: same.urn, old: same, new: same, result: "same" }, { op: "delete-replaced", urn: same.urn, old: same }];
        expect(JSON.parse(digestOf(events).text).steps.map((s: { urn: string }) => s.urn)).toEqual([STACK]);
        expect(JSON.parse(digestOf(events, { showSames: true }).text).steps.map((s: { urn: string }) => s.urn)).toEqual([STACK, urn("serving")]);
    });

    it("lists a refresh with the state it started from, and one that found the object gone as a delete", () => {
        const { text: t } = digestOf([
            { op: "refresh", urn: before.urn, old: before, new: before, result: "same" },
            { op: "refresh", urn: urn("gone"), old: resource("gone", {}), result: "delete" },
        ]);
        const listed = JSON.parse(t).steps;
        expect(listed.map((s: { op: string }) => s.op)).toEqual(["refresh", "delete"]);
        expect(listed[0].newState).toBeUndefined();
    });
});

describe("--diff and --json through the engine (the files fixture)", () => {
    const stack = new TestStack();
    const SECRET_BEFORE = "planted-files-secret-0c4d";
    const SECRET_AFTER = "planted-files-secret-8e1a";
    const v1: ProgramSpec = {
        resources: [
            { name: "db", props: { size: 3, spec: { replicas: 1, tags: ["x", "y"] }, password: SECRET_BEFORE }, secrets: ["password"] },
            { name: "cache", props: { zone: "z1" } },
            { name: "old", props: { size: 1 } },
        ],
    };
    const v2: ProgramSpec = {
        resources: [
            { name: "db", props: { size: 4, spec: { replicas: 2, tags: ["x", "z", "w"] }, password: SECRET_AFTER }, secrets: ["password"] },
            { name: "cache", props: { zone: "z2" } },
            { name: "new", props: { size: 2 } },
        ],
        log: "hello from the program",
    };

    beforeAll(async () => {
        assertBuilt();
        expect((await stack.upFast(v1)).code).toBe(0);
    }, 120_000);
    afterAll(() => stack.cleanup());

    it("preview --diff shows nested values old => new, the replacement, the create and the delete, and no secret anywhere", async () => {
        const result = await stack.run("preview", v2, ["--diff"]);
        expect(result.code).toBe(0);
        const out = pass(result.stdout, "Previewing update");
        expect(out).toContain("  pulumi:pulumi:Stack: (same)\n");
        expect(out).toContain("    ~ pulumi-nodejs:dynamic:Resource: (update)\n");
        expect(out).toContain("      ~ password: [secret] => [secret]\n");
        expect(out).toContain("      ~ size    : 3 => 4\n");
        expect(out).toMatch(/ {6}~ spec {4}: \{\n {10}~ replicas: 1 => 2\n {10}~ tags {4}: \[\n {16}\[0\]: "x"\n {14}~ \[1\]: "y" => "z"\n {14}\+ \[2\]: "w"\n {12}\]\n {8}\}\n/);
        expect(out).toContain("    +-pulumi-nodejs:dynamic:Resource: (replace)\n");
        expect(out).toContain('      ~ zone: "z1" => "z2"\n');
        expect(out).toMatch(/ {4}\+ pulumi-nodejs:dynamic:Resource: \(create\)\n {8}\[urn=urn:pulumi:[^\]]+::new\]\n/);
        expect(out).toMatch(/ {4}- pulumi-nodejs:dynamic:Resource: \(delete\)\n {8}\[id=old-[0-9a-f]+\]\n/);
        // The default display's one-liners are not printed with --diff.
        expect(out).not.toMatch(/\[diff: /);
        for (const secret of [SECRET_BEFORE, SECRET_AFTER]) expect(result.stdout + result.stderr).not.toContain(secret);
    }, 120_000);

    it("preview --json prints one document and nothing else on stdout; the program's output is among its diagnostics", async () => {
        const result = await stack.run("preview", v2, ["--json", "--show-sames"]);
        expect(result.code).toBe(0);
        const doc = JSON.parse(result.stdout);
        expect(doc.steps.map((s: { op: string; urn: string }) => `${s.op} ${s.urn.split("::").pop()}`)).toEqual(
            expect.arrayContaining([`same files-${stack.name}`, "update db", "replace cache", "create new", "delete old"]),
        );
        expect(doc.changeSummary).toEqual({ create: 1, delete: 1, replace: 1, same: 1, update: 1 });
        expect(doc.diagnostics).toContainEqual({ message: "hello from the program\n", severity: "info" });
        const update = doc.steps.find((s: { op: string }) => s.op === "update");
        expect(update.oldState.inputs.password).toBe("[secret]");
        expect(update.newState.inputs.spec).toEqual({ replicas: 2, tags: ["x", "z", "w"] });
        expect(update.detailedDiff).toBeNull();
        expect(doc.steps.find((s: { op: string }) => s.op === "replace").replaceReasons).toEqual(["zone"]);
        expect(result.stderr).not.toContain("Previewing");
        // The fixture takes its program as plain config (the secrets in it too), which the document lists as given:
        // everything else holds no secret.
        const { config: _config, ...rest } = doc;
        for (const secret of [SECRET_BEFORE, SECRET_AFTER]) expect(JSON.stringify(rest) + result.stderr).not.toContain(secret);
        // Nothing was applied.
        expect(stack.resource("old")).toBeDefined();
    }, 120_000);

    it("up --preview-only --json is a preview's document; a failing program's error is in it and the exit code is 1", async () => {
        const preview = await stack.run("up", v2, ["--preview-only", "--json"]);
        expect(preview.code).toBe(0);
        expect(JSON.parse(preview.stdout).changeSummary.update).toBe(1);
        const failing = await stack.run("preview", { ...v2, throw: "the program broke" }, ["--json"]);
        expect(failing.code).toBe(1);
        const doc = JSON.parse(failing.stdout);
        expect(doc.diagnostics.some((d: { severity: string; message: string }) => d.severity === "error" && d.message.includes("the program broke"))).toBe(true);
    }, 120_000);

    it("finishes its run when the reader of its output goes away (`| head`), with the run's exit code", async () => {
        const child = stack.spawn("preview", v2, ["--diff"]);
        child.stdout!.once("data", () => child.stdout!.destroy());
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        expect(code).toBe(0);
    }, 120_000);

    it("--json writes \"[secret]\" for a config value that Pulumi.yaml declares secret", async () => {
        // The CLI insists such a value is encrypted (pkg/workspace/config.go), so its document never shows it.
        const dir = fs.mkdtempSync(path.join(FIXTURE, "..", ".secret-config-"));
        try {
            for (const file of ["index.js", "provider.js"]) fs.copyFileSync(path.join(FIXTURE, file), path.join(dir, file));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: secretcfg\nruntime: nodejs\nconfig:\n  apiToken:\n    type: string\n    secret: true\n");
            const run = await collect(spawn(process.execPath, [CLI, "preview", dir, "--json", "-c", `dir=${stack.objects}`, "-c", `spec=${JSON.stringify({ resources: [] })}`, "-c", `apiToken=${SECRET_AFTER}`], { stdio: ["ignore", "pipe", "pipe"] }));
            expect(run.code, run.stderr).toBe(0);
            expect(JSON.parse(run.stdout).config["secretcfg:apiToken"]).toBe("[secret]");
            expect(run.stdout + run.stderr).not.toContain(SECRET_AFTER);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }, 120_000);

    it("up --diff shows the blocks of the preview and of the update", async () => {
        const result = await stack.run("up", v2, ["--yes", "--diff"]);
        expect(result.code).toBe(0);
        const applied = pass(result.stdout, "Updating");
        expect(applied).toContain("      ~ size    : 3 => 4\n");
        expect(applied).toContain("    +-pulumi-nodejs:dynamic:Resource: (replace)\n");
        expect(pass(result.stdout, "Previewing update")).toContain("      ~ size    : 3 => 4\n");
        expect(result.stdout).toMatch(/Resources:\n {4}\+ 1 created\n {4}~ 1 updated\n {4}- 1 deleted\n {4}\+-1 replaced\n/);
        for (const secret of [SECRET_BEFORE, SECRET_AFTER]) expect(result.stdout + result.stderr).not.toContain(secret);
    }, 180_000);
});
