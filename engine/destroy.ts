// `destroy`: delete every resource of the stack, dependents before what they depend on. The program is not run.

import { Operation } from "./operation";

export class DestroyPass extends Operation {
    async run(): Promise<boolean> {
        const { printer, stack } = this.ctx;
        printer.header(this.dryRun ? `Previewing destroy (${stack}):` : `Destroying (${stack}):`);
        try {
            const ok = await this.deleteResources(this.snapshot.remainingOlds());
            this.failed ||= !ok;
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
