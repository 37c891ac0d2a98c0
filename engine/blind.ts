// Secure config values never reach the screen: everything the engine prints has them replaced by "[secret]", as the
// CLI's event emitter filters every message and every string it displays (pkg/engine/events.go makeEventEmitter →
// logging.AddGlobalSecretFilter, FilterString). A provider's error that quotes a token, a value the program passed
// on without marking it secret: each is shown as "[secret]". The state is not filtered, as the CLI's is not.

import type { Writer } from "./display";
import { escapeLikeGo } from "./json";

const SHOWN = "[secret]";

/**
 * A writer that blinds `secrets` in what it writes: each as it is, and as it appears inside a JSON string (escaped by
 * JSON.stringify, and then for `--json` also as Go escapes <, > and &; log.go replacements does the same for JSON).
 */
export function blindingWriter(writer: Writer, secrets: readonly string[]): Writer {
    const forms = new Set<string>();
    for (const secret of secrets) {
        // An empty value would match everywhere; it shows nothing anyway.
        if (secret === "") continue;
        const escaped = JSON.stringify(secret).slice(1, -1);
        forms.add(secret).add(escaped).add(escapeLikeGo(escaped));
    }
    if (forms.size === 0) return writer;
    // Longest first, so that a secret containing another is replaced whole.
    const pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
    return { write: (text: string) => writer.write(text.replace(pattern, SHOWN)) };
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
