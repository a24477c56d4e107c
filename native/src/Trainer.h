// One training run: load the model, attach a (fresh or given) LoRA adapter, run the optimizer
// steps on packed batches with completion-only loss, evaluate, and write the adapter atomically.
#pragma once

#include "TrainJob.h"

#include <atomic>

// Emits started/progress/eval/warning/done events; throws TrainerError (CANCELLED when `cancel`
// becomes true). Nothing is left at job.outputPath unless the run completes.
void runTraining(const TrainJob& job, const std::atomic<bool>& cancel);
