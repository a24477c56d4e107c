import * as vscode from "vscode";

/** Sets ConPET user settings for a test; returns a function that restores the previous values. */
export async function setConpetSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
    const config = vscode.workspace.getConfiguration("conpet");
    const previous: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
        previous[key] = config.inspect(key)?.globalValue;
        await config.update(key, value, vscode.ConfigurationTarget.Global);
    }
    return async () => {
        const current = vscode.workspace.getConfiguration("conpet");
        for (const [key, value] of Object.entries(previous))
            await current.update(key, value, vscode.ConfigurationTarget.Global);
    };
}

/** Runs `body` with `CONPET_MODEL` unset (the extension reads it on every use), then restores it. */
export async function withoutModelEnv<T>(body: () => Promise<T>): Promise<T> {
    const saved = process.env.CONPET_MODEL;
    delete process.env.CONPET_MODEL;
    try {
        return await body();
    } finally {
        if (saved !== undefined)
            process.env.CONPET_MODEL = saved;
    }
}
