// Conversion between property maps and google.protobuf.Struct, the wire form of every property bag.

import type { ChannelOptions } from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "./values";

export function toStruct(m: PropertyMap): Struct {
    return Struct.fromJavaScript(m as Record<string, never>);
}

export function fromStruct(s: Struct | undefined): PropertyMap {
    if (!s) return {};
    const m = s.toJavaScript() as PropertyMap;
    const provider = m[PROVIDER_KEY];
    if (typeof provider === "string") m[PROVIDER_KEY] = sharedProviderText(provider);
    return m;
}

/**
 * Every message about a dynamic resource carries its kind's serialized provider (kilobytes when a linked package
 * is serialized by value), and each decode makes a new copy of it. Keeping each text once means what the engine
 * holds for a stack does not grow by a provider text per message. Bounded, in count and in size.
 */
const PROVIDER_KEY = "__provider";
const MAX_SHARED_TEXTS = 256;
const MAX_SHARED_TEXT_LENGTH = 64 * 1024;
const sharedTexts = new Map<string, string>();
function sharedProviderText(text: string): string {
    const shared = sharedTexts.get(text);
    if (shared !== undefined) return shared;
    if (sharedTexts.size < MAX_SHARED_TEXTS && text.length <= MAX_SHARED_TEXT_LENGTH) sharedTexts.set(text, text);
    return text;
}

/** The SDK's messages can be large (a serialized dynamic provider rides along with every resource). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
export const GRPC_OPTIONS: ChannelOptions = {
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};
