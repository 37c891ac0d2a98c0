// Packages that only one backend needs, and so are not installed with this package for everyone: better-sqlite3 (an
// optional dependency, built natively at install time, for the embedded backend) and @yandex-cloud/nodejs-sdk (an
// optional peer dependency of about 60 MB with its own dependencies, for the datasphere backend). When the backend in
// use finds its package missing, the call fails with one line that says what to install, never Node's stack trace.
import { PlatformError } from "../model/errors";

/** Whether `error` is Node's failure to find `pkg` itself (a module inside the package counts, one it requires does not). */
export function isMissingPackage(error: unknown, pkg: string): boolean {
    const e = error as NodeJS.ErrnoException | undefined;
    if (e?.code !== "MODULE_NOT_FOUND" || typeof e.message !== "string") return false;
    const missing = /^Cannot find module '([^']+)'/.exec(e.message)?.[1];
    return missing === pkg || missing?.startsWith(`${pkg}/`) === true;
}

/** The version range this package declares for `pkg`, to install the right one; undefined when it cannot be read. */
function declaredRange(pkg: string): string | undefined {
    try {
        const manifest = require("pulumi-mlplatform/package.json") as Record<string, Record<string, string> | undefined>;
        return manifest.peerDependencies?.[pkg] ?? manifest.optionalDependencies?.[pkg] ?? manifest.dependencies?.[pkg];
    } catch {
        return undefined;
    }
}

/** The command that installs `pkg` in the range this package declares, e.g. `npm install better-sqlite3@^12.9.0`. */
export function installCommand(pkg: string): string {
    const range = declaredRange(pkg);
    return range ? `npm install ${pkg}@${range}` : `npm install ${pkg}`;
}

/**
 * Packages whose install script builds what they load (better-sqlite3's native part). npm 12 runs a dependency's
 * install script only when the project's own package.json allows it in allowScripts (npm reads no dependency's, so
 * this package's cannot do it for its users), and otherwise installs the package unbuilt, without an error.
 */
const BUILT_BY_INSTALL_SCRIPT = new Set(["better-sqlite3"]);

/** What to add before installing `pkg`, for a package built by its install script; empty for any other. */
export function allowScriptsStep(pkg: string): string {
    return BUILT_BY_INSTALL_SCRIPT.has(pkg)
        ? `; with npm 12, first add "${pkg}": true to the allowScripts field of the project's package.json, or npm installs it unbuilt`
        : "";
}

/**
 * The error for a backend whose package is not installed, e.g. `the datasphere backend needs the
 * @yandex-cloud/nodejs-sdk package, which is not installed (an optional peer dependency of pulumi-mlplatform). Install
 * it in the program's project (npm install @yandex-cloud/nodejs-sdk@^3.2.0), or ...`.
 */
export function missingPackage(backend: string, pkg: string, relation: string, otherwise: string): PlatformError {
    const install = installCommand(pkg);
    return new PlatformError("FAILED_PRECONDITION", `the ${backend} backend needs the ${pkg} package, which is not installed (${relation} of pulumi-mlplatform). `
        + `Install it in the program's project (${install}${allowScriptsStep(pkg)}), or ${otherwise}.`);
}
