// Everything that would otherwise repeat the kind declarations (provider/model/kinds.ts) by hand is made from them
// here: the SDK's classes (sdk/generated.ts) and the platform outputs they all have (sdk/platform-outputs.ts), the
// provider modules (provider/dynamic/providers/<Kind>.ts), the README's model table and a reference page per kind
// (docs/reference/<Kind>.md); and the README's table of provider settings, from their declaration
// (provider/client/config.ts SETTINGS).
//   npm run generate      writes them (ts-node; or node dist/tools/generate.js after a build)
// test/model/generated.test.ts runs generatedFiles() in memory and fails when a committed file differs.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { contextSchemas, ContextField, KIND_NAMES, KindDecl, KindName, KINDS, ObjectArg, PLATFORM_OUTPUT_DOCS, PROJECT_RESOURCE_KINDS, SHAREABLE_KINDS } from "../provider/model/kinds";
import { SETTINGS } from "../provider/client/config";

export const GENERATE_COMMAND = "npm run generate";
const DO_NOT_EDIT = `Generated from provider/model/kinds.ts by \`${GENERATE_COMMAND}\` (tools/generate.ts); do not edit.`;
export const README_START = "<!-- generated:model-table -->";
export const README_END = "<!-- /generated:model-table -->";
const SETTINGS_START = "<!-- generated:settings-table -->";
const SETTINGS_END = "<!-- /generated:settings-table -->";
/** Folders whose every file is generated: a file there that the generator does not make is stale. */
export const GENERATED_FOLDERS = ["provider/dynamic/providers", "docs/reference"];
/** Outputs every class has (sdk/platform-outputs.ts), documented by PLATFORM_OUTPUT_DOCS; a zone only where the kind has one. */
const BASE_OUTPUTS = ["id", "organizationId", "version", "createdAt", "updatedAt", "createdBy"] as const;

// ---- reading the declarations ------------------------------------------------------------------------------

interface Meta { description?: string; typeName?: string; typeDoc?: string; tsType?: string }
type Schema = z.ZodType;
const defOf = (s: Schema): any => (s as any)._zod.def;

/** A schema without its optional wrappers, whether it was optional, and the metadata nearest the field. */
function unwrap(schema: Schema): { inner: Schema; optional: boolean; meta: Meta } {
    const meta: Meta = {};
    let optional = false;
    for (let s: Schema = schema; ; s = defOf(s).innerType) {
        const m = ((s as any).meta?.() ?? {}) as Meta;
        for (const key of ["description", "typeName", "typeDoc", "tsType"] as const) if (meta[key] === undefined && m[key] !== undefined) meta[key] = m[key];
        if (defOf(s).type !== "optional") return { inner: s, optional, meta };
        optional = true;
    }
}

function docOf(schema: Schema, where: string): string {
    const doc = unwrap(schema).meta.description;
    if (!doc) throw new Error(`${where} has no documentation: add .describe("...") to its schema in provider/model/kinds.ts`);
    return doc;
}

const shapeOf = (s: Schema): Record<string, Schema> => defOf(s).shape;

/** How each top-level spec field is filled by the SDK, when it is not the program's own value. */
interface ObjectField { kind: "id" | "kindOf" | "list"; ref: ObjectArg & { kinds: readonly KindName[]; field: string }; optional: boolean; itemField?: string }

function objectArgs(decl: KindDecl): (ObjectArg & { kinds: readonly KindName[]; field: string })[] {
    const args = [];
    if (decl.parent) args.push({ ...decl.parent });
    for (const ref of decl.references) args.push({ ...ref, field: ref.path });
    return args;
}

function objectFields(decl: KindDecl): Map<string, ObjectField> {
    const fields = new Map<string, ObjectField>();
    const shape = shapeOf(decl.spec);
    for (const ref of objectArgs(decl)) {
        const list = /^(\w+)\[\]\.(\w+)$/.exec(ref.field);
        if (list) {
            fields.set(list[1], { kind: "list", ref, optional: unwrap(shape[list[1]]).optional, itemField: list[2] });
        } else if (/^\w+$/.test(ref.field)) {
            fields.set(ref.field, { kind: "id", ref, optional: unwrap(shape[ref.field]).optional });
        } else {
            throw new Error(`${decl.kind}: the SDK cannot fill ${ref.field} from an object yet`);
        }
        if (ref.kindField) fields.set(ref.kindField, { kind: "kindOf", ref, optional: false });
    }
    return fields;
}

