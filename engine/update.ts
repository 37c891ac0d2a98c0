// `preview` and `up`: run the program, turn each resource registration into a step (same, create, update,
// replace, read), then delete what the program no longer declares. One pass is either a preview (no provider
// mutations, no state writes) or an update (state written after every step).

import * as grpc from "@grpc/grpc-js";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { DynamicProviderHost } from "./host";
import {
    EngineServer,
    MonitorError,
    type MonitorHandler,
    type ReadResourceRequest,
    type ReadResourceResult,
    type RegisterResourceRequest,
    type RegisterResourceResult,
} from "./monitor";
import { Limiter } from "./limiter";
import { Operation, StepFailed } from "./operation";
import {
    displayDiff,
    inputsAfterDependencyReplacement,
    needsDiff,
    planCustomResource,
    transitiveDependents,
    type CustomDecision,
} from "./planner";
import { applyIgnoreChanges, invalidIgnorePathsMessage } from "./property-path";
import { EXIT_ERROR_ALREADY_LOGGED, programExit, startProgram } from "./program";
import { stepReasons, type StepReasons } from "./steps";
import type { Diagnostic, ResourceState } from "./types";
import { DYNAMIC_PACKAGE, makeUrn, parseUrn, typePackage } from "./urn";
import {
    annotateSecrets,
    deepEqual,
    renderValueAt,
    secretOutputs,
    unwrapSecretsMap,
    type PropertyMap,
} from "./values";

/** The Pulumi engine's refusal of a delete-before-replace chain through a protected dependent. */
function protectedDependentMessage(dependent: string, replaced: string): string {
    return (
        `unable to replace resource ${JSON.stringify(dependent)} as part of replacing ${JSON.stringify(replaced)} as it is currently marked for ` +
        "protection. To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`, " +
        `or use the command:\n\`pulumi state unprotect '${dependent}'\``
    );
}

/** What the program sees once the engine stopped after a failure: the SDK then winds down quietly. */
function shutdownError(): MonitorError {
    return new MonitorError(grpc.status.UNAVAILABLE, "resource monitor shut down while waiting on step's done channel");
}

export class UpdatePass extends Operation implements MonitorHandler {
    private server: EngineServer | undefined;
    /** The entries registered by this run, by URN. */
    private readonly registered = new Map<string, ResourceState>();
    /** Resources deleted ahead of a delete-before-replace; when the program registers them again they are replaced. */
    private readonly recreating = new Map<string, ResourceState>();
    /**
     * Check and Diff run one at a time, as on the Pulumi engine's single step-generator loop; the steps they decide
     * run on the workers (Operation.workers), up to `--parallel` at once. The SDK sends a registration only once
     * everything it depends on is registered, so a step starts when the steps it depends on are done.
     */
    private readonly generation = new Limiter(1);
    /** Registrations and reads under way; the run waits for them after the program exits. */
    private readonly inFlight = new Set<Promise<unknown>>();
    /** URNs a registration has claimed, to refuse a duplicate even while the first is still under way. */
    private readonly claimed = new Set<string>();
    private cancelled = false;
    /** Whether a resource of the program used the dynamic provider (registerDefaultProvider). */
    private providerRegistered = false;

