// The state as it evolves during one operation. It starts as the state on disk ("olds") and records, step by step,
// what became of each old resource and which resources the run registered ("news"), so that the state can be
// written after every step and a run that stops half-way leaves an exact record of what was done.

import type { Snapshot } from "./state";
import type { PendingOperation, ResourceState } from "./types";

type Fate = "superseded" | "removed" | "condemned";

export class WorkingSnapshot {
    private readonly olds: ResourceState[];
    private readonly fates = new Map<ResourceState, Fate>();
    private readonly refreshed = new Map<ResourceState, ResourceState>();
    private readonly news: ResourceState[] = [];
    pendingOperations: PendingOperation[];

    constructor(snapshot: Snapshot) {
        // A private copy: a preview pass mutates its snapshot freely and the next pass must start from the disk state.
        const copy = structuredClone(snapshot);
        this.olds = copy.resources;
        this.pendingOperations = copy.pendingOperations;
    }

    /** The old resources as loaded. */
    get oldResources(): readonly ResourceState[] {
        return this.olds;
    }

    /** The live (not pending-delete) old state of a URN that nothing in this run has taken over yet. */
    liveOld(urn: string): ResourceState | undefined {
        return this.olds.find((o) => o.urn === urn && !o.delete && !this.fates.has(o));
    }

    /** Old resources whose fate is still open, plus those condemned to deletion: what a delete phase must handle. */
    remainingOlds(): ResourceState[] {
        return this.olds.filter((o) => {
            const fate = this.fates.get(o);
            return fate === undefined || fate === "condemned";
        });
    }

    isCondemned(r: ResourceState): boolean {
        return r.delete === true || this.fates.get(r) === "condemned";
    }

    /** A resource registered (or read) by this run; it takes the place of `old` if given. */
    addNew(entry: ResourceState, supersedes?: ResourceState): void {
        this.news.push(entry);
        if (supersedes) {
            this.fates.set(supersedes, "superseded");
        }
    }

    /** `old` was replaced by a new resource created first: it stays, marked for deletion, until it is deleted. */
    condemn(old: ResourceState): void {
        this.fates.set(old, "condemned");
    }

    /** `old` no longer exists (deleted, discarded, or found missing by a refresh). */
    remove(old: ResourceState): void {
        this.fates.set(old, "removed");
    }

    /** A refresh changed what is known about `old`; it keeps its place in the state. */
    refresh(old: ResourceState, entry: ResourceState): void {
        this.refreshed.set(old, entry);
    }

    /**
     * The resources as they stand now: those of this run first (in the order they were registered, so dependencies
     * come before dependents), then the old resources still open, including condemned ones.
     */
    current(): ResourceState[] {
        const open = this.olds.filter((o) => {
            const fate = this.fates.get(o);
            return fate === undefined || fate === "condemned";
        });
        return [...this.news, ...open.map((o) => this.refreshed.get(o) ?? o)];
    }

    /** The state to write: the current resources, condemned ones marked `delete: true`. */
    toSnapshot(): Snapshot {
        const resources = this.current().map((r) => (this.isCondemned(r) && !r.delete ? { ...r, delete: true } : r));
        return { resources, pendingOperations: this.pendingOperations };
    }
}
