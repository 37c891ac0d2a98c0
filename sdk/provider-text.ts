// The `__provider` input of every resource: the text the dynamic-provider host turns back into the kind's provider
// (it loads the text as a module and calls its `handler()`). pulumi.dynamic.Resource would make it by serializing
// the provider object with Pulumi's closure serializer, which costs every preview and up of the program about
// 0.2 s for the first kind (it loads every Node.js built-in module to recognise the object as a module's exports)
// and about 20 ms for each further kind, to arrive at a text that only names the module. So the classes write it
// themselves: the text that serializer writes for a module's exports installed under node_modules, byte for byte,
// so that states written by earlier versions of this package see no change (test/package holds the two together
// for each kind, with the lowest and the newest @pulumi/pulumi of the peer range). It names the package's export,
// not a file, so the host resolves it from the program's folder, installed or linked (the provider's methods require
// the package by name in any case: provider/dynamic/provider.ts), and README promises to keep that export.
import type { KindName } from "../provider/model/kinds";

/**
 * The module each kind's provider object is the exports of, as the serializer names it from the package's exports
 * (`./provider/*`: dist/provider/dynamic/providers/<Kind>.js).
 */
export function providerModule(kind: KindName): string {
    return `pulumi-mlplatform/provider/dynamic/providers/${kind}`;
}

const texts = new Map<KindName, string>();

/** The `__provider` text of a kind: one string per kind, shared by every resource of it. */
export function providerText(kind: KindName): string {
    let text = texts.get(kind);
    if (text === undefined) {
        text = [
            "exports.handler = __f0;",
            `const provider = require(${JSON.stringify(providerModule(kind))});`,
            "",
            "function __f0() {",
            "  return (function() {",
            "    with({ this: undefined, arguments: undefined }) {",
            "",
            "return () => provider;",
            "",
            "    }",
            "  }).apply(undefined, undefined).apply(this, arguments);",
            "}",
            "",
        ].join("\n");
        texts.set(kind, text);
    }
    return text;
}
