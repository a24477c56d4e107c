// package.json's `contributes.configuration` and README's settings table against the one declaration
// of the settings (src/core/settings/conpetSettingsSchema.ts): same keys, types, defaults, enums, limits and scopes.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {describe, test} from "node:test";
import {conpetSettingsSchema, extensionOnlySettingsSchema} from "../../../../src/core/settings/conpetSettingsSchema";
import {isAllowedSettingValue, listSettings, type SettingSpec} from "../../../../src/core/settings/settingSpec";

type Property = Record<string, unknown>;

const packageJson = JSON.parse(readFileSync(new URL("../../../../package.json", import.meta.url), "utf8")) as {
    contributes: {configuration: {properties: Record<string, Property>}};
};
const properties = packageJson.contributes.configuration.properties;

const allSettings = [...listSettings(conpetSettingsSchema), ...listSettings(extensionOnlySettingsSchema)];
const contributed = new Map(allSettings.flatMap(({spec}) => spec.contributed === undefined ? [] : [[`conpet.${spec.contributed.key}`, spec] as const]));

/** Words for people, which only package.json holds; every other field of a property must follow from the schema. */
const descriptiveFields = new Set(["markdownDescription", "description", "enumDescriptions", "markdownEnumDescriptions", "patternErrorMessage"]);

/** The spec in package.json's terms: JSON Schema, plus VS Code's `scope` and `restricted`. */
function toContributedProperty(spec: SettingSpec): Property {
    const vscodeFields = {
        ...spec.contributed?.scope === undefined ? {} : {scope: spec.contributed.scope},
        ...spec.contributed?.restricted === undefined ? {} : {restricted: spec.contributed.restricted}
    };
    const withDefault = (schema: Property): Property => ({...schema, default: spec.default, ...vscodeFields});
    switch (spec.kind) {
        case "string":
            return withDefault({type: "string", ...spec.pattern === undefined ? {} : {pattern: spec.pattern}});
        case "boolean":
            return withDefault({type: "boolean"});
        case "integer":
        case "number":
            return withDefault({
                type: spec.kind,
                minimum: spec.minimum,
                ...spec.kind === "number" && spec.exclusiveMinimum !== undefined ? {exclusiveMinimum: spec.exclusiveMinimum} : {},
                maximum: spec.maximum
            });
        case "enum":
            return withDefault({type: "string", enum: spec.values});
        case "gpuLayers":
            return withDefault({type: ["string", "integer"], pattern: "^(auto|max|\\d+)$", minimum: 0});
        case "subset":
            return withDefault({type: "array", items: {type: "string", enum: spec.values}, uniqueItems: true, minItems: 1});
    }
}

/** Drops descriptive fields and `undefined` ones, so two properties compare on what they allow. */
function withoutDescriptions(property: Property): Property {
    return JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(property).filter(([field]) => !descriptiveFields.has(field))))) as Property;
}

/** README's `### Settings` table: `conpet.*` key → its default cell, parsed as JSON. */
function getReadmeSettingDefaults(): Map<string, unknown> {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### Settings"), readme.indexOf("\n#", readme.indexOf("### Settings") + 1));
    const rows = [...section.matchAll(/^\| `(conpet\.[\w.]+)` \| `([^`]*)` \|/gm)];
    return new Map(rows.map(([, key, cell]) => [key!, JSON.parse(cell!) as unknown]));
}

/** How the descriptions write a default: `auto`, `""`, `["q","k","v","o"]`, `0.5`. */
function formatDefault(value: unknown): string {
    return typeof value === "string" && value !== "" ? value : JSON.stringify(value);
}

describe("conpetSettingsSchema against package.json and README", () => {
    test("package.json contributes exactly the schema's contributed settings", () => {
        assert.deepEqual(Object.keys(properties).sort(), [...contributed.keys()].sort());
    });

    test("each contributed setting has the schema's type, default, enum, limits, pattern and scope", () => {
        for (const [name, spec] of contributed) {
            const property = properties[name];
            assert.ok(property !== undefined, `${name} is not in package.json`);
            assert.deepEqual(withoutDescriptions(property), withoutDescriptions(toContributedProperty(spec)), `${name}: package.json and conpetSettingsSchema disagree`);
        }
    });

    test("each description states the schema's default", () => {
        for (const [name, spec] of contributed) {
            const text = String(properties[name]?.markdownDescription ?? properties[name]?.description ?? "");
            assert.ok(text.includes(`Defaults to \`${formatDefault(spec.default)}\``), `${name}: the description does not say "Defaults to \`${formatDefault(spec.default)}\`": ${text}`);
        }
    });

    test("README's settings table lists every contributed setting with the schema's default", () => {
        const readme = getReadmeSettingDefaults();
        assert.deepEqual([...readme.keys()].sort(), [...contributed.keys()].sort());
        for (const [name, spec] of contributed)
            assert.deepEqual(readme.get(name), spec.default, `${name}: README's settings table and conpetSettingsSchema disagree`);
    });

    test("every default, contributed or not, is allowed by its own spec", () => {
        assert.ok(allSettings.length > contributed.size, "the core-only settings are in the schema too");
        for (const {path, spec} of allSettings)
            assert.ok(isAllowedSettingValue(spec, spec.default), `${path.join(".")}: default ${JSON.stringify(spec.default)} is not allowed by its spec`);
    });

    test("VS Code's settings never offer the benchmark's baseline modes", () => {
        assert.ok(!isAllowedSettingValue(conpetSettingsSchema.mode, "joint"));
        assert.ok(isAllowedSettingValue(conpetSettingsSchema.mode, "joint", {acceptBenchmarkValues: true}));
    });
});
