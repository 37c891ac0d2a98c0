// `refresh`: read every managed object through its provider and bring the state in line with what exists.
// An object the provider no longer finds leaves the state; what was read is recorded, and the provider's diff of
// it against the program's last inputs says whether it drifted (step.go RefreshStep). Before that, it settles the
// creates a killed run left pending, as the person running it chose (pkg/cmd/pulumi/operations/refresh.go).

import { Operation, StepFailed, type OperationContext } from "./operation";
import { planRefresh, type ProviderDiff } from "./planner";
import type { StateStore } from "./state";
import type { ResourceState } from "./types";
import { annotateSecrets, secretOutputs, type PropertyMap } from "./values";

/**
 * How `refresh` settles the creates a killed run left pending: `--import-pending-creates URN ID` (the create made
 * the object with that id: it enters the state and is read like the others), `--clear-pending-creates` (forget
 * them), `--skip-pending-creates` (keep them), or the answers to the question asked for each on a terminal.
 */
export interface PendingCreateChoices {
    /** URN of a pending create → the id of the object it made. */
    imports: ReadonlyMap<string, string>;
    /** Which pending creates to forget: every one, or those named. */
    clear: "all" | ReadonlySet<string>;
}

const KEEP_PENDING_CREATES: PendingCreateChoices = { imports: new Map(), clear: new Set() };

export class RefreshPass extends Operation {
    // The program is not run: the provider is configured as the last `up` left it (refresh.go; deployment_executor.go
    // refresh calls EnsureProvider, which configures each provider from its state).
    protected override configFromState = true;

    constructor(
        ctx: OperationContext,
        store: StateStore,
        dryRun: boolean,
        private readonly pendingCreates: PendingCreateChoices = KEEP_PENDING_CREATES,
    ) {
        super(ctx, store, dryRun);
    }

    async run(): Promise<boolean> {
        const { printer, stack } = this.ctx;
        printer.header(this.dryRun ? `Previewing refresh (${stack}):` : `Refreshing (${stack}):`);
        try {
            const imported = this.settlePendingCreates();
            const reads: Promise<void>[] = [];
            for (const r of this.snapshot.remainingOlds()) {
                if (!r.custom || !r.id || this.snapshot.isCondemned(r)) {
                    // Components and the stack have nothing to read; pending deletions are settled by the next up.
                    this.record("same", r.urn, { old: r, new: r, count: "same" });
                    continue;
                }
                reads.push(this.workers.run(() => this.refreshOne(r, false)));
            }
            reads.push(...imported.map((r) => this.workers.run(() => this.refreshOne(r, true))));
            // Every object is read, on the workers, whatever happens to the others (deployment_executor.go refresh
            // runs its steps with ignoreErrors); each failure is reported on its resource, and what was read is kept.
            for (const result of await Promise.allSettled(reads)) {
                if (result.status === "rejected") this.reportStepError(result.reason, "");
            }
        } catch (e) {
            this.reportStepError(e, "");
        }
        try {
            this.checkpoint();
        } catch (e) {
            this.error("", e instanceof Error ? e.message : String(e));
        } finally {
            await this.closeHost();
        }
        return this.finish();
    }

    /**
     * Applies the choices about pending creates (refresh.go: imports first, then the question or --clear). Returns
     * the resources an import completed: not in the state yet, each read like the others and then added.
     */
    private settlePendingCreates(): ResourceState[] {
        const creates = this.snapshot.pendingOperations.filter((p) => p.operation === "creating");
        const imported: ResourceState[] = [];
        for (const [urn, id] of this.pendingCreates.imports) {
            const op = creates.find((p) => p.urn === urn);
            if (!op) {
                this.diagnostics.push({ severity: "warning", urn: "", message: `"${urn}" did not correspond to a pending create` });
                continue;
            }
            if (this.snapshot.liveOld(urn)) {
                throw new StepFailed(urn, `cannot import the pending create of ${urn}: the state has that resource already (a later run created it). Clear the pending create instead: refresh --clear-pending-creates`);
            }
            if (!op.resource) {
                throw new StepFailed(urn, `cannot import the pending create of ${urn}: a run of an older engine recorded it without its inputs. Clear it (refresh --clear-pending-creates) and run up, whose create adopts the object if the provider can`);
            }
            imported.push({ ...op.resource, id });
        }
        const importedUrns = new Set(imported.map((r) => r.urn));
        const { clear } = this.pendingCreates;
        this.snapshot.pendingOperations = this.snapshot.pendingOperations.filter(
            (p) => p.operation !== "creating" || !(importedUrns.has(p.urn) || clear === "all" || clear.has(p.urn)),
        );
        return imported;
    }

    /** Reads one object and records what was found; `imported`: a pending create completed, new to the state. */
    private async refreshOne(r: ResourceState, imported: boolean): Promise<void> {
        const host = await this.host();
        const id = r.id!;
        let found: { id: string; inputs: PropertyMap; outputs: PropertyMap } | undefined;
        let diff: ProviderDiff | undefined;
        try {
            const read = await host.read(r.urn, id, this.forProvider(host, r.outputs), this.forProvider(host, r.inputs));
            if (read.id === "" && imported) {
                throw new Error(`cannot import the pending create of ${r.urn}: the provider finds no object with id ${id}`);
            }
            if (read.id !== "") {
                // Secret outputs stay secret; so do inputs, if the provider returned new ones.
                const inputs = read.inputs ? annotateSecrets(read.inputs, r.inputs) : r.inputs;
                const outputs = secretOutputs(annotateSecrets(read.outputs, r.outputs), inputs, r.additionalSecretOutputs ?? []);
                found = { id: read.id, inputs, outputs };
                if (!r.external) {
                    // What was read is the "old" side and the program's last inputs the "new" one: the provider answers
                    // as for an up that would put the object back (step.go RefreshStep.Apply).
                    diff = await host.diff(r.urn, id, this.forProvider(host, outputs), this.forProvider(host, r.inputs), this.forProvider(host, inputs), r.ignoreChanges ?? []);
                }
            }
        } catch (e) {
            this.ctx.printer.step({ op: "refresh", urn: r.urn, failed: true }, this.dryRun);
            throw new StepFailed(r.urn, e instanceof Error ? e.message : String(e));
        }
        if (!found) {
            this.snapshot.remove(r);
            this.persist();
            this.record("refresh", r.urn, { old: r, count: "delete" });
            return;
        }
        const decision = planRefresh({ old: r, read: found, ...(diff ? { diff } : {}) });
        const refreshed = { ...r, ...found, modified: new Date().toISOString() };
        if (imported) {
            // The state gains the object the interrupted create made: a change to the state, whatever was read.
            this.snapshot.addNew(refreshed);
            this.persist();
            this.record("refresh", r.urn, { new: refreshed, count: "update" });
            return;
        }
        this.snapshot.refresh(r, refreshed);
        if (decision.op === "update") {
            this.persist();
            this.record("refresh", r.urn, { old: r, new: refreshed, diff: decision.diff, count: "update" });
        } else {
            this.record("refresh", r.urn, { old: r, new: refreshed, count: "same" });
        }
    }
}
