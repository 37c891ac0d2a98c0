// `mlplatform-engine config set|get|rm`: the stack's config file, Pulumi.<stack>.yaml, read and written as
// `pulumi config` does (github.com/pulumi/pulumi at 1b5949891b, pkg/cmd/pulumi/config/config.go), so that a secure
// value can be made where the CLI cannot be installed:
//   - a key is `<namespace>:<name>`, `<namespace>:config:<name>` (an older form), or a name alone, meaning the
//     project's namespace (io.go parseConfigKey, sdk/go/common/resource/config/key.go ParseKey);
//   - `set --secret` encrypts with the stack file's passphrase salt, and makes the salt when the file has none
//     (config-secrets.ts); the value is written `<key>: {secure: v1:...}`;
//   - `get` prints the value, a secure one decrypted, else Pulumi.yaml's default (config.go getConfig);
//   - `rm` of a key that is not set changes nothing (config.Map Remove).
// An edit keeps the file's other keys, their order and its comments, and adds a new key at the end of `config:`, as
// the CLI's comment-preserving save does (sdk/go/common/util/yamlutil/edit.go). It is made on the file's lines, then
// the result is parsed and compared with what the file must now hold; a file written in a form the line edit does not
// handle (`config: {...}` in flow style, anchors) is written out whole instead, and its comments are lost.

import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { configDecrypter, configEncrypter } from "./config-secrets";
import { writeFileAtomic } from "./files";
import { configEntry, dumpYaml, existingStackFile, isSecure, namespacedKey, parseYaml, type ProjectSettings } from "./project";

export class StackConfigError extends Error {}

/** A config key as given on the command line; without a namespace, it is the project's. */
export interface ConfigKey {
    namespace?: string;
    name: string;
}

/** A key as the CLI reads it (io.go parseConfigKey, key.go ParseKey), or a StackConfigError naming it and the fix. */
export function parseConfigKey(text: string): ConfigKey {
    const parts = text.split(":");
    if (parts.every((part) => part !== "")) {
        if (parts.length === 1) return { name: text };
        if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
        if (parts.length === 3 && parts[1] === "config") return { namespace: parts[0], name: parts[2] };
    }
    throw new StackConfigError(
        `invalid configuration key ${JSON.stringify(text)}: write it as <namespace>:<name> (e.g. mlplatform:token), or as <name> alone for the project's own namespace`,
    );
}

/** `<namespace>:<name>`, as the stack file and the program see the key. */
function fullKey(key: ConfigKey, project: string): string {
    return `${key.namespace ?? project}:${key.name}`;
}


/** The stack file as it is now: its text ("" when there is none yet) and its content. */
interface StackFile {
    file: string;
    exists: boolean;
    text: string;
    doc: Record<string, unknown>;
    config: Record<string, unknown>;
}

function readStackFile(project: ProjectSettings, stack: string): StackFile {
    const existing = existingStackFile(project.dir, stack);
    const file = existing ?? path.join(project.dir, `Pulumi.${stack}.yaml`);
    const text = existing ? fs.readFileSync(file, "utf8") : "";
    const doc = parseYaml(text, file);
    const config = doc.config ?? {};
    if (typeof config !== "object" || Array.isArray(config)) {
        throw new StackConfigError(`${file}: 'config' must be a mapping of keys to values, got ${Array.isArray(config) ? "a list" : JSON.stringify(config)}. Write it as config: followed by indented <namespace>:<name>: <value> lines.`);
    }
    return { file, exists: existing !== undefined, text, doc, config: config as Record<string, unknown> };
}

/** Whether any value, or part of a structured one, is a secure value. */
function holdsSecureValue(value: unknown): boolean {
    if (isSecure(value)) return true;
    if (typeof value !== "object" || value === null) return false;
    return Object.values(value).some(holdsSecureValue);
}

/** What `config set` did to the file. */
export interface SetResult {
    file: string;
    /** The file was written out whole (see the head of this file): its comments are gone. */
    rewritten: boolean;
}

/**
 * `config set <key> <value> [--secret]`. Everything that can fail (a wrong passphrase, a cloud secrets provider)
 * fails before the file is written.
 */
export function setConfig(project: ProjectSettings, stack: string, key: ConfigKey, value: string, secret: boolean, env: NodeJS.ProcessEnv): SetResult {
    const target = fullKey(key, project.name);
    const stackFile = readStackFile(project, stack);
    let stored: unknown = value;
    let createdSalt: string | undefined;
    if (secret) {
        const encrypter = configEncrypter(stackFile.doc, stackFile.file, env, {
            purpose: `${stackFile.file}: '${target}' is to be encrypted`,
            hasSecureValues: holdsSecureValue(stackFile.config),
        });
        stored = { secure: encrypter.crypter.encrypt(value) };
        createdSalt = encrypter.createdSalt;
    } else if (project.secretConfigKeys.includes(target)) {
        // The CLI would save it, then refuse every run: "must be encrypted as it's secret" (workspace/config.go).
        throw new StackConfigError(`'${target}' is declared secret in Pulumi.yaml (secret: true), so its value must be encrypted: set it with --secret.`);
    }
    return writeEdit(project, stackFile, { set: { key: target, value: stored }, createdSalt });
}

