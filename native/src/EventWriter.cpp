#include "EventWriter.h"

#include <cstdio>

void writeEvent(const nlohmann::json& event) {
    // replace: invalid UTF-8 in a message (e.g. a file name) must not throw while reporting
    const std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void writeWarning(const std::string& message) { writeEvent({{"type", "warning"}, {"message", message}}); }

void writeError(const std::string& code, const std::string& message) {
    writeEvent({{"type", "error"}, {"code", code}, {"message", message}});
}
