// The state store (atomic writes, encrypted secrets, the lock) and project loading: no processes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { loadProject, loadStackConfig } from "../../engine/project";
import { WorkingSnapshot } from "../../engine/snapshot";
import { stackPaths } from "../../engine/files";
import { StackLock } from "../../engine/lock";
import { StateStore } from "../../engine/state";
import type { ResourceState } from "../../engine/types";
import { makeSecret } from "../../engine/values";

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-state-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const resource = (outputs: ResourceState["outputs"]): ResourceState => ({
    urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic:Resource::r",
    type: "pulumi-nodejs:dynamic:Resource",
    custom: true,
    id: "r-1",
    inputs: { password: makeSecret("s3cret-value"), n: 1 },
    outputs,
    dependencies: [],
    propertyDependencies: {},
});

describe("StateStore", () => {
    it("starts empty and writes nothing until asked", () => {
        const store = StateStore.open(dir, "proj", "dev", {});
        expect(store.snapshot).toEqual({ resources: [], pendingOperations: [] });
        expect(fs.existsSync(path.join(dir, ".pulumi-local"))).toBe(false);
    });

    it("encrypts every secret with a key file, and decrypts them on open", () => {
        const store = StateStore.open(dir, "proj", "dev", {});
        const r = resource({ password: makeSecret("s3cret-value"), nested: { list: [makeSecret({ deep: "s3cret-deep" })] } });
        store.save({ resources: [r], pendingOperations: [] });
        const paths = stackPaths(dir, "dev");
        const text = fs.readFileSync(paths.stateFile, "utf8");
        expect(text).not.toContain("s3cret");
        expect(JSON.parse(text).secrets.type).toBe("keyfile");
        expect(fs.statSync(paths.keyFile).mode & 0o777).toBe(0o600);
        expect(fs.statSync(paths.stateFile).mode & 0o777).toBe(0o600);
        expect(fs.readFileSync(path.join(paths.dir, ".gitignore"), "utf8")).toBe("*\n");
        // No temporary file is left behind.
        expect(fs.readdirSync(paths.dir).sort()).toEqual([".gitignore", "dev.json", "dev.key"]);

        const reopened = StateStore.open(dir, "proj", "dev", {});
        expect(reopened.snapshot.resources).toEqual([r]);
    });

    it("uses a passphrase-derived key when MLPLATFORM_ENGINE_PASSPHRASE is set, and rejects a wrong or missing one", () => {
        const env = { MLPLATFORM_ENGINE_PASSPHRASE: "pass one" };
        StateStore.open(dir, "proj", "dev", env).save({ resources: [resource({})], pendingOperations: [] });
        const paths = stackPaths(dir, "dev");
        expect(fs.existsSync(paths.keyFile)).toBe(false);
        expect(JSON.parse(fs.readFileSync(paths.stateFile, "utf8")).secrets.type).toBe("passphrase");
        expect(StateStore.open(dir, "proj", "dev", env).snapshot.resources[0].inputs.password).toEqual(makeSecret("s3cret-value"));
        expect(() => StateStore.open(dir, "proj", "dev", { MLPLATFORM_ENGINE_PASSPHRASE: "pass two" })).toThrow(/incorrect passphrase/);
        expect(() => StateStore.open(dir, "proj", "dev", {})).toThrow(/set MLPLATFORM_ENGINE_PASSPHRASE/);
    });

    it("fails clearly when the key file is gone", () => {
        StateStore.open(dir, "proj", "dev", {}).save({ resources: [resource({})], pendingOperations: [] });
        fs.rmSync(stackPaths(dir, "dev").keyFile);
        expect(() => StateStore.open(dir, "proj", "dev", {})).toThrow(/cannot read the secrets key .*dev\.key/);
    });

    it("stores secrets in Pulumi's checkpoint form", () => {
        const store = StateStore.open(dir, "proj", "dev", {});
        store.save({ resources: [resource({})], pendingOperations: [] });
        const saved = JSON.parse(fs.readFileSync(stackPaths(dir, "dev").stateFile, "utf8"));
        expect(saved.resources[0].inputs.password).toEqual({ [specialSigKey]: specialSecretSig, ciphertext: expect.stringMatching(/^v1:[^:]+:[^:]+$/) });
    });

    it("refuses a state file of another project, and a corrupt one", () => {
        StateStore.open(dir, "proj", "dev", {}).save({ resources: [], pendingOperations: [] });
        expect(() => StateStore.open(dir, "other", "dev", {})).toThrow(/belongs to project 'proj'/);
        fs.writeFileSync(stackPaths(dir, "dev").stateFile, "{ not json");
        expect(() => StateStore.open(dir, "proj", "dev", {})).toThrow(/cannot read the state file/);
    });
});

