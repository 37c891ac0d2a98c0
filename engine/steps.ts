// A step as the displays see it: the operation, the resource before and after, and what the diff said. Every
// display (the default lines, --diff, --json) is fed the same events by the operations (operation.ts, update.ts,
// refresh.ts), as the Pulumi engine feeds its displays ResourcePreEvents with StepEventMetadata.

import type { ResourceState } from "./types";
import { parseUrn, ROOT_STACK_TYPE } from "./urn";
import type { KeyDiff } from "./values";

export type DisplayOp = "same" | "create" | "update" | "replace" | "delete" | "delete-replaced" | "read" | "read-replacement" | "discard" | "refresh";

/** The logical operations counted in the summary (deploy.StepOps, without reads). */
export type SummaryOp = "same" | "create" | "update" | "delete" | "replace";

/** How a property changed, in a detailed diff (plugin.DiffKind). */
export type PropertyDiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/**
 * What a diff said about a step, as the Pulumi engine's step metadata carries it (StepEventMetadata: Diffs, Keys,
 * DetailedDiff) and `preview --json` prints it (diffReasons, replaceReasons, detailedDiff).
 */
export interface StepReasons {
    /** The changed keys the diff named: none from a dynamic provider's diff, which never names them. */
    diffReasons: readonly string[];
    /** The keys whose change forces the replacement. */
    replaceReasons: readonly string[];
    /** The provider could not say (DIFF_UNKNOWN) and the engine compared the inputs itself: a detailed diff exists. */
    engineDiff: boolean;
}

/**
 * The reasons of an update or replacement from the planner's decision and the provider's answer to Diff (absent when
 * the provider was not asked: a resource that was only read is taken over).
 */
export function stepReasons(
    decision: { changedKeys: readonly string[]; replaceKeys?: readonly string[] },
    providerDiff?: { changes: string },
): StepReasons {
    return {
        diffReasons: decision.changedKeys,
        replaceReasons: decision.replaceKeys ?? [],
        engineDiff: providerDiff?.changes === "unknown",
    };
}

/** One step of a run, with the resource before and after it: what every display (text, --diff, --json) shows. */
export interface StepEvent {
    op: DisplayOp;
    urn: string;
    /** The resource as the state had it; absent for a create. */
    old?: ResourceState;
    /** The resource as the program declares it now (or as a refresh read it); absent for a delete. */
    new?: ResourceState;
    /** The top-level keys that changed, for the one-line `[diff: ~a]`. */
    diff?: KeyDiff;
    reasons?: StepReasons;
    /** What the step counts as in the summary; for a refresh, what it found (same, update or delete). */
    result?: SummaryOp;
    failed?: boolean;
}

/** The root stack's step is always shown, whatever the options. */
export function isRootStack(urn: string): boolean {
    try {
        return parseUrn(urn).qualifiedType === ROOT_STACK_TYPE;
    } catch {
        return false;
    }
}

/**
 * Whether `--diff` and `--json` list a step (display.go shouldShow): the root stack always; an unchanged resource
 * with --show-sames, or when only its protection changed; never the deletion of a replaced object, which belongs to
 * its replace step (the CLI shows it with --show-replacement-steps, which this engine does not have).
 */
export function isListed(e: StepEvent, showSames: boolean): boolean {
    if (isRootStack(e.urn)) {
        return true;
    }
    if (e.op === "same") {
        return showSames || Boolean(e.old?.protect) !== Boolean(e.new?.protect);
    }
    return e.op !== "delete-replaced";
}
