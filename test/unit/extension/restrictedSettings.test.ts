import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {test} from "node:test";

type SettingSchema = {scope?: string; restricted?: boolean};

const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    contributes: {configuration: {properties: Record<string, SettingSchema>}};
};

/**
 * Settings that name a file ConPET loads (a GGUF goes through llama.cpp's parser) or writes: a
 * workspace must not set them until it is trusted. VS Code ignores workspace values of a
 * `restricted` setting in Restricted Mode, and never reads a `machine` or `application` one from a workspace.
 */
const fileSettings = ["conpet.modelPath", "conpet.storageLocation"];

test("settings that name files cannot be set by an untrusted workspace", () => {
    for (const name of fileSettings) {
        const schema = packageJson.contributes.configuration.properties[name];
        assert.ok(schema !== undefined, `${name} is not contributed`);
        const workspaceCannotSet = schema.scope === "machine" || schema.scope === "application";
        assert.ok(schema.restricted === true || workspaceCannotSet, `${name} (scope ${schema.scope}) must be "restricted": true`);
    }
});
