/** Database rows and their mapping to the plain types of `src/vocabulary/types.ts`. @internal */
import type {Evaluation, ModuleRecord, Sample, Task, TrainingRun} from "../vocabulary/types";

export type TaskRow = {
    id: number; name: string; instruction: string; kind: Task["kind"]; labels: string;
    train_seen: number; created_at: string; updated_at: string;
};
export type SampleRow = {
    id: number; task_id: number; input: string; output: string; split: Sample["split"];
    source: string | null; created_at: string;
};
export type ModuleRow = {
    id: number; task_id: number | null; kind: ModuleRecord["kind"]; file: string; base_model_fingerprint: string;
    rank: number; alpha: number; target_modules: string; trainable_parameters: number; size_bytes: number;
    metrics: string; samples_hash: string; trained_at: string;
};
export type RunRow = {
    id: number; task_id: number | null; module_id: number | null; status: TrainingRun["status"]; pid: number;
    started_at: string; finished_at: string | null; loss_curve: string; details: string; error: string | null;
};
export type EvaluationRow = {
    id: number; created_at: string; mode: string; tasks: string; accuracy_matrix: string;
    selector_accuracy: number | null; details: string;
};

export function toTask(row: TaskRow): Task {
    return {
        id: row.id, name: row.name, instruction: row.instruction, kind: row.kind,
        labels: JSON.parse(row.labels) as string[], createdAt: row.created_at, updatedAt: row.updated_at
    };
}

export function toSample(row: SampleRow): Sample {
    return {
        id: row.id, taskId: row.task_id, input: row.input, output: row.output, split: row.split,
        source: row.source == null ? null : JSON.parse(row.source) as Sample["source"], createdAt: row.created_at
    };
}

export function toModule(row: ModuleRow): ModuleRecord {
    return {
        id: row.id, taskId: row.task_id, kind: row.kind, file: row.file, baseModelFingerprint: row.base_model_fingerprint,
        rank: row.rank, alpha: row.alpha, targetModules: JSON.parse(row.target_modules) as string[],
        trainableParameters: row.trainable_parameters, sizeBytes: row.size_bytes,
        metrics: JSON.parse(row.metrics) as ModuleRecord["metrics"], samplesHash: row.samples_hash, trainedAt: row.trained_at
    };
}

export function toRun(row: RunRow): TrainingRun {
    return {
        id: row.id, taskId: row.task_id, moduleId: row.module_id, status: row.status, startedAt: row.started_at,
        finishedAt: row.finished_at, lossCurve: JSON.parse(row.loss_curve) as TrainingRun["lossCurve"],
        details: JSON.parse(row.details) as Record<string, unknown>, error: row.error
    };
}

export function toEvaluation(row: EvaluationRow): Evaluation {
    return {
        id: row.id, createdAt: row.created_at, mode: row.mode, tasks: JSON.parse(row.tasks) as string[],
        accuracyMatrix: JSON.parse(row.accuracy_matrix) as number[][], selectorAccuracy: row.selector_accuracy,
        details: JSON.parse(row.details) as Record<string, unknown>
    };
}
