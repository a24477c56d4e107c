export type StartCodeServerOptions = {
    port?: number;
    smokeTestDriver?: boolean;
    install?: "symlink" | "none" | {vsix: string};
    userSettings?: Record<string, unknown>;
    /** Settings of `machine` scope (such as `conpet.storageLocation`), which VS Code ignores in the user's settings. */
    machineSettings?: Record<string, unknown>;
    env?: Record<string, string | undefined>;
    dir?: string;
    echo?: boolean;
    readyTimeoutMs?: number;
    /** Open folders in Restricted Mode (workspace trust on, no prompt). Defaults to `false`. */
    untrusted?: boolean;
};
export type CodeServer = {
    url: string;
    port: number;
    dir: string;
    logFile: string;
    remoteAuthority: string;
    /** The code-server process id, which is also its process group id. */
    pid: number;
    folderUrl(folder: string): string;
    stop(): Promise<void>;
};
export declare const defaultUserSettings: Record<string, unknown>;
export declare function startCodeServer(options?: StartCodeServerOptions): Promise<CodeServer>;
export declare function getExtensionFolderName(): string;
export declare function copyWorkspace(parentDir: string, source?: string): string;
export declare function serveUntilInterrupted(options: {port?: number, folder: string, smokeTestDriver?: boolean}): Promise<void>;