    async run(): Promise<boolean> {
        const { printer, stack } = this.ctx;
        printer.header(this.dryRun ? `Previewing update (${stack}):` : `Updating (${stack}):`);
        this.warnOfPendingOperations();
        try {
            this.server = await EngineServer.start(this);
            // Start the provider host while the program starts: both take a moment to load.
            this.host(this.server.address).catch(() => undefined);
            const program = startProgram({ ...this.ctx, engineAddress: this.server.address, dryRun: this.dryRun });
            const code = await programExit(program);
            // The program is gone, but steps it started may still be talking to the provider.
            while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
            if (code !== 0 && !this.failed) {
                if (code === EXIT_ERROR_ALREADY_LOGGED) {
                    this.failed = true;
                } else {
                    this.error("", `Program exited with non-zero exit code: ${code}`);
                }
            }
            // Only a program that ran to completion says what no longer exists.
            if (!this.failed) {
                if (!this.providerRegistered && !this.dryRun) {
                    // No resource of the program used the provider, so the Pulumi engine never registered its default
                    // provider anew: the deletions use the one in the state, configured as the last `up` left it.
                    await this.closeHost();
                    this.configFromState = true;
                }
                const ok = await this.deleteResources(this.snapshot.remainingOlds());
                this.failed ||= !ok;
                if (!this.providerRegistered) this.forgetUnusedProviderConfig();
                // Dependents deleted ahead of a delete-before-replace that the program did not declare again: they
                // are gone for good, which makes them deletions.
                for (const r of this.recreating.values()) {
                    this.record("delete", r.urn, { old: r, count: "delete" });
                }
            }
            this.checkpoint();
        } catch (e) {
            this.error("", e instanceof Error ? e.message : String(e));
        } finally {
            this.server?.stop();
            await this.closeHost();
        }
        return this.finish(this.stackOutputs());
    }

    private stackOutputs(): PropertyMap {
        const stack = this.registered.get(this.stackUrn) ?? this.snapshot.oldResources.find((r) => r.urn === this.stackUrn);
        return stack?.outputs ?? {};
    }

    // ---- MonitorHandler -------------------------------------------------------------------------------------

    log(d: Diagnostic): void {
        if (d.severity === "debug") {
            this.ctx.printer.debug(`debug: ${d.message}`);
            return;
        }
        this.diagnostics.push(d);
        if (d.severity === "error") {
            this.failed = true;
        }
    }

    registerResource(req: RegisterResourceRequest): Promise<RegisterResourceResult> {
        const urn = makeUrn(this.ctx.stack, this.ctx.project.name, req.parent, req.type, req.name);
        return this.enqueue(urn, async () => {
            if (this.claimed.has(urn)) {
                throw new StepFailed(urn, `Duplicate resource URN '${urn}'; try giving it a unique name`);
            }
            this.claimed.add(urn);
            if (req.remote) {
                throw new StepFailed(urn, `${req.type} is a multi-language component; this local engine cannot construct it`);
            }
            const entry = req.custom ? await this.registerCustom(urn, req) : this.registerComponent(urn, req);
            this.registered.set(urn, entry);
            return { urn, ...(entry.id ? { id: entry.id } : {}), outputs: req.custom ? entry.outputs : {} };
        });
    }

    async registerResourceOutputs(urn: string, outputs: PropertyMap): Promise<void> {
        if (this.cancelled) {
            throw shutdownError();
        }
        const entry = this.registered.get(urn);
        if (!entry) {
            throw new MonitorError(grpc.status.INVALID_ARGUMENT, `cannot register outputs of unknown resource ${urn}`);
        }
        this.snapshot.setOutputs(entry, outputs);
        this.store.changed(entry);
        this.persist();
    }

    readResource(req: ReadResourceRequest): Promise<ReadResourceResult> {
        const urn = makeUrn(this.ctx.stack, this.ctx.project.name, req.parent, req.type, req.name);
        // A read step is carried out by a worker, like any other (step.go ReadStep.Apply).
        return this.enqueue(urn, () => this.executing(() => this.read(urn, req)));
    }

    invoke(token: string): Error {
        const what = token === "pulumi:pulumi:getResource" ? "resource references (pulumi:pulumi:getResource)" : `the function '${token}'`;
        return new MonitorError(
            grpc.status.UNIMPLEMENTED,
            `${what} cannot be invoked: this local engine runs no provider plugins, only dynamic resources`,
        );
    }

    // ---- steps ---------------------------------------------------------------------------------------------

