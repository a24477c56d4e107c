/** Where VS Code runs an extension: beside the UI, or where the workspace is (see `vscode.ExtensionKind`). */
export type ExtensionHostSide = "ui" | "workspace";

/**
 * Why ConPET must not run where VS Code placed it, or `undefined` when it may. It declares
 * `extensionKind: ["workspace"]`: in a remote window (Remote-SSH, dev containers, Codespaces,
 * code-server) it belongs on the remote machine, beside the files, the GPU and the store. A user's
 * `remote.extensionKind` setting can still force it onto the UI side (the laptop), where the model,
 * trainer and storage paths would all be the wrong machine's. In a local window both sides are one
 * machine, so the UI side is fine there. No `vscode` import, so this rule is unit-tested too.
 */
export function getMisplacedHostProblem(side: ExtensionHostSide, remoteName: string | undefined): string | undefined {
    if (side === "workspace" || remoteName === undefined)
        return undefined;
    return `ConPET must run on the machine the workspace is on (the ${remoteName} side of this remote window), `
        + "where the model, the GPU, the trainer and its storage are, but VS Code started it on the local UI side, so it is not activated. "
        + "Remove \"conpet.conpet-vscode\" from the \"remote.extensionKind\" setting (or install ConPET in the remote) and reload the window.";
}
