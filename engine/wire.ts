// Conversion between property maps and google.protobuf.Struct, the wire form of every property bag.

import type { ChannelOptions } from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "./values";

export function toStruct(m: PropertyMap): Struct {
    return Struct.fromJavaScript(m as Record<string, never>);
}

export function fromStruct(s: Struct | undefined): PropertyMap {
    return s ? (s.toJavaScript() as PropertyMap) : {};
}

/** The SDK's messages can be large (a serialized dynamic provider rides along with every resource). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
export const GRPC_OPTIONS: ChannelOptions = {
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};