    /**
     * Handles one request of the program. A failed step is reported on its resource and stops the run, as the
     * Pulumi engine cancels its steps on the first error: steps under way finish, those not started yet do not
     * start, and every later request gets UNAVAILABLE, which the SDK takes as the engine shutting down.
     */
    private enqueue<T>(urn: string, step: () => Promise<T>): Promise<T> {
        const run = (async () => {
            if (this.cancelled) {
                throw shutdownError();
            }
            try {
                return await step();
            } catch (e) {
                if (!(e instanceof MonitorError)) {
                    this.reportStepError(e, urn);
                }
                this.cancelled = true;
                throw shutdownError();
            }
        })();
        const tracked = run.catch(() => undefined);
        this.inFlight.add(tracked);
        void tracked.then(() => this.inFlight.delete(tracked));
        return run;
    }

    /** Runs a part of a step once no other step is being decided (Check and Diff: the step generator's loop). */
    private deciding<T>(work: () => Promise<T>): Promise<T> {
        return this.generation.run(async () => {
            if (this.cancelled) throw shutdownError();
            return work();
        });
    }

    /** Runs a decided step on a worker, unless the run was stopped by a failure meanwhile. */
    private executing<T>(work: () => Promise<T>): Promise<T> {
        return this.workers.run(async () => {
            if (this.cancelled) throw shutdownError();
            return work();
        });
    }

    /** Components and the stack: no provider, only a record in the state (inputs compared to decide). */
    private registerComponent(urn: string, req: RegisterResourceRequest): ResourceState {
        const old = this.findOld(urn, req.aliasUrns);
        const entry = this.newEntry(urn, req, { inputs: req.object, outputs: old?.outputs ?? {}, created: old?.created });
        this.snapshot.addNew(entry, old);
        if (!old) {
            this.persist();
            this.record("create", urn, { new: entry, count: "create" });
        } else if (deepEqual(unwrapSecretsMap(old.inputs), unwrapSecretsMap(req.object))) {
            this.record("same", urn, { old, new: entry, count: "same" });
        } else {
            this.persist();
            this.record("update", urn, { old, new: entry, diff: displayDiff(old.inputs, req.object), count: "update" });
        }
        return entry;
    }

    private async registerCustom(urn: string, req: RegisterResourceRequest): Promise<ResourceState> {
        this.ensureSupported(urn, req);
        this.registerDefaultProvider();
        const host = await this.host(this.server!.address);
        const step = await this.deciding(() => this.decide(host, urn, req));
        return this.executing(step);
    }

    /** Check, Diff and the decision for one registration; returns the step that carries it out. */
    private async decide(host: DynamicProviderHost, urn: string, req: RegisterResourceRequest): Promise<() => Promise<ResourceState>> {
        const recreated = this.recreating.get(urn);
        if (recreated) {
            // Deleted earlier in this run because a resource it depends on was replaced delete-before-create.
            this.recreating.delete(urn);
            const inputs = await this.check(host, urn, req.type, {}, req.object);
            return async () => {
                const entry = await this.create(host, urn, req, inputs, "replace");
                this.snapshot.addNew(entry);
                this.persist();
                this.record("replace", urn, { old: recreated, new: entry, diff: displayDiff(recreated.inputs, inputs), count: "replace" });
                return entry;
            };
        }

        const old = this.findOld(urn, req.aliasUrns);
        const managedOld = old && needsDiff(old) ? old : undefined;
        let news = req.object;
        if (managedOld) {
            // Ignored paths take their old values before check (step_generator.go processIgnoreChanges).
            const ignored = applyIgnoreChanges(req.object, managedOld.inputs, req.ignoreChanges);
            news = ignored.inputs;
            if (ignored.invalidPaths.length) {
                this.diagnostics.push({ severity: "info", urn, message: invalidIgnorePathsMessage(ignored.invalidPaths) });
            }
        }
        const checked = await this.check(host, urn, req.type, managedOld?.inputs ?? {}, news);
        const providerDiff = managedOld ? await this.diff(host, managedOld, checked, req.ignoreChanges) : undefined;
        const decision: CustomDecision = planCustomResource({
            old,
            news: checked,
            ...(providerDiff ? { diff: providerDiff } : {}),
            ignoreChanges: req.ignoreChanges,
            replaceOnChanges: req.replaceOnChanges,
            ...(req.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: req.deleteBeforeReplace } : {}),
        });

