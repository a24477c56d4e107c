import assert from "node:assert/strict";
import * as vscode from "vscode";

export const extensionId = "conpet.conpet-vscode";

/** Activates the extension under test (as opening its view would) and returns it. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed in this VS Code`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    return extension;
}
