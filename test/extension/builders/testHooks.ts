import * as vscode from "vscode";
import type {ErrorPayload} from "../../../src/vocabulary/errors";
import {testCommandIds} from "../../../src/extension/constants";

export type TestStatus = {
    modelPath: string;
    storePath: string;
    trusted: boolean;
    training: boolean;
    trainingElsewhere: string | null;
    engineRunning: boolean;
    modelInfo: {backend: string; layers: number; gpuLayers: number; modelPath: string; fingerprint: string; gpuBackendProblem?: string} | null;
    gpuBackend: {state: "none" | "installed" | "unusable"; kind?: string; directory?: string};
    panelOpen: boolean;
    tasksToTrain: number;
    tasks: {name: string; kind: string; state: string; trainSamples: number; testSamples: number; moduleId: number | null; heldOutAccuracy: number | null; description: string}[];
    lastError: ErrorPayload | null;
    lastResult: {output: string; task: string; confidence: number; routed: boolean} | null;
};

/** The extension's state through its `conpet._test.*` hooks (the harness sets `CONPET_TEST_HOOKS=1`). */
export async function getTestStatus(): Promise<TestStatus> {
    const status = await vscode.commands.executeCommand<TestStatus | undefined>(testCommandIds.getStatus);
    if (status === undefined)
        throw new Error(`${testCommandIds.getStatus} returned nothing: is CONPET_TEST_HOOKS=1 set for the extension host?`);
    return status;
}

export async function getLastError(): Promise<ErrorPayload | null> {
    return (await vscode.commands.executeCommand<ErrorPayload | null>(testCommandIds.getLastError)) ?? null;
}

export async function getTaskStatus(name: string): Promise<TestStatus["tasks"][number] | undefined> {
    return (await getTestStatus()).tasks.find((task) => task.name === name);
}
