// The rules each kind adds to its fields' schemas, in one entry per kind: the plan engine and the control plane
// look a kind up here instead of naming kinds in branches. Pure. `spec` rules run in preview (check) and again at
// apply time in the control plane; `facts` rules read the plan-time facts the SDK carries as inputs (context
// fields), and the control plane decides the same with the facts it stores.
import { Failure } from "../model/errors";
import { KindName } from "../model/kinds";
import { projectBillingFailures } from "./billing";
import { tellUseField, useFailures } from "./shared-use";
import { shareFailures, tellShareField } from "./sharing";
import { aliasTargetFailures, nodeSourceFailures, organizationSubjectFailures } from "./spec-rules";

/** `hidden(field)`: the field's value must not be shown (a declared secret, or an input the program made secret). */
export type Hidden = (field: string) => boolean;

export interface KindRules {
    /** Across the fields of one object. */
    readonly spec?: (spec: Readonly<Record<string, unknown>>, hidden: Hidden) => Failure[];
    /** With the plan-time facts carried as inputs; a fact unknown in preview leaves its rule undecided. */
    readonly facts?: (inputs: Record<string, unknown>, hidden: Hidden) => Failure[];
    /**
     * A field's schema failure in the words of the program, or undefined when a `facts` rule tells the same
     * problem better (a share's kind is refused with both ends named).
     */
    readonly tell?: (failure: Failure, inputs: Record<string, unknown>) => Failure | undefined;
}

export const KIND_RULES: Partial<Record<KindName, KindRules>> = {
    Organization: { spec: organizationSubjectFailures },
    Node: { spec: nodeSourceFailures },
    Alias: { spec: aliasTargetFailures },
    // A project needs its community's billing link: the SDK tells whether the program declares one.
    Project: { facts: (inputs, hidden) => projectBillingFailures(inputs, hidden) },
    // The heart of plan-time safety: both ends' zones and organizations travel as inputs, so a forbidden share
    // fails in preview, before anything exists.
    Share: { facts: (inputs, hidden) => shareFailures(inputs, hidden), tell: tellShareField },
    // The project's and the share's communities travel as inputs: a project of another community, zone or
    // organization is refused in preview, naming both sides.
    SharedResourceUse: { facts: (inputs, hidden) => useFailures(inputs, hidden), tell: tellUseField },
};

/** Failures across the fields of one object of `kind`; `hidden` names fields whose values must never be shown. */
export function specRuleFailures(kind: KindName, spec: Readonly<Record<string, unknown>>, hidden: Hidden = () => false): Failure[] {
    return KIND_RULES[kind]?.spec?.(spec, hidden) ?? [];
}