        switch (decision.op) {
            case "create":
                return async () => {
                    const entry = await this.create(host, urn, req, checked, "create");
                    this.snapshot.addNew(entry);
                    this.persist();
                    this.record("create", urn, { new: entry, count: "create" });
                    return entry;
                };
            case "same":
                return async () => {
                    const entry = this.newEntry(urn, req, { id: old!.id, inputs: checked, outputs: old!.outputs, created: old!.created, modified: old!.modified });
                    this.snapshot.addNew(entry, old);
                    // No write for an unchanged resource (Pulumi elides these too): the file already holds it, and the
                    // final save of the run records it in its new place.
                    this.record("same", urn, { old, new: entry, count: "same" });
                    return entry;
                };
            case "update": return async () => {
                const prior = old!;
                let outputs = checked;
                if (!this.dryRun) {
                    const raw = await this.mutate(prior, "updating", "update", () =>
                        host.update(urn, prior.id!, this.forProvider(host, prior.outputs), this.forProvider(host, checked), this.forProvider(host, prior.inputs), req.ignoreChanges),
                    );
                    outputs = this.providerOutputs(host, raw, checked);
                }
                const entry = this.newEntry(urn, req, { id: prior.id, inputs: checked, outputs, created: prior.created });
                this.snapshot.addNew(entry, prior);
                this.persist();
                this.record("update", urn, {
                    old: prior,
                    new: entry,
                    diff: displayDiff(prior.inputs, checked, decision.changedKeys),
                    reasons: stepReasons(decision, providerDiff),
                    count: "update",
                });
                return entry;
            };
            case "replace":
                return this.replace(host, urn, req, old!, decision, checked, stepReasons(decision, providerDiff));
        }
    }

    private async replace(
        host: DynamicProviderHost,
        urn: string,
        req: RegisterResourceRequest,
        old: ResourceState,
        decision: Extract<CustomDecision, { op: "replace" }>,
        checked: PropertyMap,
        reasons: StepReasons,
    ): Promise<() => Promise<ResourceState>> {
        if (old.protect && req.protect) {
            throw new StepFailed(
                urn,
                `unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, ` +
                    "remove the `protect` flag from the resource in your Pulumi program and run `up`",
            );
        }
        // The replacement is a new object: check again without the old inputs, so that defaults chosen from them
        // (an autonamed physical name, say) are chosen anew. (A read object was checked without olds already.)
        const inputs = old.external ? checked : await this.check(host, urn, req.type, {}, req.object);
        const done = (entry: ResourceState): ResourceState => {
            this.snapshot.addNew(entry);
            this.persist();
            this.record("replace", urn, { old, new: entry, diff: displayDiff(old.inputs, inputs, decision.changedKeys), reasons, count: "replace" });
            return entry;
        };
        if (old.external || !decision.deleteBeforeReplace) {
            // Create before delete (or taking over an object that was only read: create our own): the old one is
            // deleted (or forgotten) after the program finished, with the other deletions. One chain
            // [create-replacement, replace] (step_generator.go).
            return async () => {
                const entry = await this.create(host, urn, req, inputs, "replace");
                this.snapshot.condemn(old);
                return done(entry);
            };
        }
        // The old object must go first, and with it every dependent that the replacement would force to be replaced
        // too (those are re-created when the program registers them).
        const dependents = await this.dependentReplacements(host, old);
        // A protected dependent refuses the whole chain before anything of it is deleted, in a preview too
        // (step_generator.go continueStepsFromDiff).
        const protectedDependent = [...dependents].reverse().find((d) => d.protect);
        if (protectedDependent) {
            throw new StepFailed(urn, protectedDependentMessage(protectedDependent.urn, urn));
        }
        // One chain, run by one worker: the dependents' deletes in reverse dependency order, the old object's, the create.
        return async () => {
            for (const d of [...dependents].reverse()) {
                await this.deleteForReplacement(host, d);
                this.recreating.set(d.urn, d);
            }
            await this.deleteForReplacement(host, old);
            return done(await this.create(host, urn, req, inputs, "replace"));
        };
    }

    /**
     * For a delete-before-replace of `root`: the old dependents that must be deleted first, in dependency order.
     * A dependent goes when an input that came from a resource being replaced, set to unknown, makes its provider
     * ask for a replacement (step_generator.go calculateDependentReplacements).
     */
    private async dependentReplacements(host: DynamicProviderHost, root: ResourceState): Promise<ResourceState[]> {
        const replaceSet = new Set([root.urn]);
        const result: ResourceState[] = [];
        const live = this.snapshot.remainingOlds().filter((r) => !this.snapshot.isCondemned(r));
        for (const d of transitiveDependents(live, root.urn)) {
            // Registered already in this run: it cannot depend on something registered after it.
            if (this.registered.has(d.urn) || !d.custom || d.external || !d.id) {
                continue;
            }
            const inputs = inputsAfterDependencyReplacement(d, replaceSet);
            if (!inputs) {
                continue;
            }
            const diff = await this.diff(host, d, inputs, d.ignoreChanges ?? []);
            const decision = planCustomResource({ old: d, news: inputs, diff, ignoreChanges: d.ignoreChanges ?? [], replaceOnChanges: d.replaceOnChanges ?? [] });
            if (decision.op === "replace") {
                result.push(d);
                replaceSet.add(d.urn);
            }
        }
        return result;
    }

    /**
     * Deletes an old object of a delete-before-replace chain. Protection was checked when the chain was planned (the
     * replaced resource's by replace(), which lets a run that removes `protect` replace it; its dependents' above), so
     * it is not checked again here, as in step.go DeleteStep.Apply for a replacement.
     */
    private async deleteForReplacement(host: DynamicProviderHost, r: ResourceState): Promise<void> {
        if (!this.dryRun && !r.retainOnDelete) {
            await this.mutate(r, "deleting", "delete-replaced", () =>
                host.delete(r.urn, r.id!, this.forProvider(host, r.outputs), this.forProvider(host, r.inputs)),
            );
        }
        this.snapshot.remove(r);
        this.persist();
        if (!this.dryRun) {
            this.record("delete-replaced", r.urn);
        }
    }

    /** `Resource.get(name, id)`: read an object the program does not manage. */
    private async read(urn: string, req: ReadResourceRequest): Promise<ReadResourceResult> {
        if (req.type === "pulumi:pulumi:StackReference") {
            throw new StepFailed(urn, "StackReference is not supported by this local engine");
        }
        this.ensureSupportedType(urn, req.type, req.provider);
        if (req.id === unknownValue) {
            return this.unknownRead(urn, req);
        }
        this.registerDefaultProvider();
        const host = await this.host(this.server!.address);
        let result: Awaited<ReturnType<DynamicProviderHost["read"]>>;
        try {
            result = await host.read(urn, req.id, undefined, this.forProvider(host, req.properties));
        } catch (e) {
            this.ctx.printer.step({ op: "read", urn, failed: true }, this.dryRun);
            throw new StepFailed(urn, e instanceof Error ? e.message : String(e));
        }
        if (!result.id) {
            this.ctx.printer.step({ op: "read", urn, failed: true }, this.dryRun);
            throw new StepFailed(urn, `resource '${req.id}' does not exist`);
        }
        const outputs = secretOutputs(this.providerOutputs(host, result.outputs, req.properties), req.properties, req.additionalSecretOutputs);
        const entry: ResourceState = {
            urn,
            type: req.type,
            custom: true,
            external: true,
            id: result.id,
            ...(req.parent ? { parent: req.parent } : {}),
            inputs: req.properties,
            outputs,
            dependencies: req.dependencies,
            propertyDependencies: {},
        };
        this.addRead(entry);
        return { urn, outputs };
    }

    /**
     * A read whose id is not known yet: in a preview, the id of an object this run creates (`Resource.get(name,
     * created.id)`). The provider cannot be asked; as in the Pulumi engine (step.go ReadStep.Apply) it is a read step
     * with unknown outputs. The engine returns none there and the SDK takes every missing output of a read as unknown
     * in a preview; here each property the program sent is returned as unknown, which the SDK takes the same way.
     * During an update the SDK waits for the id, so it is always known.
     */
    private unknownRead(urn: string, req: ReadResourceRequest): ReadResourceResult {
        if (!this.dryRun) {
            throw new StepFailed(urn, `cannot read resource '${parseUrn(urn).name}': its id is unknown outside of a preview`);
        }
        const outputs: PropertyMap = Object.fromEntries(Object.keys(req.properties).map((k) => [k, unknownValue]));
        this.addRead({
            urn,
            type: req.type,
            custom: true,
            external: true,
            id: unknownValue,
            ...(req.parent ? { parent: req.parent } : {}),
            inputs: req.properties,
            outputs,
            dependencies: req.dependencies,
            propertyDependencies: {},
        });
        return { urn, outputs };
    }

    private addRead(entry: ResourceState): void {
        const old = this.snapshot.liveOld(entry.urn);
        if (old && !old.external && old.id !== entry.id) {
            // A managed object replaced by another that is only read: a read-replacement and a replace step, and the
            // managed one is deleted at the end, even when protected (step_generator.go GenerateReadSteps; the
            // deletion of a replaced object skips the protect check, step.go DeleteStep.Apply). The same object read
            // is let go, not deleted ("relinquish").
            this.snapshot.condemn(old);
            this.snapshot.addNew(entry);
            this.registered.set(entry.urn, entry);
            this.persist();
            this.record("read-replacement", entry.urn, { old, new: entry, count: "replace" });
            return;
        }
        this.snapshot.addNew(entry, old);
        this.registered.set(entry.urn, entry);
        this.persist();
        this.record("read", entry.urn, { ...(old ? { old } : {}), new: entry });
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The first resource that needs the dynamic provider registers it with the stack's configuration, and the state
     * keeps that configuration for `refresh` and `destroy` (default_providers.go: the default provider's inputs are
     * the whole stack configuration for a dynamic provider, target.go GetPackageConfig).
     */
    private registerDefaultProvider(): void {
        if (!this.providerRegistered) {
            this.providerRegistered = true;
            this.snapshot.providerConfig = this.defaultProviderInputs();
        }
    }

    private findOld(urn: string, aliases: readonly string[]): ResourceState | undefined {
        const direct = this.snapshot.liveOld(urn);
        if (direct) {
            return direct;
        }
        // An alias names the resource's former URN: its state carries over under the new URN.
        for (const alias of aliases) {
            const old = this.snapshot.liveOld(alias);
            if (old && !this.registered.has(alias)) {
                return old;
            }
        }
        return undefined;
    }

    private ensureSupported(urn: string, req: RegisterResourceRequest): void {
        this.ensureSupportedType(urn, req.type, req.provider);
        const unsupported: string[] = [];
        if (req.importId) {
            unsupported.push("import (dynamic resources cannot be imported; adopt existing objects in the provider's create)");
        }
        if (req.deletedWith) {
            unsupported.push("deletedWith");
        }
        if (req.replaceWith.length) {
            unsupported.push("replaceWith");
        }
        if (req.hasReplacementTrigger) {
            unsupported.push("replacementTrigger");
        }
        if (unsupported.length) {
            throw new StepFailed(urn, `resource option(s) not supported by this local engine: ${unsupported.join(", ")}`);
        }
    }

    private ensureSupportedType(urn: string, type: string, provider: string): void {
        // Provider resources are typed `pulumi:providers:<package>`.
        const pkg = type.startsWith("pulumi:providers:") ? type.split(":")[2] : typePackage(type);
        if (pkg !== DYNAMIC_PACKAGE || type.startsWith("pulumi:providers:")) {
            throw new StepFailed(
                urn,
                `resource type ${type} needs provider plugin ${pkg} (pulumi-resource-${pkg}), which this local engine cannot run; ` +
                    "only dynamic resources (pulumi-nodejs:dynamic:*) are supported",
            );
        }
        if (provider) {
            throw new StepFailed(urn, `explicit provider ${provider.split("::").slice(0, -1).join("::") || provider} is not supported by this local engine`);
        }
    }

    /** Check, reporting failures the way the engine prints them (step_generator.go issueCheckFailures). */
    private async check(host: DynamicProviderHost, urn: string, type: string, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
        let result: Awaited<ReturnType<DynamicProviderHost["check"]>>;
        try {
            result = await host.check(urn, this.forProvider(host, olds), this.forProvider(host, news));
        } catch (e) {
            throw new StepFailed(urn, e instanceof Error ? e.message : String(e));
        }
        if (result.failures.length > 0) {
            const { name } = parseUrn(urn);
            for (const f of result.failures) {
                this.error(
                    urn,
                    f.property
                        ? `${type} resource '${name}': property ${f.property} value ${renderValueAt(news, f.property)} has a problem: ${f.reason}`
                        : `${type} resource '${name}' has a problem: ${f.reason}`,
                );
            }
            throw new StepFailed(urn);
        }
        // Inputs that were secret stay secret through a provider that does not accept secrets.
        return host.acceptSecrets ? result.inputs : annotateSecrets(result.inputs, news);
    }

    private async diff(host: DynamicProviderHost, old: ResourceState, news: PropertyMap, ignoreChanges: string[]) {
        try {
            return await host.diff(old.urn, old.id!, this.forProvider(host, old.outputs), this.forProvider(host, news), this.forProvider(host, old.inputs), ignoreChanges);
        } catch (e) {
            throw new StepFailed(old.urn, e instanceof Error ? e.message : String(e));
        }
    }

    /** Create (not during a preview, where the provider cannot preview: the outputs shown are the inputs). */
    private async create(host: DynamicProviderHost, urn: string, req: RegisterResourceRequest, inputs: PropertyMap, op: "create" | "replace"): Promise<ResourceState> {
        if (this.dryRun && !host.supportsPreview) {
            return this.newEntry(urn, req, { inputs, outputs: inputs });
        }
        // The pending create carries the resource, so that `refresh --import-pending-creates` can complete it.
        const resource = this.newEntry(urn, req, { inputs, outputs: inputs });
        const created = await this.mutate({ urn, type: req.type, resource }, "creating", op, () => host.create(urn, this.forProvider(host, inputs)));
        const outputs = this.providerOutputs(host, created.outputs, inputs);
        return this.newEntry(urn, req, { id: created.id, inputs, outputs });
    }

    /** Outputs from the provider, with the secrets it could not see marked again (provider_plugin.go). */
    private providerOutputs(host: DynamicProviderHost, outputs: PropertyMap, inputs: PropertyMap): PropertyMap {
        return host.acceptSecrets ? outputs : annotateSecrets(outputs, inputs);
    }

    private newEntry(
        urn: string,
        req: RegisterResourceRequest,
        values: { id?: string; inputs: PropertyMap; outputs: PropertyMap; created?: string; modified?: string },
    ): ResourceState {
        const now = new Date().toISOString();
        return {
            urn,
            type: req.type,
            custom: req.custom,
            ...(values.id ? { id: values.id } : {}),
            ...(req.parent ? { parent: req.parent } : {}),
            inputs: values.inputs,
            // Every step, previews included, ends with the engine's secret marking of the outputs.
            outputs: secretOutputs(values.outputs, values.inputs, req.additionalSecretOutputs),
            dependencies: req.dependencies,
            propertyDependencies: req.propertyDependencies,
            ...(req.protect ? { protect: true } : {}),
            ...(req.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(req.additionalSecretOutputs.length ? { additionalSecretOutputs: req.additionalSecretOutputs } : {}),
            ...(req.ignoreChanges.length ? { ignoreChanges: req.ignoreChanges } : {}),
            ...(req.replaceOnChanges.length ? { replaceOnChanges: req.replaceOnChanges } : {}),
            created: values.created ?? now,
            modified: values.modified ?? now,
        };
    }
}
