// Idempotency keys for DataSphere mutations. Yandex Cloud answers a request whose `idempotency-key` it has seen with
// the operation that key started, instead of acting again. Every mutation carries one, the same on each retry of
// that call (transport.ts). Which key:
// - Creating a community or a project is the one call that is not idempotent by nature (a second call makes a
//   second object). Its key is made from what the call means: the provider host's key of the request (kind, the
//   owner's URN and the visible fields; host.ts) and the call's name. So a rerun after a killed `pulumi up` resends
//   the same key and gets the first operation back instead of a second community. (The owner label, mapping.ts,
//   covers the rerun once the object is listable, whatever the platform's key retention.)
// - Deleting an object is keyed by its id, which the platform never reuses.
// - Everything else (updates, access-binding deltas, shares, the unit balance) sets a state, so sending it again
//   is harmless: a fresh random key per call. A key made from the call's meaning would there be dangerous: the same
//   change made again later (a role given back, a resource shared again after an unshare) would be answered by the
//   first, stale operation without acting.
//
// The caveat: how long the platform keeps a key is undocumented. Within that time the same create made again on
// purpose (destroy, then create the same community again) would be answered with the OLD operation. The client
// therefore checks that the object such an operation names exists, and when it is gone creates it again with a
// key salted by the stale operation's id (freshKey).
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