/** The plan-time facts the SDK reads from objects, in the order they are sent. */
function facts(decl: KindDecl): [ContextField, string][] {
    const out: [ContextField, string][] = [];
    const shape = shapeOf(decl.spec);
    for (const ref of objectArgs(decl)) {
        const optional = ref.field in shape && unwrap(shape[ref.field]).optional;
        for (const [fact, output] of Object.entries(ref.facts ?? {}) as [ContextField, string][]) out.push([fact, `args.${ref.arg}${optional ? "?." : "."}${output}`]);
    }
    return out;
}

const classType = (kinds: readonly KindName[]): string =>
    kinds.length === SHAREABLE_KINDS.length && SHAREABLE_KINDS.every((k) => kinds.includes(k)) ? "ShareableResource" : kinds.join(" | ");

const isShareable = (kind: KindName) => (SHAREABLE_KINDS as readonly string[]).includes(kind);

// ---- TypeScript types from schemas ---------------------------------------------------------------------------

/** Named types met while generating, each declared once, before the first kind that uses it. */
class NamedTypes {
    private readonly declared = new Set<string>();
    pending: string[] = [];

    name(meta: Meta, inner: Schema, mode: "in" | "out"): string | undefined {
        if (!meta.typeName) return undefined;
        const type = defOf(inner).type;
        if (mode === "out" && type !== "enum") return undefined; // outputs are plain: objects are written out
        if (!this.declared.has(meta.typeName)) {
            this.declared.add(meta.typeName);
            this.pending.push(this.declaration(meta.typeName, meta.typeDoc, inner));
        }
        return meta.typeName;
    }

    private declaration(name: string, doc: string | undefined, inner: Schema): string {
        const def = defOf(inner);
        const head = doc ? jsdoc(doc, "") : "";
        if (def.type === "object") return `${head}export interface ${name} ${objectBody(inner, "in", this, "")}\n`;
        const body = def.type === "union"
            ? def.options.map((o: Schema) => `\n    | ${tsType(o, "in", this)}`).join("")
            : ` ${tsType(inner, "in", this, true)}`;
        return `${head}export type ${name} =${body};\n`;
    }
}

