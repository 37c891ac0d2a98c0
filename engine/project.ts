// The Pulumi project on disk: Pulumi.yaml, Pulumi.<stack>.yaml and the program's entry point.

import * as fs from "fs";
import * as path from "path";
import { configDecrypter, type PassphraseCrypter } from "./config-secrets";

export interface Project {
    name: string;
    /** The directory holding Pulumi.yaml (absolute). */
    dir: string;
    /**
     * The working directory of the program and of the provider host: the folder of `main` (`main` itself when it is
     * a directory), else the project directory (pkg/engine/project.go getPwdMain). A relative path a program or a
     * provider opens (a data folder, a key file) is relative to it.
     */
    mainDir: string;
    /** The entry point handed to @pulumi/pulumi/cmd/run: a file, or a directory with its own package.json. */
    program: string;
    /**
     * Whether cmd/run registers ts-node (PULUMI_NODEJS_TYPESCRIPT): `runtime.options.typescript`, true unless it says
     * false, as the nodejs language host decides (sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions).
     */
    typescript: boolean;
    /** `runtime.options.tsconfig`: the tsconfig ts-node uses instead of tsconfig.json (PULUMI_NODEJS_TSCONFIG_PATH). */
    tsconfig?: string;
    /** Pulumi.yaml's `runtime.options` as written: the CLI passes each to plugins as PULUMI_RUNTIME_<OPTION>. */
    runtimeOptions: Readonly<Record<string, unknown>>;
    /** Options for the program's node process, from `runtime.options.nodeargs` (as the nodejs language host reads it). */
    nodeArgs: string[];
    /** Project-level config defaults from Pulumi.yaml, namespaced. */
    configDefaults: Record<string, string>;
    /**
     * The keys Pulumi.yaml declares `secret: true`, namespaced: the CLI requires their values to be encrypted
     * (pkg/workspace/config.go validateStackConfigValue), so it never prints them; neither does `--json`.
     */
    secretConfigKeys: string[];
}

class ProjectError extends Error {}

interface YamlModule {
    load(text: string): unknown;
    dump(value: unknown, options?: { lineWidth?: number }): string;
}

let yaml: YamlModule | undefined;

/**
 * js-yaml is a dependency of @pulumi/pulumi itself, so it is there whenever the SDK is; resolve it through the SDK
 * rather than relying on npm hoisting it next to us.
 */
function yamlModule(): YamlModule {
    if (!yaml) {
        const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        yaml = require(require.resolve("js-yaml", { paths: [sdkDir] })) as YamlModule;
    }
    return yaml;
}

function readYaml(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ProjectError(`cannot read ${file}: ${(e as Error).message}`);
    }
    return parseYaml(text, file);
}

/** A YAML document that must be a mapping (or empty), `file` naming it in errors. */
export function parseYaml(text: string, file: string): Record<string, unknown> {
    let doc: unknown;
    try {
        doc = yamlModule().load(text);
    } catch (e) {
        throw new ProjectError(`cannot read ${file}: ${(e as Error).message}`);
    }
    if (doc === null || doc === undefined) {
        return {};
    }
    if (typeof doc !== "object" || Array.isArray(doc)) {
        throw new ProjectError(`${file} must be a YAML mapping`);
    }
    return doc as Record<string, unknown>;
}

/** YAML text in block style, lines never folded (a ciphertext stays on its line). */
export function dumpYaml(value: unknown): string {
    return yamlModule().dump(value, { lineWidth: -1 });
}

/** What a project's Pulumi.yaml says without its program: enough to read and write its stacks' config. */
export type ProjectSettings = Pick<Project, "name" | "dir" | "configDefaults" | "secretConfigKeys">;

interface ProjectFile extends ProjectSettings {
    file: string;
    doc: Record<string, unknown>;
    options: Record<string, unknown> | undefined;
}

function readProjectFile(programDir: string): ProjectFile {
    const dir = path.resolve(programDir);
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!file) {
        throw new ProjectError(`no Pulumi.yaml in ${dir}`);
    }
    const doc = readYaml(file);
    const name = doc.name;
    if (typeof name !== "string" || name === "") {
        throw new ProjectError(`${file}: 'name' is required`);
    }
    const runtime = doc.runtime;
    const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    if (runtimeName !== "nodejs") {
        throw new ProjectError(`${file}: runtime '${String(runtimeName)}' is not supported; this engine runs nodejs programs`);
    }
    const options = typeof runtime === "object" && runtime !== null ? (runtime as { options?: Record<string, unknown> }).options : undefined;
    return {
        file, doc, options, name, dir,
        configDefaults: projectConfigDefaults(name, doc.config, file),
        secretConfigKeys: declaredSecretKeys(name, doc.config),
    };
}

/**
 * The project's settings without looking for its program: `config set` works before the program is written, as
 * `pulumi config set` does.
 */
export function loadProjectSettings(programDir: string): ProjectSettings {
    const { name, dir, configDefaults, secretConfigKeys } = readProjectFile(programDir);
    return { name, dir, configDefaults, secretConfigKeys };
}