describe("StateStore journal", () => {
    const entry = (name: string, extra: Partial<ResourceState> = {}): ResourceState => ({
        ...resource({ password: makeSecret(`s3cret-${name}`), n: 1 }),
        urn: `urn:pulumi:dev::proj::pulumi-nodejs:dynamic:Resource::${name}`,
        id: `${name}-1`,
        inputs: { __provider: "exports.handler = () => 1; // a serialized provider text", password: makeSecret(`s3cret-${name}`) },
        ...extra,
    });
    const pending = { urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic:Resource::slow", type: "pulumi-nodejs:dynamic:Resource", operation: "creating" as const, startedAt: "2026-11-24T00:00:00Z" };

    /** A stack of `n` resources saved whole, and a run's working snapshot of it. */
    function started(n: number) {
        StateStore.open(dir, "proj", "dev", {}).save({ resources: Array.from({ length: n }, (_, i) => entry(`old${i}`)), pendingOperations: [] });
        const store = StateStore.open(dir, "proj", "dev", {});
        return { store, run: new WorkingSnapshot(store.snapshot), paths: stackPaths(dir, "dev") };
    }

    it("replays every kind of change on open to the snapshot the run had, pending operations included", () => {
        const { store, run } = started(3);
        const [o0, o1, o2] = run.oldResources;
        const step = () => store.append(run.takeChanges(), run.pendingOperations);
        const added = entry("new0");
        run.addNew(added, o0);
        step();
        run.pendingOperations.push(pending);
        step();
        run.pendingOperations = [];
        run.condemn(o1);
        run.addNew(entry("new1"));
        step();
        run.refresh(o2, { ...o2, outputs: { refreshed: makeSecret("s3cret-refreshed") } });
        run.setOutputs(added, { registered: "later" });
        step();
        run.remove(o1);
        run.pendingOperations.push(pending);
        step();

        const replayed = StateStore.open(dir, "proj", "dev", {}).snapshot;
        expect(replayed).toEqual(run.toSnapshot());
        expect(replayed.resources.map((r) => r.urn.split("::").pop())).toEqual(["new0", "new1", "old2"]);
        expect(replayed.pendingOperations).toEqual([pending]);
    });

    it("keeps the provider's configuration and a pending create's resource encrypted, in the file and in the journal", () => {
        const config = { "proj:token": "tok-s3cret", "proj:dir": "/data" };
        const withResource = { ...pending, resource: entry("slow", { id: undefined }) };
        // Saved whole.
        StateStore.open(dir, "proj", "dev", {}).save({ resources: [], pendingOperations: [withResource], providerConfig: config });
        const file = fs.readFileSync(stackPaths(dir, "dev").stateFile, "utf8");
        expect(file).not.toMatch(/tok-s3cret|s3cret-slow|proj:token/);
        expect(StateStore.open(dir, "proj", "dev", {}).snapshot).toEqual({ resources: [], pendingOperations: [withResource], providerConfig: config });

        // Journaled by a run, which changes both and stops before its last save.
        const store = StateStore.open(dir, "proj", "dev", {});
        const run = new WorkingSnapshot(store.snapshot);
        run.providerConfig = { ...config, "proj:token": "tok-rotated" };
        run.pendingOperations = [{ ...withResource, resource: entry("other", { id: undefined }), urn: withResource.urn.replace("slow", "other") }];
        store.append(run.takeChanges(), run.pendingOperations, run.providerConfig);
        expect(fs.readFileSync(stackPaths(dir, "dev").journalFile, "utf8")).not.toMatch(/tok-rotated|s3cret-other|proj:token/);
        expect(StateStore.open(dir, "proj", "dev", {}).snapshot).toEqual(run.toSnapshot());
    });

    it("records the stack's first secrets key when a step makes it, so a run killed before its last save can be read", () => {
        StateStore.open(dir, "proj", "dev", {}).save({ resources: [], pendingOperations: [] });
        const store = StateStore.open(dir, "proj", "dev", {});
        const run = new WorkingSnapshot(store.snapshot);
        store.append([], []);
        expect(JSON.parse(fs.readFileSync(stackPaths(dir, "dev").stateFile, "utf8")).secrets).toBeUndefined();
        run.addNew(entry("first"));
        store.append(run.takeChanges(), []);
        // No final save: the file still has no secrets configuration; the journal does.
        expect(StateStore.open(dir, "proj", "dev", {}).snapshot.resources[0].inputs.password).toEqual(makeSecret("s3cret-first"));
    });

    it("appends nothing after the run's final save, nor after a write failed", () => {
        const { store, run } = started(2);
        run.remove(run.oldResources[0]);
        store.append(run.takeChanges(), []);
        store.save(run.toSnapshot());
        expect(() => store.append([], [pending])).toThrow(/has written a run's final state; open the state again/);

        const again = started(2);
        again.store.append([], []);
        // The journal's file descriptor, closed underneath: the next write fails as a full disk would.
        fs.closeSync((again.store as unknown as { journal: number }).journal);
        again.run.remove(again.run.oldResources[0]);
        expect(() => again.store.append(again.run.takeChanges(), [])).toThrow();
        expect(() => again.store.append([], [pending])).toThrow(/the state journal could not be written .*cannot record more steps/);
    });

    it("appends each step without rewriting the state file, in bytes that do not grow with the stack", () => {
        const sizes: number[] = [];
        for (const n of [10, 1000]) {
            const { store, run, paths } = started(n);
            store.append([], []); // the first append of a run saves the state it started from
            const fileBefore = fs.readFileSync(paths.stateFile, "utf8");
            const journalBefore = fs.statSync(paths.journalFile).size;
            for (let i = 0; i < 5; i++) {
                run.addNew(entry(`new${i}`), run.oldResources[i]);
                store.append(run.takeChanges(), run.pendingOperations);
            }
            expect(fs.readFileSync(paths.stateFile, "utf8")).toBe(fileBefore);
            sizes.push(fs.statSync(paths.journalFile).size - journalBefore);
            fs.rmSync(paths.dir, { recursive: true, force: true });
        }
        expect(sizes[1]).toBe(sizes[0]);
    });

    it("keeps secrets out of the journal, and each new provider text in it once", () => {
        const { store, run, paths } = started(1);
        const text = "exports.handler = () => 2; // another kind's provider";
        const added = [0, 1].map((i) => entry(`new${i}`, { inputs: { __provider: text, password: makeSecret("s3cret-input") } }));
        for (const a of added) run.addNew(a);
        run.setOutputs(added[0], { token: makeSecret("s3cret-output") });
        store.append(run.takeChanges(), []);
        const journal = fs.readFileSync(paths.journalFile, "utf8");
        expect(journal).not.toContain("s3cret");
        expect(journal.split(text).length - 1).toBe(1);
        const replayed = StateStore.open(dir, "proj", "dev", {}).snapshot.resources;
        expect(replayed[0].outputs).toEqual({ token: makeSecret("s3cret-output") });
        expect(replayed[1].inputs).toEqual({ __provider: text, password: makeSecret("s3cret-input") });
    });

    it("folds the journal into the file on save, and ignores a journal an earlier save already folded in", () => {
        const { store, run, paths } = started(2);
        run.remove(run.oldResources[0]);
        store.append(run.takeChanges(), []);
        const leftover = fs.readFileSync(paths.journalFile, "utf8");
        store.save(run.toSnapshot());
        expect(fs.existsSync(paths.journalFile)).toBe(false);
        // A crash between writing the file and removing the journal leaves the journal of the previous file.
        fs.writeFileSync(paths.journalFile, leftover);
        expect(StateStore.open(dir, "proj", "dev", {}).snapshot.resources.map((r) => r.urn.split("::").pop())).toEqual(["old1"]);
    });

    it("drops a last line cut short by a crash, and refuses a journal damaged in the middle", () => {
        const { store, run, paths } = started(3);
        run.remove(run.oldResources[0]);
        store.append(run.takeChanges(), []);
        run.remove(run.oldResources[1]);
        store.append(run.takeChanges(), []);
        const text = fs.readFileSync(paths.journalFile, "utf8");
        fs.writeFileSync(paths.journalFile, text.slice(0, -5));
        expect(StateStore.open(dir, "proj", "dev", {}).snapshot.resources.map((r) => r.urn.split("::").pop())).toEqual(["old1", "old2"]);
        const lines = text.split("\n");
        lines[1] = lines[1].slice(0, 5);
        fs.writeFileSync(paths.journalFile, lines.join("\n"));
        expect(() => StateStore.open(dir, "proj", "dev", {})).toThrow(/state journal .*dev\.journal is damaged at line 2/);
    });
});

describe("StackLock", () => {
    it("is exclusive, names the holder, and is released", () => {
        const paths = stackPaths(dir, "dev");
        const lock = StackLock.acquire(paths, "dev", "up dev");
        expect(() => StackLock.acquire(paths, "dev", "destroy dev")).toThrow(
            new RegExp(`the stack 'dev' is locked by 'up dev' \\(process ${process.pid} on .*\\): .*dev\\.lock\\. If no other run is using this stack, remove the lock file`),
        );
        lock.release();
        expect(fs.existsSync(paths.lockFile)).toBe(false);
        StackLock.acquire(paths, "dev", "up dev").release();
    });
});

describe("project and config", () => {
    const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);

    it("reads Pulumi.yaml, namespaces config keys, and layers defaults < stack file < --config", () => {
        write("Pulumi.yaml", "name: proj\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nconfig:\n  region:\n    default: eu\n  size: 1\n");
        // aws:config:region: the older form of aws:region that stack files may still hold.
        write("Pulumi.dev.yaml", "config:\n  proj:size: 2\n  aws:config:region: us-east-1\n  proj:tags:\n    team: ml\n  proj:enabled: true\n");
        write("index.ts", "");
        const project = loadProject(dir);
        expect(project).toMatchObject({ name: "proj", program: path.join(dir, "index.ts"), typescript: false });
        expect(loadStackConfig(project, "dev", ["size=3", "other:key=a=b"]).values).toEqual({
            "proj:region": "eu",
            "proj:size": "3",
            "aws:region": "us-east-1",
            "proj:tags": '{"team":"ml"}',
            "proj:enabled": "true",
            "other:key": "a=b",
        });
    });

    it("finds the entry point: main, then index.js, then index.ts (TypeScript by default for every program)", () => {
        write("Pulumi.yaml", "name: p\nruntime: nodejs\n");
        write("index.ts", "");
        expect(loadProject(dir)).toMatchObject({ program: path.join(dir, "index.ts"), typescript: true, mainDir: dir });
        write("index.js", "");
        // main.go parseOptions: "typescript defaults to true", whatever the entry point.
        expect(loadProject(dir)).toMatchObject({ program: path.join(dir, "index.js"), typescript: true });
        fs.mkdirSync(path.join(dir, "src"));
        write("src/index.ts", "");
        write("Pulumi.yaml", "name: p\nruntime: nodejs\nmain: src/\n");
        expect(loadProject(dir)).toMatchObject({ program: path.join(dir, "src", "index.ts"), mainDir: path.join(dir, "src") });
    });

    it("reads runtime.options.nodeargs as node options, split on whitespace, and refuses anything but a string", () => {
        write("index.js", "");
        write("Pulumi.yaml", "name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: \" --max-old-space-size=4096   --stack-trace-limit=20 \"\n");
        expect(loadProject(dir).nodeArgs).toEqual(["--max-old-space-size=4096", "--stack-trace-limit=20"]);
        write("Pulumi.yaml", "name: p\nruntime: nodejs\n");
        expect(loadProject(dir).nodeArgs).toEqual([]);
        write("Pulumi.yaml", "name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: [\"--max-old-space-size=4096\"]\n");
        expect(() => loadProject(dir)).toThrow('runtime.options.nodeargs must be one string of node options, got ["--max-old-space-size=4096"]. Write it like nodeargs: "--max-old-space-size=4096".');
    });

    it("explains what is wrong with a project", () => {
        expect(() => loadProject(dir)).toThrow(/no Pulumi.yaml/);
        write("Pulumi.yaml", "name: p\nruntime: python\n");
        expect(() => loadProject(dir)).toThrow(/runtime 'python' is not supported/);
        write("Pulumi.yaml", "name: p\nruntime: nodejs\n");
        expect(() => loadProject(dir)).toThrow(/expected index.js or index.ts/);
        write("index.js", "");
        write("Pulumi.dev.yaml", "config:\n  p:key:\n    secure: v1:abc\n");
        expect(() => loadStackConfig(loadProject(dir), "dev", [], {})).toThrow(/has secure values but no encryptionsalt/);
    });
});
