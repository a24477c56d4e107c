import type {ConpetMode} from "../settings/conpetSettingsSchema";

/** The strategies of `ConpetMode`, plus `classic`: a TF-IDF logistic regression over every seen task's samples, no language model. */
export type BenchmarkMode = ConpetMode | "classic";

export type BenchmarkReport = {
    suite: string;
    model: string;
    mode: BenchmarkMode;
    /** Dynamic only: `embedding` or `lora`; null otherwise. */
    selector: string | null;
    seed: number;
    tasks: string[];
    accuracy_matrix: number[][];
    /**
     * Generate-kind tasks: mean character similarity of answer and expected output (1 − edit
     * distance / longer length), the partial credit exact match does not show; null for classify tasks.
     */
    similarity_matrix: (number | null)[][];
    /** Mean of the last row's non-null similarities; null when the suite has no generate task. */
    average_similarity: number | null;
    average_accuracy: number;
    whole_accuracy: number;
    forgetting: number;
    selector_accuracy: number | null;
    /**
     * Routing accuracy on task j's test set after learning task t (dynamic: the selector; classic:
     * the classic router); null for modes that do not route.
     */
    selector_accuracy_matrix: number[][] | null;
    /** Expected calibration error of the top route's probability over the last row's test inputs; null without routing. */
    selector_calibration_error: number | null;
    /**
     * Dynamic: accuracy of task j's own module answering its test set with the task known (the
     * `predictForTask` path), the most routing could give. Modules are frozen once learned, so each
     * task's is measured once, after it is learned, and repeated in later rows. Null otherwise.
     */
    oracle_accuracy_matrix: number[][] | null;
    /** Mean of the oracle matrix's last row; null without one. */
    oracle_average_accuracy: number | null;
    /** Seconds to learn each task (its LoRA run, plus the selector's retraining in dynamic mode). */
    train_seconds_per_task: number[];
    /** Of which the selector's retraining (dynamic); zeros otherwise. */
    selector_seconds_per_task: number[];
    /** Tokens the trainer processed for each task's LoRA run: the load-independent measure of cost. */
    train_tokens_per_task: number[];
    train_tokens_per_second: number;
    /** Trainable parameters of one LoRA module. */
    trainable_parameters: number;
    /** Dynamic: all task modules plus the selector; otherwise the one shared module. */
    trainable_parameters_total: number;
    model_parameters: number;
    peak_rss_mb: number;
    /** Stored train samples of each task (all of the suite's, or the `--max-train` subset, within the store's cap). */
    train_samples_per_task: number[];
    test_samples_per_task: number[];
    eval_seconds: number;
    settings: Record<string, unknown>;
    created_at: string;
};