/** `config rm <key>`: whether the key was in the stack file (it is not written when it was not). */
export function removeConfig(project: ProjectSettings, stack: string, key: ConfigKey): { file: string; removed: boolean; rewritten: boolean } {
    const target = fullKey(key, project.name);
    const stackFile = readStackFile(project, stack);
    if (!Object.keys(stackFile.config).some((k) => namespacedKey(project.name, k) === target)) {
        return { file: stackFile.file, removed: false, rewritten: false };
    }
    return { ...writeEdit(project, stackFile, { remove: target }), removed: true };
}

/**
 * `config get <key>`: the stack file's value, else Pulumi.yaml's default, as the program gets it (a structured value
 * as JSON). A secure value is decrypted, as `pulumi config get` prints it; only then is the passphrase needed.
 */
export function getConfig(project: ProjectSettings, stack: string, key: ConfigKey, env: NodeJS.ProcessEnv): string {
    const target = fullKey(key, project.name);
    const stackFile = readStackFile(project, stack);
    const written = Object.keys(stackFile.config).find((k) => namespacedKey(project.name, k) === target);
    if (written !== undefined) {
        return configEntry(stackFile.config[written], written, stackFile.file, configDecrypter(stackFile.doc, stackFile.file, env)).text;
    }
    if (target in project.configDefaults) return project.configDefaults[target];
    const shown = key.namespace === undefined || key.namespace === project.name ? key.name : target;
    throw new StackConfigError(`configuration key '${shown}' not found for stack '${stack}'`);
}

interface Edit {
    set?: { key: string; value: unknown };
    remove?: string;
    /** A new `encryptionsalt`, for a file that had none. */
    createdSalt?: string;
}

function writeEdit(project: ProjectSettings, stackFile: StackFile, edit: Edit): SetResult {
    const expected = editedDocument(project.name, stackFile, edit);
    let text = editLines(project.name, stackFile.text, edit);
    const rewritten = text === undefined || !isDeepStrictEqual(parseOrUndefined(text, stackFile.file), expected);
    if (rewritten) text = dumpYaml(expected);
    // A stack file is shared through version control as the CLI writes it (0644); an existing one keeps its mode.
    const mode = stackFile.exists ? fs.statSync(stackFile.file).mode & 0o777 : 0o644;
    writeFileAtomic(stackFile.file, text as string, mode);
    return { file: stackFile.file, rewritten: rewritten && stackFile.text.trim() !== "" };
}

function parseOrUndefined(text: string, file: string): Record<string, unknown> | undefined {
    try {
        return parseYaml(text, file);
    } catch {
        return undefined;
    }
}

/** The content the file must have after the edit: what the line edit is checked against, and what a rewrite writes. */
function editedDocument(project: string, stackFile: StackFile, edit: Edit): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(stackFile.config)) {
        const full = namespacedKey(project, k);
        if (full !== edit.set?.key && full !== edit.remove) config[k] = v;
    }
    if (edit.set) config[edit.set.key] = edit.set.value;
    const { encryptionsalt, config: _old, ...rest } = stackFile.doc;
    return {
        // As the CLI orders a new file's keys (workspace.ProjectStack): the salt before the config.
        ...(edit.createdSalt !== undefined ? { encryptionsalt: edit.createdSalt } : encryptionsalt !== undefined ? { encryptionsalt } : {}),
        ...rest,
        ...(Object.keys(config).length > 0 ? { config } : {}),
    };
}

// ---- The edit on the file's lines ----

