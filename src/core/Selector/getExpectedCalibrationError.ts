/**
 * Expected calibration error: predictions are binned by confidence (equal-width bins over
 * [0, 1]); each bin contributes |accuracy − mean confidence| weighted by its share of the
 * predictions. 0 is perfectly calibrated. 0 for no predictions.
 */
export function getExpectedCalibrationError(predictions: readonly {confidence: number; correct: boolean}[], bins = 10): number {
    if (predictions.length === 0)
        return 0;
    const sums = Array.from({length: bins}, () => ({count: 0, confidence: 0, correct: 0}));
    for (const {confidence, correct} of predictions) {
        const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)))]!;
        bin.count++;
        bin.confidence += confidence;
        bin.correct += correct ? 1 : 0;
    }
    return sums.reduce((total, bin) => total + (bin.count === 0 ? 0 : Math.abs(bin.correct - bin.confidence) / predictions.length), 0);
}