/** The TypeScript type of a schema: `in` for Args (every value may be an Input), `out` for plain resolved outputs. */
function tsType(schema: Schema, mode: "in" | "out", named: NamedTypes, skipName = false): string {
    const { inner, meta } = unwrap(schema);
    if (meta.tsType) return meta.tsType;
    const name = skipName ? undefined : named.name(meta, inner, mode);
    if (name) return name;
    const def = defOf(inner);
    const member = (s: Schema) => (mode === "in" ? inputOf(s, named) : paren(tsType(s, "out", named)));
    switch (def.type) {
        case "string": return "string";
        case "number": return "number";
        case "boolean": return "boolean";
        case "enum": return Object.values(def.entries as Record<string, string>).map((v) => JSON.stringify(v)).join(" | ");
        case "literal": return (def.values as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
        case "array": return `${member(def.element)}[]`;
        case "record": return `Record<string, ${mode === "in" ? inputOf(def.valueType, named) : tsType(def.valueType, "out", named)}>`;
        case "object": return objectBody(inner, mode, named, null);
        case "union": return def.options.map((o: Schema) => tsType(o, mode, named)).join(" | ");
        default: throw new Error(`no TypeScript type for a zod ${def.type}`);
    }
}

const paren = (t: string) => (t.includes(" | ") && !t.startsWith("{") ? `(${t})` : t);

/** An Input of the type; a literal (a union's tag) stays plain. */
function inputOf(schema: Schema, named: NamedTypes): string {
    const { inner } = unwrap(schema);
    const t = tsType(schema, "in", named);
    return defOf(inner).type === "literal" ? t : `In<${t}>`;
}

/** `{ a: T; b?: T }` on one line, or an interface body with JSDoc when `indent` is given. */
function objectBody(schema: Schema, mode: "in" | "out", named: NamedTypes, indent: string | null): string {
    const members = Object.entries(shapeOf(schema)).map(([key, s]) => {
        const type = mode === "in" ? inputOf(s, named) : tsType(s, "out", named);
        return { key, optional: unwrap(s).optional, type, doc: unwrap(s).meta.description };
    });
    if (indent === null) return `{ ${members.map((m) => `${m.key}${m.optional ? "?" : ""}: ${m.type}`).join("; ")} }`;
    return `{\n${members.map((m) => `${m.doc ? jsdoc(m.doc, indent + "    ") : ""}${indent}    ${m.key}${m.optional ? "?" : ""}: ${m.type};\n`).join("")}${indent}}`;
}

/** A JSDoc comment, on one line when it fits in 120 columns. */
function jsdoc(text: string, indent: string): string {
    if (indent.length + text.length + 7 <= 120) return `${indent}/** ${text} */\n`;
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
        if (line && indent.length + 3 + line.length + 1 + word.length > 116) {
            lines.push(line);
            line = word;
        } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return `${indent}/**\n${lines.map((l) => `${indent} * ${l}\n`).join("")}${indent} */\n`;
}

// ---- notes every field of a kind gets -----------------------------------------------------------------------

const REPLACES = "Can never change: a change replaces the resource.";
const SECRET = "Secret: encrypted at rest, always secret in state and outputs, never shown in errors.";
const AUTONAMED = "Default: the resource name plus a suffix decided once from the resource's URN.";

function argNotes(decl: KindDecl, field: string): string[] {
    return [
        ...(decl.immutable.includes(field) ? [REPLACES] : []),
        ...(decl.secrets.includes(field) ? [SECRET] : []),
        ...(decl.named && field === "name" ? [AUTONAMED] : []),
    ];
}

// ---- the SDK ------------------------------------------------------------------------------------------------

interface ArgMember { name: string; optional: boolean; type: string; doc: string }

function argMembers(decl: KindDecl, named: NamedTypes): { members: ArgMember[]; itemTypes: string[] } {
    const objects = objectFields(decl);
    const members: ArgMember[] = [];
    const itemTypes: string[] = [];
    for (const [field, schema] of Object.entries(shapeOf(decl.spec))) {
        const object = objects.get(field);
        const { optional } = unwrap(schema);
        if (object?.kind === "kindOf") continue;
        if (object?.kind === "id") {
            const doc = [object.ref.doc, ...argNotes(decl, field)].join(" ");
            members.push({ name: object.ref.arg, optional, type: classType(object.ref.kinds), doc });
        } else if (object?.kind === "list") {
            // A list of items, each holding an object instead of its id: `{ node: Node, weight }` for `{ nodeId, weight }`.
            const ref = object.ref;
            if (!ref.itemType) throw new Error(`${decl.kind}: ${ref.field} needs an itemType (the SDK's name of a list item)`);
            const item = defOf(unwrap(schema).inner).element as Schema;
            const lines = Object.entries(shapeOf(unwrap(item).inner)).map(([key, s]) => key === object.itemField
                ? `${jsdoc(ref.doc, "    ")}    ${ref.arg}${unwrap(s).optional ? "?" : ""}: ${classType(ref.kinds)};\n`
                : `${jsdoc(docOf(s, `${decl.kind}.${field}[].${key}`), "    ")}    ${key}${unwrap(s).optional ? "?" : ""}: ${inputOf(s, named)};\n`);
            itemTypes.push(`${jsdoc(`An item of ${decl.kind}Args.${field}.`, "")}export interface ${ref.itemType} {\n${lines.join("")}}\n`);
            members.push({ name: field, optional, type: `${ref.itemType}[]`, doc: [docOf(schema, `${decl.kind}.${field}`), ...argNotes(decl, field)].join(" ") });
        } else {
            const doc = [docOf(schema, `${decl.kind}.${field}`), ...argNotes(decl, field)].join(" ");
            members.push({ name: field, optional: optional || (decl.named && field === "name"), type: inputOf(schema, named), doc });
        }
    }
    return { members, itemTypes };
}

const memberLine = (m: ArgMember) => `${jsdoc(m.doc, "    ")}    ${m.name}${m.optional ? "?" : ""}: ${m.type};\n`;

/** The inputs a class hands PlatformResource, in the order the hand-written classes did. */
function inputsExpression(decl: KindDecl): string {
    const objects = objectFields(decl);
    if (objects.size === 0) return "{ ...args }";
    const entries: string[] = [];
    const fields = Object.keys(shapeOf(decl.spec));
    // The ids (and kind) the objects fill at the head of the spec, then the facts read from the objects, then the rest.
    let lead = 0;
    while (lead < fields.length && (objects.get(fields[lead])?.kind === "id" || objects.get(fields[lead])?.kind === "kindOf")) lead++;
    const value = (field: string): string => {
        const object = objects.get(field);
        if (!object) return `args.${field}`;
        const arg = `args.${object.ref.arg}`;
        if (object.kind === "id") return `${arg}${object.optional ? "?." : "."}id`;
        if (object.kind === "kindOf") return `kindOfResource(${arg})`;
        const item = defOf(unwrap(shapeOf(decl.spec)[field]).inner).element as Schema;
        const parts = Object.keys(shapeOf(unwrap(item).inner)).map((key) => key === object.itemField ? `${key}: item.${object.ref.arg}.id` : `${key}: item.${key}`);
        return `args.${field}${object.optional ? "?." : "."}map((item) => ({ ${parts.join(", ")} }))`;
    };
    for (const field of fields.slice(0, lead)) entries.push(`${field}: ${value(field)}`);
    for (const [fact, expr] of facts(decl)) entries.push(`${fact}: ${expr}`);
    for (const field of fields.slice(lead)) entries.push(`${field}: ${value(field)}`);
    // A reference inside a list (`nodes[].nodeId`) gets the whole list, the others the object passed.
    for (const ref of objectArgs(decl)) if (ref.moreFacts) entries.push(`...${ref.moreFacts}(args.${ref.field.includes("[]") ? ref.field.split("[]")[0] : ref.arg})`);
    return `args && {\n${entries.map((e) => `            ${e},\n`).join("")}        }`;
}

function outputLines(decl: KindDecl, named: NamedTypes): string {
    const lines: string[] = [];
    const output = (name: string, schema: Schema, doc: string, optional: boolean) => {
        lines.push(`${jsdoc(doc, "    ")}    declare readonly ${name}: pulumi.Output<${tsType(schema, "out", named)}${optional ? " | undefined" : ""}>;\n`);
    };
    for (const [field, schema] of Object.entries(shapeOf(decl.spec))) {
        if ((BASE_OUTPUTS as readonly string[]).includes(field)) continue;
        const secret = decl.secrets.includes(field) ? [SECRET] : [];
        output(field, schema, [docOf(schema, `${decl.kind}.${field}`), ...secret].join(" "), unwrap(schema).optional && !(decl.named && field === "name"));
    }
    for (const [fact] of facts(decl)) output(fact, contextSchemas[fact], docOf(contextSchemas[fact], `context ${fact}`), false);
    for (const [name, schema] of Object.entries(decl.outputs)) output(name, schema, docOf(schema, `${decl.kind} output ${name}`), unwrap(schema).optional);
    return lines.join("");
}

function classSource(decl: KindDecl, named: NamedTypes, common: ArgMember[] | undefined): string {
    const kind = decl.kind;
    const { members, itemTypes } = argMembers(decl, named);
    const own = common ? members.filter((m) => !common.some((c) => memberLine(c) === memberLine(m))) : members;
    const constructed = objectArgs(decl).filter((r) => r.constructed).map((r) => `        if (args) ${r.constructed}(args.${r.arg}, this);\n`).join("");
    const summary = isShareable(kind) ? `${decl.summary} Shareable: see \`Share\`.` : decl.summary;
    return [
        ...named.pending.splice(0),
        ...itemTypes,
        `export interface ${kind}Args${common ? " extends ProjectResourceArgs" : ""} {\n${own.map(memberLine).join("")}}\n`,
        `${jsdoc(summary, "")}export class ${kind} extends PlatformResource {\n` +
        `    declare private readonly __kind: "${kind}";\n` +
        outputLines(decl, named) +
        `\n    constructor(name: string, args: ${kind}Args, opts?: Opts) {\n` +
        `        super("${kind}", name, ${inputsExpression(decl)}, opts);\n` +
        constructed +
        `    }\n\n` +
        jsdoc(`Reads an existing ${kind} by id (nothing is created or changed), e.g. one another stack manages.`, "    ") +
        `    static get(name: string, id: In<string>, opts?: Opts): ${kind} {\n` +
        `        return new ${kind}(name, undefined as never, { ...opts, id });\n` +
        `    }\n}\n`,
    ].join("\n");
}

/** Members every project resource's Args has alike (the project, name, description, labels). */
function projectResourceArgs(): ArgMember[] {
    const scratch = new NamedTypes();
    const lists = PROJECT_RESOURCE_KINDS.map((k) => argMembers(KINDS[k], scratch).members);
    return lists[0].filter((m) => lists.every((list) => list.some((o) => memberLine(o) === memberLine(m))));
}

/** The base of every class: the outputs the platform decides for any object, documented once in the model. */
function platformOutputsSource(): string {
    const members = BASE_OUTPUTS.map((name) => `${jsdoc(PLATFORM_OUTPUT_DOCS[name], "    ")}    declare readonly ${name}: pulumi.Output<${name === "version" ? "number" : "string"}>;\n`);
    return `// ${DO_NOT_EDIT}\nimport * as pulumi from "@pulumi/pulumi";\n\n`
        + `${jsdoc("What the platform decides for every object; PlatformResource (base.ts) builds on it.", "")}`
        + `export abstract class PlatformOutputs extends pulumi.CustomResource {\n${members.join("")}}\n`;
}

function sdkSource(): string {
    const named = new NamedTypes();
    const common = projectResourceArgs();
    const helpers = [...new Set(KIND_NAMES.flatMap((k) => objectArgs(KINDS[k]).flatMap((r) => [r.moreFacts, r.constructed, r.kindField && "kindOfResource"])).filter((h): h is string => !!h))].sort();
    const parts = [
        `// ${DO_NOT_EDIT}\n// One class per kind: typed Args (every value may be an Input), plain outputs, JSDoc from the fields' docs.\n` +
        `import * as pulumi from "@pulumi/pulumi";\n` +
        `import { PlatformResource, PlatformResourceOptions } from "./base";\n` +
        `import { ${helpers.join(", ")} } from "./facts";\n\n` +
        `type In<T> = pulumi.Input<T>;\ntype Opts = PlatformResourceOptions;\n`,
        `${jsdoc("The kinds the platform can publish into a community.", "")}export type ShareableResource = ${SHAREABLE_KINDS.join(" | ")};\n`,
    ];
    let commonDeclared = false;
    for (const kind of KIND_NAMES) {
        const isProjectResource = PROJECT_RESOURCE_KINDS.includes(kind);
        if (isProjectResource && !commonDeclared) {
            parts.push(`${jsdoc("Arguments every project resource takes.", "")}export interface ProjectResourceArgs {\n${common.map(memberLine).join("")}}\n`);
            commonDeclared = true;
        }
        parts.push(classSource(KINDS[kind], named, isProjectResource ? common : undefined));
    }
    return parts.join("\n");
}

// ---- provider modules ---------------------------------------------------------------------------------------

function providerModule(kind: KindName): string {
    return `// The provider object of one kind, as its module's exports (why: provider.ts).\n// ${DO_NOT_EDIT}\n` +
        `import { KindProvider } from "../provider";\n\nexport = new KindProvider("${kind}");\n`;
}

// ---- documentation ------------------------------------------------------------------------------------------

const cell = (s: string) => s.replace(/\|/g, "\\|");
const code = (s: string) => `\`${cell(s)}\``;
const kindLink = (kind: string, prefix: string) => `[${kind}](${prefix}${kind}.md)`;

/** The parent's kinds, linked; in the README's table the shareable kinds are "a shareable resource". */
function parentText(decl: KindDecl, prefix: string, table = false): string {
    if (!decl.parent) return table ? "—" : "none";
    return table && classType(decl.parent.kinds) === "ShareableResource" ? "a shareable resource" : kindsText(decl.parent.kinds, prefix);
}

/** What can never change, in the program's words: `project` for projectId. */
function replacedBy(decl: KindDecl): string[] {
    const objects = objectFields(decl);
    return [...new Set(decl.immutable.map((field) => {
        const object = objects.get(field);
        return object ? object.ref.arg : code(field);
    }))];
}

/** `[Project](Project.md)`, or for several kinds `one of [Dataset](Dataset.md), …`. */
const kindsText = (kinds: readonly string[], prefix: string) =>
    kinds.length === 1 ? kindLink(kinds[0], prefix) : `one of ${kinds.map((k) => kindLink(k, prefix)).join(", ")}`;

const firstSentence = (s: string) => /^.*?\.(?=\s|$)/.exec(s)?.[0] ?? s;

function modelTable(): string {
    const rows = KIND_NAMES.map((kind) => {
        const d = KINDS[kind];
        const notes = [firstSentence(d.summary), ...(d.versioned ? ["Every change makes a new numbered version."] : []), ...(isShareable(kind) ? ["Shareable."] : [])].join(" ");
        const secrets = d.secrets.length ? d.secrets.map(code).join(", ") : "—";
        return `| ${kindLink(kind, "docs/reference/")} | ${parentText(d, "docs/reference/", true)} | ${replacedBy(d).join(", ") || "—"} | ${secrets} | ${cell(notes)} |`;
    });
    return [README_START, "| kind | parent | can never change (replacement) | secret fields | notes |", "|---|---|---|---|---|", ...rows, README_END].join("\n");
}

/** Every provider setting: its stack config key, its environment variable and what it does (with its default). */
function settingsTable(): string {
    const rows = Object.entries(SETTINGS).map(([key, setting]) =>
        `| \`mlplatform:${key}\` | \`${setting.env}\` | ${"secret" in setting ? "yes" : "—"} | ${cell(setting.doc)} |`);
    return [SETTINGS_START, "| stack config | environment | secret | meaning |", "|---|---|---|---|", ...rows, SETTINGS_END].join("\n");
}

/** README with each generated table replaced between its markers. */
function readmeWithTables(readme: string): string {
    const tables = [
        { start: README_START, end: README_END, what: "the model table", make: modelTable },
        { start: SETTINGS_START, end: SETTINGS_END, what: "the provider settings", make: settingsTable },
    ];
    return tables.reduce((text, { start, end, what, make }) => {
        const from = text.indexOf(start);
        const to = text.indexOf(end);
        if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} markers around ${what}`);
        return text.slice(0, from) + make() + text.slice(to + end.length);
    }, readme);
}

function referencePage(decl: KindDecl): string {
    const kind = decl.kind;
    const named = new NamedTypes();
    const objects = objectFields(decl);
    const shape = shapeOf(decl.spec);
    const out: string[] = [`<!-- ${DO_NOT_EDIT} -->`, `# ${kind}`, "", decl.summary, ""];
    out.push(`- **Parent:** ${parentText(decl, "")}${decl.parent ? `, passed as \`${decl.parent.arg}\` (sets \`${decl.parent.field}\`)` : ""}`);
    out.push(`- **Shareable:** ${isShareable(kind) ? "yes: publish it into a community with [Share](Share.md)" : "no"}`);
    out.push(`- **Name:** ${decl.named ? "`name`, unique under the parent; defaults to the resource name plus a suffix decided once from the resource's URN" : "none; unique under its parent by what identifies it"}`);
    out.push(`- **Ids** start with \`${decl.idPrefix}\`.${decl.versioned ? " Every change makes a new numbered version; earlier versions stay listed." : ""}`);
    out.push("", "## Arguments", "", "| argument | type | required | replaces on change | secret | description |", "|---|---|---|---|---|---|");
    for (const [field, schema] of Object.entries(shape)) {
        const object = objects.get(field);
        if (object?.kind === "kindOf") continue;
        const { optional } = unwrap(schema);
        const replaces = decl.immutable.includes(field) || (object?.ref.kindField !== undefined && decl.immutable.includes(object.ref.kindField)) ? "yes" : "—";
        const secret = decl.secrets.includes(field) ? "yes" : "—";
        const required = optional || (decl.named && field === "name") ? "optional" : "required";
        if (object?.kind === "id") {
            const fills = [field, object.ref.kindField].filter(Boolean).map((f) => `\`${f}\``).join(" and ");
            out.push(`| \`${object.ref.arg}\` | ${kindsText(object.ref.kinds, "")} | ${required} | ${replaces} | ${secret} | ${cell(object.ref.doc)} Sets ${fills}. |`);
        } else if (object?.kind === "list") {
            const item = defOf(unwrap(schema).inner).element as Schema;
            const members = Object.entries(shapeOf(unwrap(item).inner)).map(([key, s]) => key === object.itemField
                ? `\`${object.ref.arg}\`: ${kindLink(object.ref.kinds[0], "")} (sets \`${key}\`)` : `\`${key}\`: ${code(tsType(s, "out", named))}`);
            out.push(`| \`${field}\` | list of { ${members.join(", ")} } | ${required} | ${replaces} | ${secret} | ${cell(docOf(schema, field))} |`);
        } else {
            out.push(`| \`${field}\` | ${typeCell(schema, named)} | ${required} | ${replaces} | ${secret} | ${cell(docOf(schema, field))} |`);
        }
    }
    for (const type of namedObjectTypes(shape)) {
        out.push("", `### ${type.name}`, "", type.doc);
        // A union is one table per form, each headed by its tag (`service: "slack"`).
        for (const form of type.shapes) {
            const tag = type.tag === undefined ? undefined : defOf(unwrap(form[type.tag]).inner).values[0];
            if (tag !== undefined) out.push("", `With \`${type.tag}: ${JSON.stringify(tag)}\`:`);
            out.push("", "| field | type | required | description |", "|---|---|---|---|");
            for (const [key, s] of Object.entries(form)) {
                out.push(`| \`${key}\` | ${typeCell(s, named)} | ${unwrap(s).optional ? "optional" : "required"} | ${cell(unwrap(s).meta.description ?? "")} |`);
            }
        }
    }
    out.push("", "## Outputs", "", "Every argument is also an output, secret fields stay secret; an object passed as an argument is an output of its id (`" +
        (objectArgs(decl).map((r) => r.field.replace(/\[\]\./, "[].")).join("`, `") || "—") + "`). An optional field the program left unset reads as undefined.", "");
    const factList = facts(decl);
    if (factList.length) {
        out.push("Plan-time facts, read from the objects passed and sent as inputs so that rules decide in `pulumi preview`:", "", "| output | type | from | description |", "|---|---|---|---|");
        for (const [fact, expr] of factList) out.push(`| \`${fact}\` | ${typeCell(contextSchemas[fact], named)} | \`${expr}\` | ${cell(docOf(contextSchemas[fact], fact))} |`);
        out.push("");
    }
    const more = objectArgs(decl).filter((r) => r.moreFacts).map((r) => r.moreFacts);
    const sdkFacts = decl.context.filter((c) => !factList.some(([f]) => f === c));
    if (sdkFacts.length) out.push(`The SDK also sends ${sdkFacts.map((c) => `\`${c}\``).join(", ")} (decided by \`${more.join(", ")}\` in sdk/facts.ts).`, "");
    out.push("Decided by the platform (in the `platform` output; read on first use):", "", "| output | type | description |", "|---|---|---|");
    for (const [name, doc] of Object.entries(PLATFORM_OUTPUT_DOCS)) out.push(`| \`${name}\` | ${code(name === "version" ? "number" : "string")} | ${cell(doc)} |`);
    for (const [name, schema] of Object.entries(decl.outputs)) out.push(`| \`${name}\` | ${typeCell(schema, named)} | ${cell(docOf(schema, name))} |`);
    return out.join("\n") + "\n";
}

