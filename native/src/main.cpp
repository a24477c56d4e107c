// conpet-train <job.json>        train a LoRA adapter (JSON lines on stdout, see src/vocabulary/trainerProtocol.ts)
// conpet-train make-model …      write a random-weight llama GGUF (see MakeModel.h)
// conpet-train quantize …        write a quantized copy of a GGUF model (see QuantizeModel.h)
// conpet-train check-kernels     compare the trainer's own kernel with ggml's (see CheckKernels.h)
#include "CheckKernels.h"
#include "EventWriter.h"
#include "FatalErrorHandler.h"
#include "MakeModel.h"
#include "QuantizeModel.h"
#include "TrainJob.h"
#include "Trainer.h"
#include "TrainerError.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <llama.h>
#include <new>
#include <string>
#include <vector>

namespace {

std::atomic<bool> cancelRequested{false};

void onSignal(int) { cancelRequested = true; }

void logToStderr(ggml_log_level level, const char* text, void*) {
    noteLogMessage(level, text);
    // stdout is reserved for JSON lines; only warnings and errors are worth the client's stderr tail
    if (level == GGML_LOG_LEVEL_WARN || level == GGML_LOG_LEVEL_ERROR || std::getenv("CONPET_TRAIN_VERBOSE") != nullptr)
        std::fputs(text, stderr);
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    llama_log_set(logToStderr, nullptr);
    installFatalErrorHandler();
    try {
        if (argc >= 2 && std::string(argv[1]) == "make-model") {
            runMakeModel(std::vector<std::string>(argv + 2, argv + argc));
            return 0;
        }
        if (argc >= 2 && std::string(argv[1]) == "quantize") {
            runQuantizeModel(std::vector<std::string>(argv + 2, argv + argc));
            return 0;
        }
        if (argc == 2 && std::string(argv[1]) == "check-kernels") {
            runCheckKernels();
            return 0;
        }
        if (argc != 2) {
            std::fprintf(stderr, "usage: conpet-train <job.json>\n       conpet-train make-model --layers N --embd N "
                                 "--heads N --kv-heads N --ff N --vocab N --out FILE [--type f32|f16|q8_0]\n"
                                 "       conpet-train quantize --in FILE --out FILE --type q8_0|q4_0|q4_k_m|q5_k_m|q6_k|f16|f32\n"
                                 "       conpet-train check-kernels\n");
            return 2;
        }
        llama_backend_init();
        runTraining(parseTrainJob(argv[1]), cancelRequested);
        llama_backend_free();
        return 0;
    } catch (const TrainerError& e) {
        writeError(e.code, e.what());
    } catch (const std::bad_alloc&) {
        writeError("OUT_OF_MEMORY", "Out of memory. Lower batchSize, contextSize or the LoRA rank, or use a smaller model.");
    } catch (const std::exception& e) {
        writeError("INTERNAL", e.what());
    }
    return 1;
}