export function loadProject(programDir: string): Project {
    const { file, doc, options, name, dir, configDefaults, secretConfigKeys } = readProjectFile(programDir);
    const { mainDir, program } = resolveEntryPoint(dir, typeof doc.main === "string" ? doc.main : undefined);
    const nodeArgs = nodeArgsOf(options?.nodeargs, file);
    return {
        name,
        dir,
        mainDir,
        program,
        typescript: typescriptOption(options?.typescript, file),
        ...(options?.tsconfig !== undefined ? { tsconfig: tsconfigOption(options.tsconfig, file) } : {}),
        nodeArgs,
        runtimeOptions: typeof options === "object" && options !== null ? options : {},
        configDefaults,
        secretConfigKeys,
    };
}

/**
 * `runtime.options.typescript`. The nodejs language host defaults it to true whatever the entry point is (main.go
 * parseOptions: "typescript defaults to true"), so a folder with package.json and index.ts and no `main` runs: ts-node
 * is registered, and cmd/run's require of the folder finds index.ts. A JavaScript program runs the same under it.
 */
function typescriptOption(value: unknown, file: string): boolean {
    if (value === undefined || value === null) return true;
    if (typeof value !== "boolean") {
        throw new ProjectError(`${file}: runtime.options.typescript must be true or false, got ${JSON.stringify(value)}. Write typescript: false to run the program without ts-node.`);
    }
    return value;
}

/** `runtime.options.tsconfig`: a path, relative to the program's folder, as the language host passes it on. */
function tsconfigOption(value: unknown, file: string): string {
    if (typeof value !== "string" || value === "") {
        throw new ProjectError(`${file}: runtime.options.tsconfig must be the path of a tsconfig file, got ${JSON.stringify(value)}. Write it like tsconfig: tsconfig.pulumi.json.`);
    }
    return value;
}

/** `runtime.options.nodeargs`: one string of node options, split on whitespace, as the nodejs language host does. */
function nodeArgsOf(value: unknown, file: string): string[] {
    if (value === undefined || value === null) return [];
    if (typeof value !== "string") {
        throw new ProjectError(`${file}: runtime.options.nodeargs must be one string of node options, got ${JSON.stringify(value)}. Write it like nodeargs: "--max-old-space-size=4096".`);
    }
    return value.split(/\s+/).filter(Boolean);
}

/**
 * The nodejs language host hands cmd/run "." and lets it look for package.json's main, searching UP the tree. A
 * project nested in another package (like the fixtures in this repository) would then run the outer package's main,
 * so the entry point is resolved here instead: `main` when it names a file; otherwise, in the main directory, its
 * own package.json, then index.js, then index.ts (index.js wins over index.ts, as in Pulumi).
 */
function resolveEntryPoint(dir: string, main: string | undefined): { mainDir: string; program: string } {
    const target = main ? path.resolve(dir, main) : dir;
    if (!fs.existsSync(target)) {
        throw new ProjectError(`the program's main '${main}' does not exist in ${dir}`);
    }
    if (fs.statSync(target).isFile()) {
        // The Pulumi CLI runs the program, and starts its plugins, in the folder of `main`.
        return { mainDir: path.dirname(target), program: target };
    }
    if (fs.existsSync(path.join(target, "package.json"))) {
        return { mainDir: target, program: target };
    }
    for (const index of ["index.js", "index.ts"]) {
        if (fs.existsSync(path.join(target, index))) {
            return { mainDir: target, program: path.join(target, index) };
        }
    }
    throw new ProjectError(`no program in ${target}: expected index.js or index.ts (or 'main' in Pulumi.yaml)`);
}

/** Namespaces a config key the way Pulumi does: a key without ':' belongs to the project. */
/**
 * A config key as the program sees it, `<namespace>:<name>`: a name alone is the project's, and `<ns>:config:<name>`,
 * an older form a stack file may still hold, is `<ns>:<name>` (config.ParseKey in sdk/go/common/resource/config).
 */
export function namespacedKey(project: string, key: string): string {
    const parts = key.split(":");
    if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
    return key.includes(":") ? key : `${project}:${key}`;
}

/** A `{ secure: "v1:..." }` mapping: a value the stack's secrets provider encrypted (config/value.go). */
export function isSecure(value: unknown): value is { secure: string } {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

/** One config value as the program gets it, as `--json` shows it, and the secure plaintexts in it. */
interface ConfigEntry {
    text: string;
    shown: string;
    secrets: string[];
}

/**
 * Config values reach programs as strings; structured values as JSON text (as in Pulumi's PULUMI_CONFIG). A secure
 * value is decrypted, whole or as a part of a structured value (config/object.go: Value decrypts every secure leaf,
 * SecureValues lists them); where it is shown, it is "[secret]" (the CLI's blinding decrypter).
 */
export function configEntry(value: unknown, key: string, file: string, decrypter: (() => PassphraseCrypter) | undefined): ConfigEntry {
    const secrets: string[] = [];
    const decrypt = (secure: string): string => {
        if (!decrypter) {
            throw new ProjectError(`${file}: '${key}' is an encrypted (secure) value; only a stack's config file (Pulumi.<stack>.yaml) can hold one.`);
        }
        const plaintext = decrypter().decrypt(secure, key, file);
        secrets.push(plaintext);
        return plaintext;
    };
    if (isSecure(value)) {
        return { text: decrypt(value.secure), shown: SECRET_SHOWN, secrets };
    }
    if (typeof value === "string") {
        return { text: value, shown: value, secrets };
    }
    if (typeof value !== "object" || value === null) {
        return { text: String(value), shown: String(value), secrets };
    }
    const walk = (v: unknown, reveal: boolean): unknown =>
        isSecure(v) ? (reveal ? decrypt(v.secure) : SECRET_SHOWN)
        : Array.isArray(v) ? v.map((e) => walk(e, reveal))
        : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, walk(e, reveal)]))
        : v;
    return { text: JSON.stringify(walk(value, true)), shown: JSON.stringify(walk(value, false)), secrets };
}

