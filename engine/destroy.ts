// `destroy`: delete every resource of the stack, dependents before what they depend on. The program is not run, and
// the provider is configured as the last `up` left it in the state.

import { Operation } from "./operation";

export class DestroyPass extends Operation {
    // The program is not run: the provider is configured as the last `up` left it (destroy.go newDestroySource,
    // then deployment.go EnsureProvider configures each provider from its state).
    protected override configFromState = true;

    async run(): Promise<boolean> {
        const { printer, stack } = this.ctx;
        printer.header(this.dryRun ? `Previewing destroy (${stack}):` : `Destroying (${stack}):`);
        this.warnOfPendingOperations();
        try {
            const ok = await this.deleteResources(this.snapshot.remainingOlds());
            this.failed ||= !ok;
            this.forgetUnusedProviderConfig();
            this.checkpoint();
        } catch (e) {
            this.error("", e instanceof Error ? e.message : String(e));
        } finally {
            await this.closeHost();
        }
        const ok = this.finish();
        if (ok && !this.dryRun) {
            printer.header(
                "The resources in the stack have been deleted, but the history and configuration associated with the stack are still maintained.",
            );
        }
        return ok;
    }
}
