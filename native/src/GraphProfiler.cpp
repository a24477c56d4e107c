#include "GraphProfiler.h"

#include "TrainerError.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

namespace {

// e.g. "f32[576,512,1]", with "T" for a transposed view and "nc" for another non-contiguous one
std::string describe(const ggml_tensor* t) {
    if (t == nullptr)
        return "-";
    std::string text = std::string(ggml_type_name(t->type)) + "[" + std::to_string(t->ne[0]) + "," +
                       std::to_string(t->ne[1]) + "," + std::to_string(t->ne[2] * t->ne[3]) + "]";
    if (ggml_is_transposed(t))
        text += "T";
    else if (!ggml_is_contiguous(t))
        text += "nc";
    return text;
}

} // namespace

GraphProfiler::GraphProfiler(ggml_backend_sched_eval_callback next, void* nextData) : next_(next), nextData_(nextData) {}

bool GraphProfiler::onGraphNode(ggml_tensor* node, bool ask, void* self) {
    auto* me = static_cast<GraphProfiler*>(self);
    if (ask) {
        // the next callback rewrites the node now; the answer "yes, show me this node" makes the scheduler
        // compute it alone and call back with ask = false right after
        me->next_(node, true, me->nextData_);
        me->started_ = std::chrono::steady_clock::now();
        return true;
    }
    Total& total = me->totals_[std::string(ggml_op_desc(node)) + " " + describe(node->src[0]) + " " +
                               describe(node->src[1]) + " -> " + describe(node)];
    total.calls += 1;
    total.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - me->started_).count();
    return true;
}

void GraphProfiler::write(const std::string& path) const {
    std::vector<std::pair<std::string, Total>> rows(totals_.begin(), totals_.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
    double all = 0;
    for (const auto& row : rows)
        all += row.second.seconds;
    nlohmann::json report = nlohmann::json::array();
    for (const auto& [node, total] : rows)
        report.push_back({{"node", node}, {"calls", total.calls}, {"seconds", total.seconds}, {"share", all > 0 ? total.seconds / all : 0}});
    std::ofstream out(path);
    out << report.dump(2) << "\n";
    if (!out)
        throw TrainerError("NOT_WRITABLE", "Cannot write the profile to " + path);
}
