// Conversion between property maps and google.protobuf.Struct, the wire form of every property bag.

import type { ChannelOptions } from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { mapValue, type JsonValue, type PropertyMap } from "./values";

export function toStruct(m: PropertyMap): Struct {
    return Struct.fromJavaScript(m as Record<string, never>);
}

export function fromStruct(s: Struct | undefined): PropertyMap {
    return s ? (mapValue(s.toJavaScript() as JsonValue, sharedLongString) as PropertyMap) : {};
}

/**
 * Every message about a dynamic resource carries its kind's serialized provider (kilobytes), and each decode makes a
 * new copy of it. Long strings are kept once, so what the engine holds for a stack does not grow by a provider
 * text per message. Bounded: past the limit, strings are left as decoded.
 */
const LONG_STRING = 1024;
const MAX_SHARED_STRINGS = 1000;
const sharedStrings = new Map<string, string>();
function sharedLongString(v: JsonValue): JsonValue | undefined {
    if (typeof v !== "string" || v.length < LONG_STRING) return undefined;
    const shared = sharedStrings.get(v);
    if (shared !== undefined) return shared;
    if (sharedStrings.size < MAX_SHARED_STRINGS) sharedStrings.set(v, v);
    return v;
}

/** The SDK's messages can be large (a serialized dynamic provider rides along with every resource). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
export const GRPC_OPTIONS: ChannelOptions = {
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};
