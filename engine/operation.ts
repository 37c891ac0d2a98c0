// What every operation (update, refresh, destroy; preview or not) shares: the evolving snapshot and its
// persistence after each step, the dynamic provider host, the display, diagnostics, and deletion.

import { stackUrnFor, type Counts, type Display } from "./display";
import { CallLost, DynamicProviderHost } from "./host";
import { Limiter } from "./limiter";
import { deletionWaves } from "./planner";
import type { Project } from "./project";
import { WorkingSnapshot } from "./snapshot";
import type { StateStore } from "./state";
import type { DisplayOp, StepEvent, SummaryOp } from "./steps";
import type { Diagnostic, PendingOperation, ResourceState } from "./types";
import { makeSecret, unwrapSecretsMap, type PropertyMap } from "./values";

export interface OperationContext {
    project: Project;
    stack: string;
    /** The whole stack configuration, namespaced keys, secure values decrypted. */
    config: Record<string, string>;
    /** The keys of `config` whose values are secret (StackConfig.secretKeys). */
    secretConfigKeys: readonly string[];
    printer: Display;
    /** How many steps run at once (`--parallel`). */
    parallel: number;
}

/**
 * A step that could not be carried out. Its message (if any) is reported as an error on the resource; an empty
 * message means the errors were reported already (check failures).
 */
export class StepFailed extends Error {
    constructor(readonly urn: string, message = "") {
        super(message);
    }
}

export abstract class Operation {
    protected readonly snapshot: WorkingSnapshot;
    protected readonly counts: Counts = {};
    protected readonly diagnostics: Diagnostic[] = [];
    protected failed = false;
    private hostStart: Promise<DynamicProviderHost> | undefined;
    private readonly startedAt = Date.now();
    /** The Pulumi engine's step workers: up to `--parallel` steps at once (step_executor.go). */
    protected readonly workers: Limiter;
    /** The pending operations of the state this run started from. */
    protected readonly priorPending: readonly PendingOperation[];

    constructor(
        protected readonly ctx: OperationContext,
        protected readonly store: StateStore,
        protected readonly dryRun: boolean,
    ) {
        this.snapshot = new WorkingSnapshot(store.snapshot);
        this.workers = new Limiter(ctx.parallel);
        this.priorPending = this.snapshot.pendingOperations;
        // The next write of the state keeps the interrupted creates, which only a person can settle (`refresh` clears
        // or imports them), and forgets the other interrupted operations (backend/snapshot.go Snap).
        this.snapshot.pendingOperations = this.priorPending.filter((p) => p.operation === "creating");
    }

    /**
     * The Pulumi engine's warning about the operations a killed run left pending, given by a real `up` or `destroy`
     * (deployment_executor.go Execute, printPendingOperationsWarning), which then go on.
     */
    protected warnOfPendingOperations(): void {
        const pending = this.priorPending;
        if (pending.length === 0 || this.dryRun) {
            return;
        }
        this.diagnostics.push({
            severity: "warning",
            urn: "",
            message:
                `Attempting to deploy or update resources with ${pending.length} pending operations from previous deployment.\n` +
                pending.map((p) => `  * ${p.urn}, interrupted while ${p.operation}\n`).join("") +
                "These resources are in an unknown state because the engine was interrupted while waiting for changes to " +
                "these resources to complete. You should confirm whether or not the operations listed completed successfully " +
                "by checking the state of the objects the provider manages.\n\n" +
                "Once you have confirmed the status of the interrupted operations, you can repair your stack using `refresh`, " +
                "which will refresh the state from the provider and clear the pending operations if there are any.\n\n" +
                "Pending CREATE operations stay until `refresh` settles them: interactively, or with --clear-pending-creates " +
                "(the create failed, or a later run made the object), --skip-pending-creates, or --import-pending-creates URN ID " +
                "(the create made the object with that id).",
        });
    }

    /**
     * The configuration the dynamic provider is configured with. `up` configures it from the stack configuration;
     * `refresh` and `destroy` from the configuration the last `up` kept in the state (Snapshot.providerConfig).
     */
    protected providerConfig(): PropertyMap {
        return this.configFromState ? (this.store.snapshot.providerConfig ?? this.defaultProviderInputs()) : this.defaultProviderInputs();
    }

    /**
     * The default dynamic provider's inputs: the whole stack configuration, namespaced keys, the secret values as
     * secrets (target.go GetPackageConfig: `property.New(v).WithSecret(c.Secure())`). Configure sends them so, and the
     * SDK's host unwraps them before the provider sees its config.
     */
    protected defaultProviderInputs(): PropertyMap {
        const secret = new Set(this.ctx.secretConfigKeys);
        return Object.fromEntries(Object.entries(this.ctx.config).map(([k, v]) => [k, secret.has(k) ? makeSecret(v) : v]));
    }

