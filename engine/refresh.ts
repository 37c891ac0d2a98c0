// `refresh`: read every managed object through its provider and bring the state in line with what exists.
// An object the provider no longer finds leaves the state; what was read is recorded, and the provider's diff of
// it against the program's last inputs says whether it drifted (step.go RefreshStep).

import { Operation } from "./operation";
import { planRefresh, type ProviderDiff } from "./planner";
import { annotateSecrets, secretOutputs } from "./values";

export class RefreshPass extends Operation {
    async run(): Promise<boolean> {
        const { printer, stack } = this.ctx;
        printer.header(this.dryRun ? `Previewing refresh (${stack}):` : `Refreshing (${stack}):`);
        try {
            for (const r of this.snapshot.remainingOlds()) {
                if (!r.custom || !r.id || this.snapshot.isCondemned(r)) {
                    // Components and the stack have nothing to read; pending deletions are settled by the next up.
                    this.record("same", r.urn, { old: r, new: r, count: "same" });
                    continue;
                }
                const host = await this.host();
                let read: Awaited<ReturnType<typeof host.read>>;
                try {
                    read = await host.read(r.urn, r.id, this.forProvider(host, r.outputs), this.forProvider(host, r.inputs));
                } catch (e) {
                    this.ctx.printer.step({ op: "refresh", urn: r.urn, failed: true }, this.dryRun);
                    this.error(r.urn, e instanceof Error ? e.message : String(e));
                    break;
                }
                if (read.id === "") {
                    this.snapshot.remove(r);
                    this.persist();
                    this.record("refresh", r.urn, { old: r, count: "delete" });
                    continue;
                }
                // Secret outputs stay secret; so do inputs, if the provider returned new ones.
                const inputs = read.inputs ? annotateSecrets(read.inputs, r.inputs) : r.inputs;
                const outputs = secretOutputs(annotateSecrets(read.outputs, r.outputs), inputs, r.additionalSecretOutputs ?? []);
                let diff: ProviderDiff | undefined;
                if (!r.external) {
                    try {
                        // What was read is the "old" side and the program's last inputs the "new" one: the provider
                        // answers as for an up that would put the object back (step.go RefreshStep.Apply).
                        diff = await host.diff(r.urn, r.id, this.forProvider(host, outputs), this.forProvider(host, r.inputs), this.forProvider(host, inputs), r.ignoreChanges ?? []);
                    } catch (e) {
                        this.ctx.printer.step({ op: "refresh", urn: r.urn, failed: true }, this.dryRun);
                        this.error(r.urn, e instanceof Error ? e.message : String(e));
                        break;
                    }
                }
                const decision = planRefresh({ old: r, read: { id: read.id, inputs, outputs }, ...(diff ? { diff } : {}) });
                const refreshed = { ...r, id: read.id, inputs, outputs, modified: new Date().toISOString() };
                this.snapshot.refresh(r, refreshed);
                if (decision.op === "update") {
                    this.persist();
                    this.record("refresh", r.urn, { old: r, new: refreshed, diff: decision.diff, count: "update" });
                } else {
                    this.record("refresh", r.urn, { old: r, new: refreshed, count: "same" });
                }
            }
            this.checkpoint();
        } catch (e) {
            this.error("", e instanceof Error ? e.message : String(e));
        } finally {
            await this.closeHost();
        }
        return this.finish();
    }
}