function typeCell(schema: Schema, named: NamedTypes): string {
    const { meta, inner } = unwrap(schema);
    if (meta.typeName && defOf(inner).type !== "enum") return `[${meta.typeName}](#${meta.typeName.toLowerCase()})`;
    return code(tsType(schema, "out", named));
}

/** Named object types and unions of objects met in a kind's fields: an object has one form, a union one per branch. */
function namedObjectTypes(shape: Record<string, Schema>): { name: string; doc: string; shapes: Record<string, Schema>[]; tag?: string }[] {
    const found = new Map<string, { name: string; doc: string; shapes: Record<string, Schema>[]; tag?: string }>();
    const visit = (s: Schema) => {
        const { inner, meta } = unwrap(s);
        const def = defOf(inner);
        if (meta.typeName && def.type === "object" && !found.has(meta.typeName)) found.set(meta.typeName, { name: meta.typeName, doc: meta.typeDoc ?? "", shapes: [def.shape] });
        if (meta.typeName && def.type === "union" && def.discriminator && !found.has(meta.typeName)) {
            found.set(meta.typeName, { name: meta.typeName, doc: meta.typeDoc ?? "", shapes: def.options.map((o: Schema) => shapeOf(unwrap(o).inner)), tag: def.discriminator });
        }
        if (def.type === "object") Object.values(def.shape as Record<string, Schema>).forEach(visit);
        if (def.type === "union") def.options.forEach(visit);
        if (def.type === "array") visit(def.element);
    };
    Object.values(shape).forEach(visit);
    return [...found.values()];
}

