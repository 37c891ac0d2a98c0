// Idempotency keys for DataSphere mutations. Yandex Cloud answers a request whose `idempotency-key` it has seen with
// the operation that key started, instead of acting again. A key is made from what the call means, not drawn at
// random: the provider host's key of the request (kind, operation, the owner's URN and the visible fields; see
// host.ts) and the call's own name. So a transport retry, and a rerun after a killed `pulumi up`, resend the same
// key and get the first operation back instead of a second community.
//
// The caveat: how long the platform keeps a key is undocumented. Within that time the same call with the same
// meaning (destroy, then create the same community again) would be answered with the OLD operation. The client
// therefore checks what such an operation left (the object it names exists, the role is there) and, when it does
// not hold, sends the call again with a key salted by the stale operation's id (see the callers of freshKey).
import * as crypto from "crypto";

/**
 * A UUID made from the parts. The API asks for a UUID; the version nibble says 4 (random), which this is not,
 * because strict validators accept only that one and the key's meaning is the server's business, not its layout.
 */
export function keyOf(...parts: readonly string[]): string {
    const hash = crypto.createHash("sha256").update(parts.join("\u0000")).digest();
    hash[6] = (hash[6] & 0x0f) | 0x40;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A key for the same call made again on purpose, after the first key was answered by a stale operation. */
export function freshKey(key: string, staleOperationId: string): string {
    return keyOf(key, "after", staleOperationId);
}
