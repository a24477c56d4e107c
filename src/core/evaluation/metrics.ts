/**
 * Continual-learning metrics over an accuracy matrix `A[t][j]`: accuracy on task j after learning
 * task t (j ≤ t), as in ConPET and the continual-learning literature. All accuracies are
 * fractions in [0, 1].
 */
import {distance} from "fastest-levenshtein";

/** How every answer is scored as accuracy: exact match, ignoring surrounding whitespace. */
export function isExactMatch(answer: string, expected: string): boolean {
    return answer.trim() === expected.trim();
}

/** Mean of the last row: how well all tasks are handled once every task is learned. */
export function getAverageAccuracy(matrix: readonly (readonly number[])[]): number {
    const last = matrix[matrix.length - 1];
    if (last === undefined || last.length === 0)
        return 0;
    return last.reduce((sum, value) => sum + value, 0) / last.length;
}

/** Micro accuracy: correct answers over all test samples of all tasks. */
export function getWholeAccuracy(results: readonly {correct: number; total: number}[]): number {
    const total = results.reduce((sum, r) => sum + r.total, 0);
    return total === 0 ? 0 : results.reduce((sum, r) => sum + r.correct, 0) / total;
}

/**
 * Mean over tasks j < T of (best accuracy task j ever had before the last row) − (its accuracy in
 * the last row). 0 with fewer than two tasks.
 */
export function getForgetting(matrix: readonly (readonly number[])[]): number {
    const last = matrix.length - 1;
    if (last < 1)
        return 0;
    let sum = 0;
    for (let j = 0; j < last; j++) {
        let best = -Infinity;
        for (let t = j; t < last; t++)
            best = Math.max(best, matrix[t]?.[j] ?? -Infinity);
        sum += best - (matrix[last]?.[j] ?? 0);
    }
    return sum / last;
}

/** Share of inputs routed to their own task. `null` when nothing was routed. */
export function getSelectorAccuracy(routes: readonly {expectedTaskId: number; routedTaskId: number | null}[]): number | null {
    if (routes.length === 0)
        return null;
    return routes.filter((r) => r.routedTaskId === r.expectedTaskId).length / routes.length;
}

/** Checks the matrix has the lower-triangular shape (row t has t + 1 entries in [0, 1]). */
export function isAccuracyMatrix(matrix: unknown): matrix is number[][] {
    return Array.isArray(matrix) && matrix.every((row, t) => (
        Array.isArray(row) && row.length === t + 1 && row.every((v) => typeof v === "number" && v >= 0 && v <= 1)
    ));
}

/**
 * 1 − Levenshtein distance / length of the longer string: partial credit for a generated answer
 * that is close to the expected one (exact match stays the accuracy). 1 for two empty strings.
 */
export function getCharacterSimilarity(answer: string, expected: string): number {
    const longer = Math.max(answer.length, expected.length);
    return longer === 0 ? 1 : 1 - distance(answer, expected) / longer;
}