const CONFIG_HEADER = /^config[ \t]*:[ \t]*(#.*)?$/;
const SALT_LINE = /^encryptionsalt[ \t]*:/;

/** One key of the `config:` block: its line, the comment lines just above it, and where its value ends. */
interface BlockEntry {
    key: string;
    leadingComments: number;
    start: number;
    end: number;
}

interface ConfigBlock {
    header: number;
    /** After the block's last indented line; comments at column 0 after it belong to what follows. */
    end: number;
    indent: number;
    entries: BlockEntry[];
}

const leadingSpaces = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => line.trim() === "";
const isComment = (line: string) => line.trimStart().startsWith("#");

/**
 * The file's text after the edit, made on its lines, or undefined when they are in a form this does not edit (the
 * caller then writes the document whole). The caller checks the result by parsing it.
 */
function editLines(project: string, text: string, edit: Edit): string | undefined {
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const lines = text === "" ? [] : text.split(eol);
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    const block = configBlock(lines);
    if (block === "unsupported") return undefined;
    if (edit.set) {
        const rendered = (indent: number) =>
            dumpYaml({ [edit.set!.key]: edit.set!.value })
                .trimEnd()
                .split("\n")
                .map((line) => " ".repeat(indent) + line);
        if (block === undefined) {
            lines.push("config:", ...rendered(2));
        } else {
            const matching = block.entries.filter((e) => namespacedKey(project, e.key) === edit.set!.key);
            // From the bottom up, so that the line numbers above stay right: the first entry of the key takes the
            // new value, any other (the same key written another way) goes.
            for (const entry of matching.slice(1).reverse()) lines.splice(entry.leadingComments, entry.end - entry.leadingComments);
            if (matching.length > 0) lines.splice(matching[0].start, matching[0].end - matching[0].start, ...rendered(block.indent));
            else lines.splice(block.end, 0, ...rendered(block.indent));
        }
    }
    if (edit.remove && block !== undefined) {
        const matching = block.entries.filter((e) => namespacedKey(project, e.key) === edit.remove);
        if (matching.length === block.entries.length) {
            // Nothing left under `config:`: the key goes, as the CLI leaves out an empty config.
            lines.splice(block.header, block.end - block.header);
        } else {
            for (const entry of [...matching].reverse()) lines.splice(entry.leadingComments, entry.end - entry.leadingComments);
        }
    }
    if (edit.createdSalt !== undefined) {
        const saltLine = dumpYaml({ encryptionsalt: edit.createdSalt }).trimEnd();
        const existing = lines.findIndex((line) => SALT_LINE.test(line));
        const header = lines.findIndex((line) => CONFIG_HEADER.test(line));
        // An empty `encryptionsalt:` is replaced; otherwise the salt goes before the config, as in a file the CLI made.
        if (existing >= 0) lines.splice(existing, 1, saltLine);
        else lines.splice(header >= 0 ? header : lines.length, 0, saltLine);
    }
    return lines.length === 0 ? "" : lines.join(eol) + eol;
}

/** The top-level `config:` block mapping: undefined when the file has no `config:`. */
function configBlock(lines: string[]): ConfigBlock | undefined | "unsupported" {
    const header = lines.findIndex((line) => CONFIG_HEADER.test(line));
    if (header < 0) {
        // `config: {...}`, `config: null`: a value on the key's line.
        return lines.some((line) => /^config[ \t]*:/.test(line)) ? "unsupported" : undefined;
    }
    let end = header + 1;
    for (let i = header + 1; i < lines.length; i++) {
        if (isBlank(lines[i])) continue;
        if (/^[ \t]/.test(lines[i])) end = i + 1;
        else if (!lines[i].startsWith("#")) break;
    }
    const content: number[] = [];
    for (let i = header + 1; i < end; i++) if (!isBlank(lines[i]) && !isComment(lines[i])) content.push(i);
    const indent = content.length > 0 ? leadingSpaces(lines[content[0]]) : 2;
    const starts: { key: string; start: number }[] = [];
    for (const i of content) {
        const spaces = leadingSpaces(lines[i]);
        if (spaces < indent || lines[i][spaces - 1] === "\t") return "unsupported";
        if (spaces > indent) continue;
        const key = keyOfLine(lines[i].slice(indent));
        if (key === undefined) return "unsupported";
        starts.push({ key, start: i });
    }
    const entries = starts.map(({ key, start }, n) => {
        let entryEnd = n + 1 < starts.length ? starts[n + 1].start : end;
        // Blank lines and comments no deeper than the keys, before the next key, are that key's (or the footer's).
        while (entryEnd > start + 1 && (isBlank(lines[entryEnd - 1]) || (isComment(lines[entryEnd - 1]) && leadingSpaces(lines[entryEnd - 1]) <= indent))) entryEnd--;
        let leadingComments = start;
        while (leadingComments > header + 1 && isComment(lines[leadingComments - 1]) && leadingSpaces(lines[leadingComments - 1]) <= indent) leadingComments--;
        return { key, start, end: entryEnd, leadingComments };
    });
    return { header, end, indent, entries };
}

/**
 * The key a block mapping's line begins with (`key: value`, `key:`, a quoted key), or undefined for what this does
 * not read: a list item, an explicit key (`? `), an anchor or a tag.
 */
function keyOfLine(line: string): string | undefined {
    if (line.startsWith('"')) {
        const quoted = /^"((?:[^"\\]|\\.)*)"[ \t]*:(?:[ \t]|$)/.exec(line);
        try {
            return quoted ? (JSON.parse(`"${quoted[1]}"`) as string) : undefined;
        } catch {
            return undefined;
        }
    }
    if (line.startsWith("'")) {
        const quoted = /^'((?:[^']|'')*)'[ \t]*:(?:[ \t]|$)/.exec(line);
        return quoted ? quoted[1].replace(/''/g, "'") : undefined;
    }
    if (/^[-?:,[\]{}#&*!|>%@`]/.test(line)) return undefined;
    // A plain key ends at the first ':' followed by a space or the end of the line (`foo:a: v` is the key `foo:a`).
    const plain = /^(.*?)[ \t]*:(?:[ \t]|$)/.exec(line);
    return plain && !plain[1].includes(" #") ? plain[1] : undefined;
}
