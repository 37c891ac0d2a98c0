// Following a long-running operation to its end, and reading what it left. Our own poller rather than the SDK's
// waitForOperation, which never settles when a poll fails (its rejection is left unhandled) and rejects with the
// Operation itself rather than an Error: each poll is awaited and retried like any read, the pause grows up to a
// ceiling, a deadline stops the wait with a message that says what to do, and a failed operation becomes the
// provider's error with the platform's code, its message and the operation id.
import type { Operation } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/operation/operation";
import { PlatformError, subjectOf } from "../../model/errors";
import { Attempt, cloudError, STATUS_NAMES } from "./errors";
import { sleep } from "./timing";
import type { Transport } from "./transport";

/** The operation once done, successfully; anything else throws the provider's error. */
export async function finish(transport: Transport, started: Operation, at: Attempt): Promise<Operation> {
    const deadline = Date.now() + transport.tuning.operationTimeoutMs;
    let op = started;
    let pause = transport.tuning.pollFirstMs;
    while (!op.done) {
        if (Date.now() + pause > deadline) {
            const minutes = transport.tuning.operationTimeoutMs / 60_000;
            const took = minutes >= 1 ? `${Math.round(minutes * 10) / 10} minutes` : `${transport.tuning.operationTimeoutMs / 1000} s`;
            throw new PlatformError("UNAVAILABLE", `${subjectOf(at.kind, at.name)}: DataSphere operation ${op.id}${op.description ? ` (${op.description})` : ""} to ${at.action} it `
                + `is still running after ${took}; the provider stopped waiting. It may still finish: see it with \`yc operation get ${op.id}\`, then run `
                + "`pulumi refresh` and `pulumi up` (the rerun sends the same idempotency key, so nothing is made twice).");
        }
        await sleep(pause);
        pause = Math.min(transport.tuning.pollMaxMs, Math.round(pause * 1.5));
        const id = op.id;
        op = await transport.call("OperationService.Get", { at: { ...at, action: `follow the operation (${id}) to ${at.action}` }, mutation: false },
            (o) => transport.operations.get({ operationId: id }, o));
    }
    if (op.error) {
        const code = op.error.code;
        const status = Number.isInteger(code) && code > 0 && code < STATUS_NAMES.length ? STATUS_NAMES[code] : "UNKNOWN";
        throw cloudError({ status, details: op.error.message || "the operation failed without a message", operationId: op.id }, at, transport.scrub);
    }
    return op;
}

/** A message packed in an operation's `response` or `metadata`, when it is of the expected type and decodes. */
export function unpack<T>(any: { typeUrl: string; value: Uint8Array } | undefined, typeName: string, decoder: { decode(input: Uint8Array): T }): T | undefined {
    // Decoded defensively (Terraform does the same): an operation may carry another type than the SDK declares.
    if (!any || !any.typeUrl.endsWith(`/${typeName}`)) return undefined;
    try {
        return decoder.decode(any.value);
    } catch {
        return undefined;
    }
}