    /** Whether the provider is configured from the state (see providerConfig). */
    protected configFromState = false;

    /**
     * Once no resource of the stack needs the provider any more, the configuration kept for it goes, as the Pulumi
     * engine deletes the default provider's resource with the last resource that used it.
     */
    protected forgetUnusedProviderConfig(): void {
        if (!this.snapshot.current().some((r) => r.custom)) {
            this.snapshot.providerConfig = undefined;
        }
    }

    /** Runs the operation and prints its result; true when it succeeded. */
    abstract run(): Promise<boolean>;

    protected get stackUrn(): string {
        return stackUrnFor(this.ctx.stack, this.ctx.project.name);
    }

    /** The dynamic provider host, started on first use (many operations never need it). */
    protected host(engineAddress = "127.0.0.1:0"): Promise<DynamicProviderHost> {
        // The address is required on the host's command line but the host never calls back; a run without an
        // engine server (refresh, destroy) passes a placeholder.
        this.hostStart ??= DynamicProviderHost.start({
            programDir: this.ctx.project.mainDir,
            project: this.ctx.project.name,
            runtimeOptions: this.ctx.project.runtimeOptions,
            config: this.ctx.config,
            configureWith: this.providerConfig(),
            engineAddress,
            onOutput: (line) => this.ctx.printer.note(line),
            onErrorOutput: (line) => this.ctx.printer.debug(`[provider host] ${line}`),
        });
        return this.hostStart;
    }

    protected async closeHost(): Promise<void> {
        if (this.hostStart) {
            const host = await this.hostStart.catch(() => undefined);
            this.hostStart = undefined;
            await host?.close();
        }
    }

    /** Values as the provider may see them: without secret wrappers unless it accepts secrets. */
    protected forProvider(host: DynamicProviderHost, m: PropertyMap): PropertyMap {
        return host.acceptSecrets ? m : unwrapSecretsMap(m);
    }

    /** Records the step just taken in the state's journal (never during a preview). */
    protected persist(): void {
        const changes = this.snapshot.takeChanges();
        if (!this.dryRun) {
            this.store.append(changes, this.snapshot.pendingOperations, this.snapshot.providerConfig);
        }
    }

    /** Writes the whole state, folding in the journal: at the end of a run. */
    protected checkpoint(): void {
        this.snapshot.takeChanges();
        if (!this.dryRun) {
            this.store.save(this.snapshot.toSnapshot());
        }
    }

    /**
     * Shows a step (the display decides how, and whether: unchanged resources only with --show-sames) and counts it
     * in the summary as `count`. `old` and `new` are the resource before and after the step, for --diff and --json.
     */
    protected record(op: DisplayOp, urn: string, step: Pick<StepEvent, "old" | "new" | "diff" | "reasons"> & { count?: SummaryOp } = {}): void {
        const { count, ...shown } = step;
        this.ctx.printer.step({ op, urn, ...shown, ...(count ? { result: count } : {}) }, this.dryRun);
        if (count) {
            this.count(count);
        }
    }

    protected count(op: SummaryOp): void {
        this.counts[op] = (this.counts[op] ?? 0) + 1;
    }

    protected error(urn: string, message: string): void {
        this.diagnostics.push({ severity: "error", urn, message });
        this.failed = true;
    }

    /**
     * Runs a provider call that changes the world. It is first recorded as a pending operation in the state, so
     * that an engine killed in the middle leaves a trace. The provider's answer settles it: success (the caller
     * records the result), or a failure (shown on the resource line, a StepFailed carrying the provider's message).
     * A call that got no answer (the host died under it, the connection dropped) settles nothing: the pending
     * operation stays in the state, as after a killed engine, and the next run warns about it.
     */
    protected async mutate<T>(
        r: { urn: string; type: string; id?: string; resource?: ResourceState },
        operation: PendingOperation["operation"],
        op: DisplayOp,
        call: () => Promise<T>,
    ): Promise<T> {
        const pending: PendingOperation = {
            urn: r.urn,
            type: r.type,
            operation,
            startedAt: new Date().toISOString(),
            ...(r.id ? { id: r.id } : {}),
            ...(r.resource ? { resource: r.resource } : {}),
        };
        this.snapshot.pendingOperations.push(pending);
        this.persist();
        const settle = () => (this.snapshot.pendingOperations = this.snapshot.pendingOperations.filter((p) => p !== pending));
        try {
            const result = await call();
            // The caller records the result and writes the state.
            settle();
            return result;
        } catch (e) {
            this.ctx.printer.step({ op, urn: r.urn, failed: true }, this.dryRun);
            if (e instanceof CallLost) {
                // No answer: the operation may have happened. It stays pending (the state on disk has it already).
                throw new StepFailed(r.urn, interruptedMessage(e, operation, r.urn));
            }
            // The provider answered with a failure: nothing is pending any more.
            settle();
            this.persist();
            throw new StepFailed(r.urn, e instanceof Error ? e.message : String(e));
        }
    }