// ---- everything ---------------------------------------------------------------------------------------------

/** Every generated file, by its path from the repository's root; `readme` is README.md as it is now. */
export function generatedFiles(readme: string): Map<string, string> {
    for (const kind of KIND_NAMES) {
        const decl = KINDS[kind];
        const sent = new Set<string>(facts(decl).map(([f]) => f));
        const more = objectArgs(decl).some((r) => r.moreFacts);
        const missing = decl.context.filter((c) => !sent.has(c));
        if (missing.length && !more) throw new Error(`${kind}: no object passes the plan-time facts ${missing.join(", ")}`);
    }
    const files = new Map<string, string>();
    files.set("sdk/generated.ts", sdkSource());
    files.set("sdk/platform-outputs.ts", platformOutputsSource());
    for (const kind of KIND_NAMES) files.set(`provider/dynamic/providers/${kind}.ts`, providerModule(kind));
    for (const kind of KIND_NAMES) files.set(`docs/reference/${kind}.md`, referencePage(KINDS[kind]));
    files.set("README.md", readmeWithTables(readme));
    return files;
}

/** The repository's root, from tools/ (run by vitest) or dist/tools/ (compiled). */
export function repositoryRoot(): string {
    const up = path.resolve(__dirname, "..");
    return path.basename(up) === "dist" ? path.resolve(up, "..") : up;
}

function main(): void {
    const root = repositoryRoot();
    const files = generatedFiles(fs.readFileSync(path.join(root, "README.md"), "utf8"));
    for (const folder of GENERATED_FOLDERS) {
        for (const name of fs.existsSync(path.join(root, folder)) ? fs.readdirSync(path.join(root, folder)) : []) {
            const file = `${folder}/${name}`;
            if (!files.has(file)) {
                fs.rmSync(path.join(root, file));
                console.log(`removed ${file}`);
            }
        }
    }
    for (const [file, text] of files) {
        const target = path.join(root, file);
        if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === text) continue;
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
        console.log(`wrote ${file}`);
    }
}

if (require.main === module) main();
