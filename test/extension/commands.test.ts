// Every command, view and setting of package.json exists at run time, and the IDs in
// src/extension/constants.ts and the settings of src/core/settings/conpetSettingsSchema.ts match the manifest.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import {conpetSettingsSchema, extensionOnlySettingsSchema} from "../../src/core/settings/conpetSettingsSchema";
import {listSettings} from "../../src/core/settings/settingSpec";
import {commandIds, configSection, testCommandIds, viewIds} from "../../src/extension/constants";
import {activateExtension} from "./builders/activateExtension";

type Manifest = {
    activationEvents: string[];
    icon?: string;
    contributes: {
        commands: {command: string; title: string; category?: string; icon?: string}[];
        menus: Record<string, {command: string; when?: string}[]>;
        keybindings?: {command: string; key: string; when?: string}[];
        views: Record<string, {id: string}[]>;
        viewsWelcome: {view: string; contents: string}[];
        configuration: {properties: Record<string, {default?: unknown; markdownDescription?: string; description?: string}>};
        walkthroughs: {steps: {description: string}[]}[];
    };
};

suite("commands", () => {
    let manifest: Manifest;

    suiteSetup(async () => {
        const extension = await activateExtension();
        manifest = extension.packageJSON as Manifest;
    });

    test("every command in package.json is registered, under the ConPET category", async () => {
        const registered = new Set(await vscode.commands.getCommands(true));
        const missing = manifest.contributes.commands.filter((command) => !registered.has(command.command)).map((command) => command.command);
        assert.deepEqual(missing, []);
        for (const command of manifest.contributes.commands)
            assert.equal(command.category, "ConPET", command.command);
    });

    test("constants.ts and package.json list the same commands", () => {
        const declared = manifest.contributes.commands.map((command) => command.command).sort();
        assert.deepEqual(Object.values(commandIds).sort(), declared);
    });

    test("menus, welcome views and the walkthrough only use declared commands", () => {
        const declared = new Set(manifest.contributes.commands.map((command) => command.command));
        for (const [menu, items] of Object.entries(manifest.contributes.menus))
            for (const item of items)
                assert.ok(declared.has(item.command), `${menu} uses undeclared ${item.command}`);
        const links = [
            ...manifest.contributes.viewsWelcome.map((welcome) => welcome.contents),
            ...manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.map((step) => step.description))
        ].flatMap((text) => [...text.matchAll(/\(command:(conpet\.[A-Za-z_.]+)/g)].map((match) => match[1]!));
        assert.ok(links.length > 0);
        for (const link of links)
            assert.ok(declared.has(link), `link to undeclared ${link}`);
    });

    test("the tasks view and every setting are declared, with descriptions, and VS Code's defaults are the schema's", () => {
        assert.ok(manifest.contributes.views[viewIds.container]?.some((view) => view.id === viewIds.tasks));
        const properties = manifest.contributes.configuration.properties;
        const config = vscode.workspace.getConfiguration(configSection);
        const contributed = [...listSettings(conpetSettingsSchema), ...listSettings(extensionOnlySettingsSchema)].flatMap(({spec}) => spec.contributed === undefined ? [] : [{key: spec.contributed.key, spec}]);
        assert.ok(contributed.length > 0);
        for (const {key, spec} of contributed) {
            const property = properties[`${configSection}.${key}`];
            assert.ok(property, `setting ${configSection}.${key} is not in package.json`);
            assert.match(property.markdownDescription ?? property.description ?? "", /Defaults to/, `${key} does not state its default`);
            assert.deepEqual(config.inspect(key)?.defaultValue, spec.default, `${configSection}.${key}: VS Code's default is not the schema's`);
        }
        assert.ok(!manifest.activationEvents.includes("*"), "no * activation");
    });

    test("icons tell commands apart: Train and Run Task differ, Import is not a download, the extension has its own icon", async () => {
        const icon = (id: string) => manifest.contributes.commands.find((command) => command.command === id)?.icon;
        const triangles = ["$(play)", "$(run)", "$(run-all)", "$(debug-start)"];
        assert.notEqual(icon(commandIds.train), icon(commandIds.runTask));
        assert.ok(!(triangles.includes(icon(commandIds.train) ?? "") && triangles.includes(icon(commandIds.runTask) ?? "")), "Train and Run Task both look like a play button");
        assert.ok(!/download/.test(icon(commandIds.importExamples) ?? ""), `Import Examples uses ${icon(commandIds.importExamples)}`);
        assert.ok(manifest.icon, "package.json has no icon");
        const extension = await activateExtension();
        assert.ok(existsSync(path.join(extension.extensionPath, manifest.icon)), `${manifest.icon} is missing`);
    });

    test("Delete is hidden on tasks while a training runs", () => {
        const deletes = Object.values(manifest.contributes.menus).flat().filter((item) => item.command === commandIds.deleteTask);
        assert.ok(deletes.length > 0);
        for (const item of deletes)
            assert.match(item.when ?? "", /!conpet\.training/, `Delete Task shows during training: ${item.when}`);
    });

    test("Cancel Training appears after every other view title button, so the second click of a double-clicked Train cannot land on it", () => {
        const navigation = (manifest.contributes.menus["view/title"] as {command: string; group?: string}[])
            .filter((item) => item.group?.startsWith("navigation@") === true)
            .map((item) => ({command: item.command, order: Number(item.group!.split("@")[1])}));
        const cancel = navigation.find((item) => item.command === commandIds.cancelTraining)!;
        for (const item of navigation.filter((other) => other.command !== commandIds.cancelTraining))
            assert.ok(item.order < cancel.order, `${item.command} comes after Cancel Training`);
    });

    test("Add Selection and Run on Selection have default keys, only in a focused editor", () => {
        for (const id of [commandIds.addSelectionToTask, commandIds.runOnSelection]) {
            const binding = manifest.contributes.keybindings?.find((candidate) => candidate.command === id);
            assert.ok(binding, `${id} has no default key`);
            assert.match(binding.when ?? "", /editorTextFocus/, id);
        }
    });

    test("test hooks are registered when CONPET_TEST_HOOKS=1", async () => {
        const registered = new Set(await vscode.commands.getCommands(true));
        const expected = process.env.CONPET_TEST_HOOKS === "1";
        for (const id of Object.values(testCommandIds))
            assert.equal(registered.has(id), expected, id);
    });
});
