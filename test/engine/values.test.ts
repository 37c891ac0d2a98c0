// How values are rendered in messages: secrets never shown, wherever they sit.
import { describe, expect, it } from "vitest";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { makeSecret, renderValueAt, type PropertyMap } from "../../engine/values";

describe("renderValueAt", () => {
    const news: PropertyMap = {
        size: 20,
        password: makeSecret("hunter2"),
        spec: makeSecret({ replicas: 5, limits: { max: 9 } }),
        tags: makeSecret(["a", "b"]),
        open: { replicas: 4, token: makeSecret("tok"), list: [1, makeSecret(2)] },
        later: unknownValue,
        "dotted.key": makeSecret("x"),
    };

    it("shows plain values as JSON", () => {
        expect(renderValueAt(news, "size")).toBe("20");
        expect(renderValueAt(news, "open.replicas")).toBe("4");
        expect(renderValueAt(news, "open.list[0]")).toBe("1");
        expect(renderValueAt(news, "missing.path")).toBe("null");
        expect(renderValueAt(news, "later")).toBe("output<string>");
    });

    it("shows [secret] for a secret value, a value under a secret, and the secrets inside a value", () => {
        expect(renderValueAt(news, "password")).toBe("[secret]");
        expect(renderValueAt(news, "spec.replicas")).toBe("[secret]");
        expect(renderValueAt(news, "spec.limits.max")).toBe("[secret]");
        expect(renderValueAt(news, "tags[1]")).toBe("[secret]");
        expect(renderValueAt(news, "open.token")).toBe("[secret]");
        expect(renderValueAt(news, "open.list[1]")).toBe("[secret]");
        expect(renderValueAt(news, "open")).toBe('{"replicas":4,"token":"[secret]","list":[1,"[secret]"]}');
        expect(renderValueAt(news, "dotted.key")).toBe("[secret]");
    });
});
