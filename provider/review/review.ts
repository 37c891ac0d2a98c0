// The two things the commands make, from the text they read: a review of a preview (Markdown and SVG) and the
// picture of a stack as it stands. Pure: the command reads and writes the files (provider/cli.ts).
import { PlannedChange, plannedChange } from "./changes";
import { ObjectSet, platformObject } from "./objects";
import { buildPicture, Picture, standingPicture } from "./picture";
import { isPreviewDocument, parseJsonText, parsePlan, parseStackState, Plan } from "./pulumi-json";
import { renderReport, ReportOptions } from "./report";
import { toMermaid } from "./mermaid";
import { toSvg } from "./svg";

export interface Review {
    readonly markdown: string;
    readonly svg: string;
}

const PREVIEW_FIX = "Pass what `pulumi preview --json` prints.";
const STATE_FIX = "Pass what `pulumi stack export` prints, the local engine's state file (<program>/.pulumi-local/<stack>.json), or a preview.";

/** The report and the picture of a `pulumi preview --json`. */
export function reviewPreview(text: string, source: string, options: ReportOptions = {}): Review {
    const plan = parsePlan(parseJsonText(text, source, PREVIEW_FIX), source);
    return reviewPlan(plan, options);
}

/** What a plan does, and the picture of the organization after it. */
function pictureOfPlan(plan: Plan): { planned: PlannedChange; picture: Picture } {
    const planned = plannedChange(plan);
    const changeOf = new Map(planned.changes.map((c) => [c.urn, c.change]));
    return { planned, picture: buildPicture("The organization after the change", planned.before, planned.after, (urn) => changeOf.get(urn)) };
}

export function reviewPlan(plan: Plan, options: ReportOptions = {}): Review {
    const { planned, picture } = pictureOfPlan(plan);
    return { markdown: renderReport(planned, picture, plan.changeSummary, options), svg: toSvg(picture) };
}

/** The picture of a stack as it stands (a preview is drawn as it would stand after it). */
export function graphStack(text: string, source: string): Review {
    const document = parseJsonText(text, source, STATE_FIX);
    if (isPreviewDocument(document)) {
        const { picture } = pictureOfPlan(parsePlan(document, source));
        return { markdown: pictureMarkdown(toMermaid(picture)), svg: toSvg(picture) };
    }
    const state = parseStackState(document, source);
    const objects = new ObjectSet(state.resources.flatMap((r) => platformObject(r) ?? []));
    const picture = standingPicture(`The organization as the stack stands (${state.source})`, objects);
    return { markdown: pictureMarkdown(toMermaid(picture)), svg: toSvg(picture) };
}

function pictureMarkdown(mermaid: string): string {
    return ["```mermaid", mermaid, "```", ""].join("\n");
}
