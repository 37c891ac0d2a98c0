// check: schema + rules over the new inputs. Pure (randomness for autonaming is passed in) and never throws
// for bad input: every problem comes back as a failure with its property path, which `pulumi preview` prints.
import { Failure } from "../model/errors";
import { kindOf, KindName } from "../model/kinds";
import { shareFailures } from "../rules/sharing";
import { specRuleFailures } from "../rules/spec-rules";
import { validateSpec } from "../rules/validation";
import { AUTONAMED_KEY, INTERNAL_KEYS, LOGICAL_NAME_KEY } from "./inputs";
import { autoName, SuffixSource } from "./names";

export interface CheckResult {
    readonly inputs: Record<string, unknown>;
    readonly failures: Failure[];
}

export function check(kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>, suffix: SuffixSource): CheckResult {
    const decl = kindOf(kind);
    const inputs: Record<string, unknown> = { ...news };
    const failures: Failure[] = [];

    if (decl.named) {
        const explicit = news.name !== undefined && news.name !== null;
        if (explicit) {
            delete inputs[AUTONAMED_KEY];
        } else if (olds[AUTONAMED_KEY] === true && typeof olds.name === "string") {
            // Keep the name chosen at creation: a new suffix on every run would rename the object each time.
            inputs.name = olds.name;
            inputs[AUTONAMED_KEY] = true;
        } else if (typeof news[LOGICAL_NAME_KEY] === "string") {
            inputs.name = autoName(news[LOGICAL_NAME_KEY] as string, suffix);
            inputs[AUTONAMED_KEY] = true;
        } else {
            failures.push({ property: "name", reason: "is required (no logical name to derive one from). Set name." });
        }
    }

    failures.push(...validateSpec(decl, inputs, { mode: "create", withContext: true, allowedExtra: INTERNAL_KEYS }));
    if (failures.length === 0) failures.push(...specRuleFailures(kind, inputs));
    if (kind === "Share") {
        // The heart of plan-time safety: both ends' zones and organizations travel as inputs, so a forbidden
        // share fails here, in preview, before anything exists.
        failures.push(...shareFailures({ ...inputs }));
    }
    return { inputs, failures };
}
