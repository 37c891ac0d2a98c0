// Secrets in the state, stack outputs, Resource.get (ReadResource) and refresh, through the real engine path.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { assertBuilt, pass, planLines, summary, TestStack, type ProgramSpec } from "./harness";

const T = "pulumi-nodejs:dynamic:Resource";

describe("engine state, secrets and reads", () => {
    let stack: TestStack;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    const secretSpec: ProgramSpec = {
        resources: [{ name: "db", props: { password: "hunter2-plaintext", user: "admin", token: "tok-plaintext" }, secrets: ["password"], opts: { additionalSecretOutputs: ["token"] } }],
        exports: { password: "db.password", user: "db.user", token: "db.token", path: "db.path" },
    };

    it("never writes a secret in plain text, prints it as [secret], and reads it back", async () => {
        stack = new TestStack();
        const r = await stack.up(secretSpec);
        expect(r.code, r.stderr).toBe(0);
        const outputs = pass(r.stdout, "Updating");
        expect(outputs).toContain('    password: [secret]\n');
        expect(outputs).toContain('    token   : [secret]\n');
        expect(outputs).toContain('    user    : "admin"\n');

        // The provider got the plain value (it does not accept secrets)...
        const id = stack.resource("db")!.id!;
        expect(stack.readObject(id)).toMatchObject({ password: "hunter2-plaintext", token: "tok-plaintext" });
        // ...but the state holds ciphertext only, in inputs, outputs and stack outputs alike.
        expect(stack.stateText().includes("hunter2-plaintext")).toBe(false);
        const db = stack.resource("db")!;
        // additionalSecretOutputs makes outputs secret, not inputs (as in Pulumi): the input stays readable.
        expect(db.inputs.token).toBe("tok-plaintext");
        const stackOutputs = stack.state().resources.find((x) => x.type === "pulumi:pulumi:Stack")!.outputs;
        expect(stackOutputs.token).toMatchObject({ [specialSigKey]: specialSecretSig, ciphertext: expect.stringMatching(/^v1:/) });
        expect(stackOutputs.password).toMatchObject({ [specialSigKey]: specialSecretSig });
        expect(db.inputs.password).toEqual({ [specialSigKey]: specialSecretSig, ciphertext: expect.stringMatching(/^v1:/) });
        expect(db.outputs.password).toEqual({ [specialSigKey]: specialSecretSig, ciphertext: expect.stringMatching(/^v1:/) });
        expect(db.outputs.token).toMatchObject({ [specialSigKey]: specialSecretSig });
        expect(db.outputs.user).toBe("admin");
        // The provider text is stored once per distinct text, referenced from each resource.
        const ref = (db.inputs.__provider as { __providerRef: string }).__providerRef;
        expect((stack.state() as { providers?: Record<string, string> }).providers?.[ref]).toMatch(/^exports\.handler/);
        expect(db.outputs.__provider).toEqual({ __providerRef: ref });
        expect(stack.state().secrets!.type).toBe("keyfile");
        expect(fs.statSync(stack.keyFile).mode & 0o777).toBe(0o600);

        // The next run decrypts them: nothing changed.
        const again = await stack.preview(secretSpec);
        expect(again.code, again.stderr).toBe(0);
        expect(summary(again.stdout)).toEqual(["2 unchanged"]);
        expect(again.stdout).toContain("    password: [secret]\n");
    });

    it("derives the key from MLPLATFORM_ENGINE_PASSPHRASE when set, and refuses a wrong one", async () => {
        stack = new TestStack();
        const env = { MLPLATFORM_ENGINE_PASSPHRASE: "correct horse" };
        expect((await stack.upFast(secretSpec, env)).code).toBe(0);
        expect(stack.state().secrets!.type).toBe("passphrase");
        expect(fs.existsSync(stack.keyFile)).toBe(false);
        expect(stack.stateText().includes("hunter2-plaintext")).toBe(false);

        const wrong = await stack.preview(secretSpec, { MLPLATFORM_ENGINE_PASSPHRASE: "battery staple" });
        expect(wrong.code).not.toBe(0);
        expect(wrong.stderr).toContain("error: incorrect passphrase: MLPLATFORM_ENGINE_PASSPHRASE does not decrypt this stack's secrets");
        const missing = await stack.preview(secretSpec, { MLPLATFORM_ENGINE_PASSPHRASE: "" });
        expect(missing.stderr).toContain("set MLPLATFORM_ENGINE_PASSPHRASE");
        const right = await stack.preview(secretSpec, env);
        expect(summary(right.stdout)).toEqual(["2 unchanged"]);
    });

    it("reads an existing object with Resource.get, and names the resource and id when it does not exist", async () => {
        stack = new TestStack();
        fs.writeFileSync(path.join(stack.objects, "existing-1.json"), JSON.stringify({ name: "existing", value: "hello" }));
        const spec: ProgramSpec = { gets: [{ name: "ext", id: "existing-1" }], exports: { value: "ext.value" } };
        const r = await stack.up(spec);
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Previewing update"))).toContain(`> ${T}  ext  read`);
        expect(planLines(pass(r.stdout, "Updating"))).toContain(`> ${T}  ext  read`);
        expect(pass(r.stdout, "Updating")).toContain('    value: "hello"\n');
        // Reads are not changes.
        expect(summary(pass(r.stdout, "Updating"))).toEqual(["+ 1 created"]);
        expect(stack.resource("ext")).toMatchObject({ id: "existing-1", external: true });

        // Dropping the read forgets the object; it is never deleted.
        const dropped = await stack.up({});
        expect(planLines(pass(dropped.stdout, "Updating"))).toEqual([`< ${T}  ext  discarded`]);
        expect(stack.mutations()).toEqual([]);
        expect(stack.objectIds()).toEqual(["existing-1"]);

        const missing = await stack.preview({ gets: [{ name: "ghost", id: "nope-0" }] });
        expect(missing.code).not.toBe(0);
        expect(planLines(missing.stdout)).toContain(`> ${T}  ghost  **reading failed**`);
        expect(missing.stderr).toContain(`  ${T} (ghost):\n    error: resource 'nope-0' does not exist\n`);
    });

    it("previews a read of an object the same program creates as a read with unknown outputs, and reads it in the update", async () => {
        stack = new TestStack();
        const spec: ProgramSpec = {
            resources: [{ name: "made", props: { label: "x" } }],
            gets: [{ name: "again", ref: "made.id" }],
            exports: { againName: "again.name", againPath: "again.path" },
        };
        const preview = await stack.preview(spec);
        expect(preview.code, preview.stderr).toBe(0);
        expect(planLines(preview.stdout)).toEqual([`+ pulumi:pulumi:Stack  files-${stack.name}  create`, `+ ${T}  made  create`, `> ${T}  again  read`]);
        // Every output of the read is unknown, even `name`, which the program passed in as a known "again".
        expect(preview.stdout).toContain("    againName: output<string>\n    againPath: output<string>\n");
        expect(summary(preview.stdout)).toEqual(["+ 2 to create"]);
        // The provider is not asked to read an object whose id is not known yet.
        expect(stack.calls().filter((c) => c.startsWith("read "))).toEqual([]);

        const up = await stack.up(spec);
        expect(up.code, up.stderr).toBe(0);
        const update = pass(up.stdout, "Updating");
        expect(planLines(update)).toEqual([`+ pulumi:pulumi:Stack  files-${stack.name}  created`, `+ ${T}  made  created`, `> ${T}  again  read`]);
        const made = stack.resource("made")!;
        expect(stack.calls()).toContain(`read ${made.id}`);
        expect(update).toContain(`    againName: "made"\n    againPath: ${JSON.stringify(made.outputs.path)}\n`);
        expect(stack.resource("again")).toMatchObject({ id: made.id, external: true });

        // Once the object exists its id is known, even in a preview: the read is real.
        stack.clearCalls();
        const again = await stack.preview(spec);
        expect(again.code, again.stderr).toBe(0);
        expect(planLines(again.stdout)).toEqual([`> ${T}  again  read`]);
        expect(again.stdout).toContain(`    againName: "made"\n`);
        expect(summary(again.stdout)).toEqual(["2 unchanged"]);
        expect(stack.calls()).toContain(`read ${made.id}`);
    });

    it("lets go of a managed object that the program now only reads, without deleting it", async () => {
        stack = new TestStack();
        expect((await stack.upFast({ resources: [{ name: "x", props: {} }] })).code).toBe(0);
        const id = stack.resource("x")!.id!;
        stack.clearCalls();

        const r = await stack.up({ gets: [{ name: "x", id }] });
        expect(r.code, r.stderr).toBe(0);
        expect(planLines(pass(r.stdout, "Updating"))).toEqual([`> ${T}  x  read`]);
        expect(stack.mutations()).toEqual([]);
        expect(stack.objectIds()).toEqual([id]);
        expect(stack.resource("x")).toMatchObject({ id, external: true });
        expect(stack.state().resources.filter((e) => e.urn.endsWith("::x"))).toHaveLength(1);
    });

    it("refresh keeps the inputs a provider's read returns, so the next preview shows what drifted", async () => {
        stack = new TestStack();
        const spec: ProgramSpec = { resources: [{ name: "drifty", props: { label: "a", readInputs: true } }] };
        expect((await stack.upFast(spec)).code).toBe(0);
        const id = stack.resource("drifty")!.id!;
        // Changed outside Pulumi.
        fs.writeFileSync(path.join(stack.objects, `${id}.json`), JSON.stringify({ ...stack.readObject(id), label: "changed" }));

        const refresh = await stack.run("refresh", spec, ["--yes"]);
        expect(refresh.code, refresh.stderr).toBe(0);
        expect(planLines(pass(refresh.stdout, "Refreshing"))).toEqual([`~ ${T}  drifty  refreshed [diff: ~label]`]);
        const refreshed = stack.resource("drifty")!;
        expect(refreshed.outputs.label).toBe("changed");
        // The read's inputs replace the stored ones (step.go RefreshStep.Apply); the host adds `__provider` to them.
        expect(refreshed.inputs).toMatchObject({ label: "changed", readInputs: true, __provider: { __providerRef: expect.any(String) } });
        expect(refreshed.inputs).not.toHaveProperty("path");

        // The program still says "a": the display diff, old inputs against new, names the drifted field.
        const preview = await stack.preview(spec);
        expect(preview.code, preview.stderr).toBe(0);
        expect(planLines(preview.stdout)).toEqual([`~ ${T}  drifty  update [diff: ~label]`]);
        const up = await stack.up(spec);
        expect(planLines(pass(up.stdout, "Updating"))).toEqual([`~ ${T}  drifty  updated [diff: ~label]`]);
        expect(stack.readObject(id).label).toBe("a");
    });

    it("refresh records changed outputs and drops objects the provider no longer finds", async () => {
        stack = new TestStack();
        const spec: ProgramSpec = { resources: [{ name: "kept", props: { label: "a" } }, { name: "gone", props: {} }] };
        expect((await stack.upFast(spec)).code).toBe(0);
        const kept = stack.resource("kept")!.id!;
        const gone = stack.resource("gone")!.id!;
        // Someone changed one object and deleted the other behind the engine's back.
        fs.writeFileSync(path.join(stack.objects, `${kept}.json`), JSON.stringify({ ...stack.readObject(kept), label: "changed" }));
        fs.rmSync(path.join(stack.objects, `${gone}.json`));
        stack.clearCalls();

        const r = await stack.run("refresh", spec, ["--yes"]);
        expect(r.code, r.stderr).toBe(0);
        // (Independent resources: their order is the order the program happened to register them in.)
        expect(planLines(pass(r.stdout, "Previewing refresh")).sort()).toEqual([`- ${T}  gone  delete`, `~ ${T}  kept  refresh [diff: ~label]`]);
        expect(planLines(pass(r.stdout, "Refreshing")).sort()).toEqual([`- ${T}  gone  deleted`, `~ ${T}  kept  refreshed [diff: ~label]`]);
        expect(summary(pass(r.stdout, "Refreshing"))).toEqual(["~ 1 updated", "- 1 deleted", "2 changes. 1 unchanged"]);
        expect(stack.resource("gone")).toBeUndefined();
        expect(stack.resource("kept")!.outputs.label).toBe("changed");
        // Refresh only reads.
        expect(stack.mutations()).toEqual([]);

        // The program still says "a": the next up sets it back and re-creates the lost object.
        const up = await stack.up(spec);
        expect(planLines(pass(up.stdout, "Updating")).sort()).toEqual([`+ ${T}  gone  created`, `~ ${T}  kept  updated`]);
    });
});
