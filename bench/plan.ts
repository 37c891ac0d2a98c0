// The pure plan engine: check + diff per resource, no IO.
import { EMULATOR_IDS } from "../provider/model/ids";
import { EXAMPLE_INPUTS } from "../provider/model/examples";
import { KIND_NAMES, KINDS } from "../provider/model/kinds";
import { check } from "../provider/plan/check";
import { diff } from "../provider/plan/diff";
import { seconds } from "./measure";

export interface PlanFigures { resources: number; seconds: number; perSecond: number }

export function benchPlan(resources: number): PlanFigures {
    // Inputs as a program of `resources` resources would send them, cycling through every kind.
    const inputs = Array.from({ length: resources }, (_, i) => {
        const kind = KIND_NAMES[i % KIND_NAMES.length];
        const described = "description" in KINDS[kind].spec.shape ? { description: `resource ${i}` } : {};
        return { kind, news: { ...EXAMPLE_INPUTS[kind], __logicalName: `r${i}`, __provider: "serialized provider text", ...described } };
    });
    const pass = () => {
        let changed = 0;
        for (const { kind, news } of inputs) {
            const checked = check(kind, news, news, () => "abcdefg", EMULATOR_IDS);
            if (checked.failures.length) throw new Error(`${kind}: ${JSON.stringify(checked.failures)}`);
            if (diff(kind, news, checked.inputs).changes) changed++;
        }
        return changed;
    };
    pass(); // warm-up: let the JIT compile the hot paths before timing
    const { seconds: s } = seconds(pass);
    return { resources, seconds: s, perSecond: resources / s };
}