/** What the CLI shows for a secret config value (config.BlindingCrypter). */
const SECRET_SHOWN = "[secret]";

/** The keys whose declaration (`key: { type, secret: true }`) says their value is secret. */
function declaredSecretKeys(project: string, config: unknown): string[] {
    if (typeof config !== "object" || config === null) {
        return [];
    }
    return Object.entries(config as Record<string, unknown>)
        .filter(([, spec]) => typeof spec === "object" && spec !== null && (spec as { secret?: unknown }).secret === true)
        .map(([key]) => namespacedKey(project, key));
}

function projectConfigDefaults(project: string, config: unknown, file: string): Record<string, string> {
    const result: Record<string, string> = {};
    if (typeof config !== "object" || config === null) {
        return result;
    }
    for (const [key, spec] of Object.entries(config as Record<string, unknown>)) {
        // Either `key: value` or `key: { type, description, default, secret }`.
        const isSpec = typeof spec === "object" && spec !== null && !Array.isArray(spec) &&
            Object.keys(spec).every((k) => ["type", "description", "default", "secret", "items"].includes(k));
        const value = isSpec ? (spec as { default?: unknown }).default : spec;
        if (value !== undefined) {
            result[namespacedKey(project, key)] = configEntry(value, key, file, undefined).text;
        }
    }
    return result;
}

/** The stack's config file, Pulumi.<stack>.yaml (or .yml), when there is one. */
export function existingStackFile(projectDir: string, stack: string): string | undefined {
    return ["yaml", "yml"].map((e) => path.join(projectDir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
}

/** The stack's configuration, namespaced keys (`<project>:<key>`). */
export interface StackConfig {
    /** Every value, decrypted: what the program (PULUMI_CONFIG) and the provider get. */
    values: Record<string, string>;
    /**
     * The keys whose value is secret: a secure value (or one with secure parts) and a key Pulumi.yaml declares secret.
     * The program gets them as PULUMI_CONFIG_SECRET_KEYS, the provider's Configure as secrets (target.go
     * GetPackageConfig: WithSecret(c.Secure())).
     */
    secretKeys: string[];
    /** The config as `--json` shows it: secret values, and secure parts of structured ones, as "[secret]". */
    shown: Record<string, string>;
    /** The secure plaintexts: whatever the engine prints has them replaced by "[secret]" (events.go makeEventEmitter). */
    secrets: string[];
}

/**
 * The stack's configuration: project defaults, then Pulumi.<stack>.yaml's `config:` (secure values decrypted with the
 * passphrase, config-secrets.ts), then `--config key=value` arguments (plain, as `pulumi config set` without
 * `--secret`), later ones winning.
 */
export function loadStackConfig(project: Project, stack: string, overrides: readonly string[], env: NodeJS.ProcessEnv = process.env): StackConfig {
    const entries: Record<string, ConfigEntry> = {};
    for (const [key, text] of Object.entries(project.configDefaults)) entries[key] = { text, shown: text, secrets: [] };
    const stackFile = existingStackFile(project.dir, stack);
    if (stackFile) {
        const doc = readYaml(stackFile);
        const decrypter = configDecrypter(doc, stackFile, env);
        if (typeof doc.config === "object" && doc.config !== null) {
            for (const [key, value] of Object.entries(doc.config as Record<string, unknown>)) {
                entries[namespacedKey(project.name, key)] = configEntry(value, key, stackFile, decrypter);
            }
        }
    }
    for (const arg of overrides) {
        const eq = arg.indexOf("=");
        if (eq <= 0) {
            throw new ProjectError(`--config expects key=value, got '${arg}'`);
        }
        const text = arg.slice(eq + 1);
        entries[namespacedKey(project.name, arg.slice(0, eq))] = { text, shown: text, secrets: [] };
    }
    const declared = new Set(project.secretConfigKeys);
    const secretKeys = Object.keys(entries).filter((k) => entries[k].secrets.length > 0 || declared.has(k));
    return {
        values: Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, e.text])),
        secretKeys,
        shown: Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, declared.has(k) ? SECRET_SHOWN : e.shown])),
        secrets: [...new Set(Object.entries(entries).flatMap(([k, e]) => (declared.has(k) ? [e.text] : e.secrets)))],
    };
}