    /**
     * Deletes old resources in reverse dependency order: providers' delete for custom resources, state-only removal
     * for components, the stack, `retainOnDelete` resources, and resources that were only read. Stops at the first
     * failure (the rest stays in the state for the next run).
     */
    protected async deleteResources(targets: readonly ResourceState[]): Promise<boolean> {
        // In waves, as the Pulumi engine schedules deletions (step_generator.go ScheduleDeletes, deployment_executor.go
        // performPostSteps): each wave holds what nothing left to delete depends on, deleted in parallel on the
        // workers; the next wave starts once the whole previous one is done. A failure lets its wave finish, then
        // stops: what depends on the failed deletion stays, with everything after it, for the next run.
        for (const wave of deletionWaves(this.snapshot.current(), new Set(targets))) {
            const results = await Promise.allSettled(wave.map((r) => this.workers.run(() => this.deleteOne(r))));
            let failed = false;
            results.forEach((result, i) => {
                if (result.status === "rejected") {
                    this.reportStepError(result.reason, wave[i].urn);
                    failed = true;
                }
            });
            if (failed) return false;
        }
        return true;
    }

    private async deleteOne(r: ResourceState): Promise<void> {
        const condemned = this.snapshot.isCondemned(r);
        if (r.external) {
            // Only read, never owned: forget it, do not delete it.
            this.snapshot.remove(r);
            this.persist();
            this.record("discard", r.urn, { old: r });
            return;
        }
        if (r.protect && !condemned) {
            throw new StepFailed(
                r.urn,
                `unable to delete resource "${r.urn}"\nas it is currently marked for protection. To unprotect the resource, ` +
                    "remove the `protect` flag from the resource in your Pulumi program and run `up`",
            );
        }
        const op: DisplayOp = condemned ? "delete-replaced" : "delete";
        if (r.custom && r.id && !r.retainOnDelete && !this.dryRun) {
            const host = await this.host();
            await this.mutate(r, "deleting", op, () =>
                host.delete(r.urn, r.id!, this.forProvider(host, r.outputs), this.forProvider(host, r.inputs)),
            );
        }
        this.snapshot.remove(r);
        this.persist();
        if (!condemned) {
            this.record(op, r.urn, { old: r, count: "delete" });
        } else if (!this.dryRun || r.delete) {
            // The original of a replacement is part of the replace step; its deletion is shown when it happens, and
            // in a preview only when it is left over from an earlier run.
            this.record(op, r.urn, { old: r });
        }
    }

    /** Turns an error from a step into a diagnostic on the resource. */
    protected reportStepError(e: unknown, urn: string): void {
        if (e instanceof StepFailed) {
            if (e.message) {
                this.error(e.urn, e.message);
            } else {
                this.failed = true;
            }
        } else {
            this.error(urn, e instanceof Error ? e.message : String(e));
        }
    }

    /** Prints diagnostics, outputs and the summary; returns whether the operation succeeded. */
    protected finish(outputs?: PropertyMap): boolean {
        const printer = this.ctx.printer;
        printer.header("");
        printer.diagnostics(this.diagnostics, this.stackUrn);
        if (outputs) {
            printer.outputs(outputs);
        }
        printer.summary(this.counts, this.dryRun);
        printer.duration(Date.now() - this.startedAt, this.dryRun);
        return !this.failed;
    }
}

const VERBS: Record<PendingOperation["operation"], string> = { creating: "create", updating: "update", deleting: "delete" };

const RETRY_ADVICE: Record<PendingOperation["operation"], string> = {
    creating:
        "Run `up` again if the provider's create is idempotent (it adopts the object an earlier call made); otherwise " +
        "look for that object and remove it first.",
    updating: "Run `up` again to apply the update again, or `refresh` to read the object as it is.",
    deleting: "Run `up` (or `destroy`) again: the delete is retried, and must succeed for an object already gone.",
};

/** What the user is told when a create, update or delete got no answer from the provider. */
function interruptedMessage(e: CallLost, operation: PendingOperation["operation"], urn: string): string {
    return (
        `interrupted: ${e.reason} during ${VERBS[operation]} of ${urn}; the operation may or may not have taken effect. ` +
        `${RETRY_ADVICE[operation]}${e.stderrTail}`
    );
}
